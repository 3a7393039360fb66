// Shell code wider than the terminal, wrapped the shell's own way, so what a student types or copies from the
// screen is still the command: a break at a space outside quotes ends the line with " \" (a line
// continuation) and indents the next line; a word too long for a line is cut with a bare "\" at the end and
// goes on at the start of the next line (backslash-newline vanishes inside double quotes and unquoted words;
// inside single quotes the quote is closed and reopened: 'ab'\<newline>'cd' is 'abcd'). Comments are wrapped
// as further comment lines; heredoc bodies are left as they are. Pure.
import { displayWidth } from "./width.js";

type Quote = "none" | "single" | "double";

/** Extra indentation of a line continued at a space. */
const CONTINUATION_INDENT = "    ";

interface Scan {
  /** Quote state before each character (index i), and at the end (index length). */
  quote: Quote[];
  /** Character i is escaped by a backslash before it. */
  escaped: boolean[];
  /** Index where a comment starts (outside quotes), or -1. */
  comment: number;
}

function scan(line: string, start: Quote): Scan {
  const quote: Quote[] = [];
  const escaped: boolean[] = [];
  let q = start;
  let comment = -1;
  let esc = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    quote.push(q);
    escaped.push(esc);
    if (esc) {
      esc = false;
      continue;
    }
    if (q === "single") {
      if (c === "'") q = "none";
    } else if (c === "\\") esc = true;
    else if (q === "double") {
      if (c === '"') q = "none";
    } else if (c === "'") q = "single";
    else if (c === '"') q = "double";
    else if (c === "#" && (i === 0 || /\s/.test(line[i - 1]!)) && comment < 0) {
      comment = i;
      break;
    }
  }
  while (quote.length <= line.length) quote.push(comment >= 0 ? "none" : q);
  return { quote, escaped, comment };
}

const HEREDOC = /<<(-?)\s*(['"]?)([A-Za-z_][\w-]*)\2/;

/** Wraps one line of code (no newline) that starts in quote state `start` to `room` columns. */
function wrapLine(line: string, room: number, start: Quote): CodeLine[] {
  const s = scan(line, start);
  const lead = /^\s*/.exec(line)![0];
  const out: CodeLine[] = [];
  let flush = start !== "none"; // the line being built must start at column 0
  let from = 0; // the rest of `line` still to place starts here
  let prefix = ""; // put before the rest (continuation indent, a reopened quote, "# ")
  // Every round moves `from` on or ends the loop: the guard only bounds a mistake (10 000 left the rest of a line
  // longer than 10 000 cuts unwrapped).
  for (let guard = 0; guard <= line.length; guard++) {
    // The rest fits when its start does and so does the whole; a start already too wide settles it without
    // measuring the whole rest again at every cut (seconds for a 20 000-character line).
    // (Only the start is copied: slicing the whole rest at every cut was quadratic, minutes for a 1 MB line.)
    const window = from + 4 * room + 8;
    if (displayWidth(prefix + line.slice(from, window)) <= room && (window >= line.length || displayWidth(prefix + line.slice(from)) <= room)) break;
    const inComment = s.comment >= 0 && from > s.comment;
    // Best: the last space outside quotes (in a comment: any space) that leaves the piece and its mark in the room.
    // Left to right, stopping once the piece alone is wider than the room: the width only grows with `i`, and a
    // search from the line's end measured the whole line at every place (minutes for a 2 000-character line).
    let cut = -1;
    // A piece of more than 4 × room characters is wider than the room (a character is at most two columns, and
    // runs of zero-width ones do not occur in shell code): spaces beyond that are never a cut.
    for (let i = from + 1; i < Math.min(line.length, window); i++) {
      if (!/\s/.test(line[i]!) || /\s/.test(line[i - 1]!)) continue;
      const piece = prefix + line.slice(from, i);
      const width = displayWidth(piece);
      if (width > room) break;
      const commentHere = s.comment >= 0 && i > s.comment;
      if (!commentHere && (s.quote[i] !== "none" || s.escaped[i])) continue;
      if (piece.trim() === "" || piece.trim() === prefix.trim()) continue;
      if (width + (commentHere ? 0 : 2) <= room) cut = i;
    }
    if (cut > 0) {
      const commentHere = s.comment >= 0 && cut > s.comment;
      let next = cut;
      while (next < line.length && /\s/.test(line[next]!)) next++;
      // A comment after the code goes on its own line, as it is: no continuation needed.
      const beforeComment = next === s.comment;
      out.push({ text: prefix + line.slice(from, cut) + (commentHere || beforeComment ? "" : " \\"), flush });
      flush = false;
      from = next;
      prefix = commentHere ? `${lead}# ` : beforeComment ? lead : lead + CONTINUATION_INDENT;
      continue;
    }
    if (inComment || (s.comment >= 0 && from >= s.comment)) break; // one long word in a comment: leave it
    // A word (a quoted string) that fits the line but not after the continuation's indent: a smaller indent, so
    // it stays whole — cut only what is wider than the line itself.
    const indent = fitsWithLessIndent(line, from, prefix, room, s);
    if (indent !== undefined) {
      prefix = indent;
      continue;
    }
    // No space fits: cut the word itself, at the last place that keeps the mark in the room.
    let at = -1;
    for (let i = from + 2; i < line.length; i++) {
      const width = displayWidth(prefix + line.slice(from, i));
      if (width > room) break;
      if (s.comment >= 0 && i > s.comment) continue;
      if (s.escaped[i] || line[i - 1] === "\\") continue;
      const mark = s.quote[i] === "single" ? "'\\" : "\\";
      if (width + mark.length <= room) at = i;
    }
    if (at < 0) break; // nothing sensible: the terminal wraps it (and copies it whole)
    const single = s.quote[at] === "single";
    out.push({ text: prefix + line.slice(from, at) + (single ? "'\\" : "\\"), flush });
    flush = true; // the word goes on at the very start of the next line: an indent there would split it
    from = at;
    prefix = single ? "'" : "";
  }
  out.push({ text: prefix + line.slice(from), flush });
  return out;
}

/** Where the word that starts at FROM ends: the next space outside quotes (or the line's end). */
function wordEnd(line: string, from: number, s: Scan): number {
  let i = from;
  while (i < line.length && !(/\s/.test(line[i]!) && s.quote[i] === "none" && !s.escaped[i])) i++;
  return i;
}

/**
 * The indent (shorter than PREFIX, only spaces) that lets the word at FROM, and its " \" when more follows, fit
 * in ROOM; undefined when PREFIX is no plain indent or no indent would do.
 */
function fitsWithLessIndent(line: string, from: number, prefix: string, room: number, s: Scan): string | undefined {
  if (prefix === "" || prefix.trim() !== "") return undefined;
  const end = wordEnd(line, from, s);
  const rest = line.slice(end).trim() === "" ? 0 : 2;
  const width = displayWidth(line.slice(from, end)) + rest;
  if (width > room || width + prefix.length <= room) return undefined;
  return " ".repeat(room - width);
}

/**
 * Shell code wrapped to `room` columns (the room left after the caller's indent). Lines that fit are unchanged;
 * heredoc bodies are never wrapped.
 */
export function wrapShellCode(code: string, room: number): string[] {
  return wrapShellLines(code, room).map((l) => l.text);
}

/**
 * A line of wrapped shell code. `flush`: it must be shown at column 0, with no indent before it, or what is typed
 * or copied from the screen is another command — the rest of a word cut at the end of the line before, a line
 * that starts inside quotes (`python3 -c '` … `'`), a here-document's body and its end word.
 */
export interface CodeLine {
  text: string;
  flush: boolean;
}

export function wrapShellLines(code: string, room: number): CodeLine[] {
  const out: CodeLine[] = [];
  let quote: Quote = "none";
  let heredoc: { word: string; tabs: boolean } | undefined;
  for (const line of code.split("\n")) {
    if (heredoc) {
      out.push({ text: line, flush: true });
      if ((heredoc.tabs ? line.replace(/^\t+/, "") : line) === heredoc.word) heredoc = undefined;
      continue;
    }
    const s = scan(line, quote);
    out.push(...(displayWidth(line) <= room ? [{ text: line, flush: quote !== "none" }] : wrapLine(line, room, quote)));
    quote = s.quote[line.length]!;
    const code_ = s.comment >= 0 ? line.slice(0, s.comment) : line;
    const doc = quote === "none" ? HEREDOC.exec(code_) : null;
    if (doc && !code_.includes("<<<")) heredoc = { word: doc[3]!, tabs: doc[1] === "-" };
  }
  return out;
}

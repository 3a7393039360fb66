// The code a hint shows and the command lines a step types, in one comparable form, for `hint/answer-first`.
// A command counts as given away when a hint shows it as code — a code span (which may run over a line break)
// or a line of a fenced block — whatever the spacing and `\` line continuations. Pure.

/** Code that a hint shows: its normalised text and the hint's Markdown line (0-based) it starts on. */
export interface HintCode {
  text: string;
  line: number;
}

/** A command shorter than this (`ip link`, `ls /`, `cd "$R"`) names a tool, not a step's answer. */
export const MIN_ANSWER = 8;

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/;
/** A code span: a run of backticks, text (a line break is a space), the same run; `\`` is no run. */
const CODE_SPAN = /(?<![`\\])(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g;

/**
 * A shell line as a reader compares it: continuations joined, runs of white space as one space, no space next to
 * `|`, `;`, `&`, `<`, `>`, `(` or `)` (so `a|b` and `a | b` are one command), no leading `$ ` prompt.
 */
export function normaliseCommand(line: string): string {
  return line
    .replace(/\\\r?\n/g, " ")
    .replace(/\s+/g, " ")
    .replace(/ ?([|;&<>()]) ?/g, "$1")
    .trim()
    .replace(/^\$ /, "");
}

/** The line without a trailing `# comment` (a `#` after white space, outside quotes). */
function withoutComment(line: string): string {
  let quote = "";
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote !== "") {
      if (c === quote) quote = "";
      else if (c === "\\" && quote === '"') i++;
    } else if (c === "\\") i++;
    else if (c === "'" || c === '"') quote = c;
    else if (c === "#" && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i);
  }
  return line;
}

/** Whether a normalised command line is more than a tool's name: two words or more, MIN_ANSWER characters. */
export function isAnswer(command: string): boolean {
  return command.length >= MIN_ANSWER && command.includes(" ");
}

/** A command line of a block: as written (comment dropped, white space collapsed) and normalised. */
export interface CommandLine {
  written: string;
  text: string;
}

/**
 * The command lines of a block's code that are long enough to be a step's answer. With `shown` (the hint's code,
 * joined), only lines whose first word is somewhere in it are normalised: lint runs over many labs, and most
 * lines are in no hint.
 */
export function answerLines(code: string, shown?: string): CommandLine[] {
  const out: CommandLine[] = [];
  const joined = code.includes("\\\n") || code.includes("\\\r") ? code.replace(/\\\r?\n/g, " ") : code;
  for (const line of joined.split("\n")) {
    const trimmed = line.trim();
    if (trimmed.length < MIN_ANSWER) continue;
    if (shown !== undefined) {
      const space = trimmed.search(/\s/);
      if (space === -1 || !shown.includes(trimmed.slice(0, space))) continue;
    }
    const written = (trimmed.includes("#") ? withoutComment(trimmed) : trimmed).replace(/\s+/g, " ").trim();
    const text = normaliseCommand(written);
    if (isAnswer(text)) out.push({ written, text });
  }
  return out;
}

/** Every piece of code a hint's Markdown shows: each logical line of its fenced blocks, each code span. */
export function hintCode(markdown: string): HintCode[] {
  const out: HintCode[] = [];
  const lines = markdown.split("\n");
  const prose: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE_OPEN.exec(lines[i]!);
    if (!open) {
      prose.push(lines[i]!);
      continue;
    }
    prose.push("");
    const fence = open[1]!;
    const closes = (line: string): boolean => {
      const rest = line.trimStart();
      return line.length - rest.length <= 3 && rest.startsWith(fence) && rest.slice(fence.length).replaceAll(fence[0]!, "").trim() === "";
    };
    let logical = "";
    let from = i + 1;
    for (i++; i < lines.length && !closes(lines[i]!); i++) {
      prose.push("");
      const line = lines[i]!;
      if (logical === "") from = i;
      if (/\\$/.test(line)) {
        logical += `${line.slice(0, -1)} `;
        continue;
      }
      out.push({ text: normaliseCommand(logical + line), line: from });
      logical = "";
    }
    if (logical !== "") out.push({ text: normaliseCommand(logical), line: from });
    if (i < lines.length) prose.push("");
  }
  // Code spans are read paragraph by paragraph (no span goes on past a blank line) in the text outside fences,
  // whose lines are kept blank so the line numbers stay right.
  let start = 0;
  while (start < prose.length) {
    let end = start;
    while (end < prose.length && prose[end]!.trim() !== "") end++;
    if (end > start) {
      const paragraph = prose.slice(start, end).join("\n");
      if (paragraph.includes("`")) {
        for (const m of paragraph.matchAll(CODE_SPAN)) {
          let line = start;
          for (let k = paragraph.indexOf("\n"); k !== -1 && k < m.index; k = paragraph.indexOf("\n", k + 1)) line++;
          out.push({ text: normaliseCommand(m[2]!), line });
        }
      }
    }
    start = end + 1;
  }
  return out.sort((a, b) => a.line - b.line);
}

const BOUNDARY = /[\s;|&()<>`{}]/;

/** Whether CODE shows COMMAND whole: the same text, or COMMAND as a part of it between separators. */
export function showsCommand(code: string, command: string): boolean {
  for (let at = code.indexOf(command); at !== -1; at = code.indexOf(command, at + 1)) {
    const before = at === 0 || BOUNDARY.test(code[at - 1]!);
    const end = at + command.length;
    const after = end === code.length || BOUNDARY.test(code[end]!);
    if (before && after) return true;
  }
  return false;
}

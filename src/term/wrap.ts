// ANSI-aware word wrapping. Colours that span a line break are closed at the end of the line and reopened
// after the next line's indent, so indents stay uncoloured and every line stands on its own (pagers, logs).
import { displayWidth } from "./width.js";

export interface WrapOptions {
  /** Put before every line but the first (the hanging indent of a list item, "│ " of a quote). */
  indent?: string;
  /** Put before the first line; defaults to `indent`. */
  firstIndent?: string;
}

const SGR = /^\x1b\[([0-9;]*)m$/;
const TOKEN = /(\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\))|([ \t]+)|([^ \t\x1b]+|\x1b)/g;

/** Which opening SGR parameters a closing one ends (chalk closes each style with its own code). */
const CLOSES: Record<string, (open: string) => boolean> = {
  "22": (o) => o === "1" || o === "2",
  "23": (o) => o === "3",
  "24": (o) => o === "4",
  "27": (o) => o === "7",
  "28": (o) => o === "8",
  "29": (o) => o === "9",
  "39": (o) => /^(3[0-8]|9[0-7])(;|$)/.test(o),
  "49": (o) => /^(4[0-8]|10[0-7])(;|$)/.test(o),
};

/** Tracks which SGR styles are open, to close and reopen them around line breaks. */
class SgrState {
  private open: string[] = [];

  update(seq: string): void {
    const m = SGR.exec(seq);
    if (!m) return;
    const params = m[1] ?? "";
    if (params === "" || params === "0") this.open = [];
    else if (CLOSES[params]) this.open = this.open.filter((o) => !CLOSES[params]!(SGR.exec(o)?.[1] ?? ""));
    else this.open.push(seq);
  }

  get reopen(): string {
    return this.open.join("");
  }

  get close(): string {
    return this.open.length > 0 ? "\x1b[0m" : "";
  }
}

/** Characters a word too long for a line is best broken after: a path's `/`, a list's `,` (`<UP,LOWER_UP>`). */
const BREAK_AFTER = new Set(["/", ","]);

/**
 * Where a word of CHARS (with their widths) wider than a line is broken: before each index returned. The first
 * piece has FIRST columns, the others ROOM. Each piece ends after its last `/` or `,` when that leaves it at least
 * a third of its room, else where the room ends (no character is ever lost). Pure.
 */
export function wordBreaks(chars: readonly { ch: string; width: number }[], first: number, room: number): number[] {
  const breaks: number[] = [];
  let avail = Math.max(1, first);
  let start = 0;
  let used = 0;
  for (let i = 0; i < chars.length; i++) {
    if (used + chars[i]!.width <= avail || i === start) {
      used += chars[i]!.width;
      continue;
    }
    // chars[start..i) fill the piece: end it after its last break character when that is not too early.
    let at = i;
    let width = 0;
    for (let j = start; j < i; j++) {
      width += chars[j]!.width;
      if (BREAK_AFTER.has(chars[j]!.ch) && width >= avail / 3) at = j + 1;
    }
    breaks.push(at);
    start = at;
    avail = Math.max(1, room);
    used = 0;
    i = at - 1;
  }
  return breaks;
}

/** Wraps one line (no "\n") into lines of at most `firstWidth`, then `width` columns (indents not counted). */
function wrapLine(line: string, firstWidth: number, width: number, state: SgrState): string[] {
  const out: string[] = [];
  let current = "";
  let currentWidth = 0;
  let pending = ""; // whitespace since the last word: kept only if another word follows on the same line
  let word: string[] = []; // the word being collected: text pieces and the escapes inside or before it
  let wordWidth = 0;
  const place = (): void => {
    if (word.length === 0) return;
    // Leading whitespace of the source line is kept; whitespace at a break is dropped.
    const atBreak = currentWidth === 0 && out.length > 0;
    const spaceWidth = atBreak ? 0 : displayWidth(pending);
    const limit = out.length === 0 ? firstWidth : width;
    if (wordWidth > 0 && currentWidth > 0 && currentWidth + spaceWidth + wordWidth > limit) {
      // Break before the word, with the styles open before it (its own escapes are not applied yet).
      out.push(current + state.close);
      current = state.reopen;
      currentWidth = 0;
    } else if (!atBreak) {
      current += pending;
      currentWidth += spaceWidth;
    }
    // A word wider than the line is broken (a path after a `/`), not left for the terminal to cut anywhere.
    const chars = word.flatMap((piece) => (piece.startsWith("\x1b") ? [{ ch: piece, width: 0 }] : Array.from(piece, (ch) => ({ ch, width: displayWidth(ch) }))));
    const breaks = currentWidth + wordWidth > (out.length === 0 ? firstWidth : width) ? new Set(wordBreaks(chars, (out.length === 0 ? firstWidth : width) - currentWidth, width)) : new Set<number>();
    chars.forEach(({ ch, width: w }, i) => {
      if (breaks.has(i)) {
        out.push(current + state.close);
        current = state.reopen;
        currentWidth = 0;
      }
      if (ch.startsWith("\x1b")) state.update(ch);
      current += ch;
      currentWidth += w;
    });
    pending = "";
    word = [];
    wordWidth = 0;
  };
  for (const m of line.matchAll(TOKEN)) {
    const [, escape, space, text] = m;
    if (escape !== undefined) {
      word.push(escape);
    } else if (space !== undefined) {
      if (wordWidth > 0) place();
      pending += space;
    } else if (text !== undefined) {
      word.push(text);
      wordWidth += displayWidth(text);
    }
  }
  place();
  out.push(current);
  return out;
}

/**
 * Wraps text to `width` columns (indent included), keeping existing line breaks. A word longer than a line goes on
 * a line of its own and is broken where it reaches the edge (a path or URL after a `/`: the terminal would cut it
 * anywhere, mid-name), no character left out.
 */
export function wrapText(text: string, width: number, opts: WrapOptions = {}): string {
  const indent = opts.indent ?? "";
  const firstIndent = opts.firstIndent ?? indent;
  const state = new SgrState();
  const lines: string[] = [];
  for (const source of text.split("\n")) {
    // A colour left open on the previous source line is reopened after this line's indent.
    const carried = source === "" ? "" : state.reopen;
    const room = Math.max(1, width - displayWidth(indent));
    const firstRoom = lines.length === 0 ? Math.max(1, width - displayWidth(firstIndent)) : room;
    const pieces = wrapLine(source, firstRoom, room, state);
    if (carried !== "" && lines.length > 0) lines[lines.length - 1] += "\x1b[0m";
    pieces[0] = carried + (pieces[0] ?? "");
    for (const piece of pieces) {
      const prefix = lines.length === 0 ? firstIndent : indent;
      lines.push(piece === "" ? prefix.trimEnd() : prefix + piece);
    }
  }
  return lines.join("\n");
}

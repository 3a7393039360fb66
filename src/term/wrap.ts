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
    for (const piece of word) {
      if (piece.startsWith("\x1b")) state.update(piece);
      current += piece;
    }
    currentWidth += wordWidth;
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
 * Wraps text to `width` columns (indent included), keeping existing line breaks. Words longer than a line
 * are left whole (URLs and paths must stay copyable) and go on a line of their own.
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

// How many terminal columns a string takes, by string-width (Unicode's East Asian Width and emoji data:
// 👍🏽, ✅ and ⚠️ take two columns, combining marks none; ANSI escapes none) — the hand-written table this
// replaces counted those emoji wrong and pushed lines past the edge.
import stringWidth from "string-width";
import stripAnsiText from "strip-ansi";

export function stripAnsi(text: string): string {
  return stripAnsiText(text);
}

/** Columns `text` occupies on a terminal. */
export function displayWidth(text: string): number {
  // Printable ASCII is one column a character. string-width costs microseconds a call, and wrapping asks it per
  // character of a word too long for the line: a 1 MB line in a lab took minutes to show.
  return PRINTABLE_ASCII.test(text) ? text.length : stringWidth(text);
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Pads with spaces to `width` columns (ANSI-aware); never cuts. */
export function padEndDisplay(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - displayWidth(text)));
}

export function padStartDisplay(text: string, width: number): string {
  return " ".repeat(Math.max(0, width - displayWidth(text))) + text;
}

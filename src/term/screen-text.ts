// What a terminal showed, as text: the bytes a program wrote to a terminal, read the way a person saw them.
// Pure.

/**
 * Terminal output as a person read it: no control sequences, carriage returns and backspaces applied. With COLS
 * (the terminal's width), a carriage return goes back to the start of the row the cursor is on, not of the whole
 * line: a shell's line editor that wraps a long command line writes " \r" at the edge so the terminal moves on
 * to the next row, and what follows belongs after the text, not over its start.
 */
export function plainText(raw: string, cols?: number): string {
  return raw
    .replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>]/g, "")
    .split("\n")
    .map((line) => {
      let out = "";
      let at = 0;
      line.split("\r").forEach((part, i) => {
        // At the right edge (a wrap pending) the cursor is still on the row it filled.
        if (i > 0) at = cols && cols > 0 ? (at > 0 && at % cols === 0 ? at - cols : at - (at % cols)) : 0;
        out = out.slice(0, at) + part + out.slice(at + part.length);
        at += part.length;
      });
      let kept = "";
      for (const ch of out) kept = ch === "\b" ? kept.slice(0, -1) : kept + ch;
      return kept;
    })
    .join("\n");
}

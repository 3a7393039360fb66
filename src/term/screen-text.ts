// What a terminal showed, as text: the bytes a program wrote to a terminal, read the way a person saw them.
// Pure.

/** Terminal output as a person read it: no control sequences, carriage returns and backspaces applied. */
export function plainText(raw: string): string {
  return raw
    .replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>]/g, "")
    .split("\n")
    .map((line) => {
      let out = "";
      for (const part of line.split("\r")) out = part.length >= out.length ? part : part + out.slice(part.length);
      let kept = "";
      for (const ch of out) kept = ch === "\b" ? kept.slice(0, -1) : kept + ch;
      return kept;
    })
    .join("\n");
}

// Small helpers for rules that point at a word on a source line.

/** 1-based column of `needle` on the 1-based `line`, or 1 when the source is unknown or the text is not there. */
export function columnOf(lines: string[], line: number, needle: string): number {
  const at = (lines[line - 1] ?? "").indexOf(needle);
  return at === -1 ? 1 : at + 1;
}

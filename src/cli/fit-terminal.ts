// A message for the person at a terminal: wrapped at words there (under its indent or column), so the terminal
// never cuts a word or a path mid-way at 80 columns; pipes and files get it as written. Pure but for isTTY.
import { fitReport } from "../term/help-wrap.js";

export function forTerminal(stream: NodeJS.WriteStream, text: string): string {
  return stream.isTTY ? fitReport(text, stream.columns || 80) : text;
}

// A lint diagnostic for a terminal of a given width: the message and what was expected wrap at words under their
// own indent; the example is code to copy, so its lines are never wrapped (a terminal cuts them, as it cuts code).
import { formatDiagnostic } from "../format/diagnostics.js";
import type { Diagnostic } from "../format/types.js";
import { wrapText } from "./wrap.js";

const EXPECTED = "    expected: ";

export function diagnosticText(d: Diagnostic, width: number | undefined): string {
  if (!width || width < 40) return formatDiagnostic(d);
  const [head = "", ...rest] = formatDiagnostic(d).split("\n");
  const out = [wrapText(head, width, { firstIndent: "", indent: "    " })];
  for (const line of rest) {
    out.push(line.startsWith(EXPECTED) ? wrapText(line.slice(EXPECTED.length), width, { firstIndent: EXPECTED, indent: " ".repeat(EXPECTED.length) }) : line);
  }
  return out.join("\n");
}

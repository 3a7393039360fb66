// Markdown tables as aligned columns. Cells that do not fit are wrapped inside their column.
import type { Tokens } from "marked";
import type { Style } from "./style.js";
import { renderInline } from "./markdown-inline.js";
import { displayWidth, padEndDisplay, padStartDisplay } from "./width.js";
import { wrapText } from "./wrap.js";

const GAP = "  ";
const MIN_COLUMN = 6;

/** Column widths that fit `width`: natural widths, the widest shrunk first when the table is too wide. */
function fitColumns(natural: number[], width: number): number[] {
  const widths = [...natural];
  const room = width - GAP.length * (widths.length - 1);
  while (widths.reduce((a, b) => a + b, 0) > room) {
    const widest = widths.indexOf(Math.max(...widths));
    if (widths[widest]! <= MIN_COLUMN) break;
    widths[widest]! -= 1;
  }
  return widths;
}

function align(text: string, width: number, how: Tokens.TableCell["align"]): string {
  if (how === "right") return padStartDisplay(text, width);
  if (how === "center") {
    const left = Math.floor((width - displayWidth(text)) / 2);
    return padEndDisplay(" ".repeat(Math.max(0, left)) + text, width);
  }
  return padEndDisplay(text, width);
}

export function renderTable(token: Tokens.Table, width: number, style: Style): string[] {
  const { chalk, sym } = style;
  const header = token.header.map((c) => renderInline(c.tokens, style));
  const rows = token.rows.map((r) => r.map((c) => renderInline(c.tokens, style)));
  const columns = header.length;
  const natural = Array.from({ length: columns }, (_, k) => Math.max(1, ...[header, ...rows].map((r) => displayWidth(r[k] ?? ""))));
  const widths = fitColumns(natural, width);
  const line = (cells: string[], paint: (s: string) => string = (s) => s): string[] => {
    const wrapped = widths.map((w, k) => wrapText(cells[k] ?? "", w).split("\n"));
    const height = Math.max(...wrapped.map((c) => c.length));
    const out: string[] = [];
    for (let i = 0; i < height; i++) {
      out.push(widths.map((w, k) => paint(align(wrapped[k]![i] ?? "", w, token.align[k] ?? null))).join(GAP).trimEnd());
    }
    return out;
  };
  const rule = chalk.dim(widths.map((w) => sym.box.h.repeat(w)).join(GAP));
  return [...line(header, (s) => chalk.bold(s)), rule, ...rows.flatMap((r) => line(r))];
}

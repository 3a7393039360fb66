// What a step's commands printed, shown again right above the explanation when the two do not fit the terminal
// together. A typed turn's screen is read as a person reads it: the prompts and the echo of what was typed are
// not output (the commands keep a short "$ …" line while there is room; `check` is left out), and every line is
// wrapped to the terminal so none is broken in the middle of a word by the terminal itself. When there is no
// room for all of it, each command keeps the start and the end of its output (a header and a result), with a
// line saying how much is left out and where to read it. Pure.
import type { Block, Step } from "../format/types.js";
import { displayWidth } from "../term/width.js";
import { wrapText } from "../term/wrap.js";
import type { StepTranscript } from "./between-steps.js";
import { commandBlocks } from "./context.js";
import { lastRunOfEach, typedRuns, type PrintedLine } from "./typed-runs.js";
import type { View } from "./render.js";

export type { PrintedLine } from "./typed-runs.js";

/**
 * Output as lines, with a typed turn's prompts turned into "$ COMMAND" lines (a command continued on "> " lines
 * ends with " …"); `check`, empty prompts, `^C` and blank lines at either end are left out. With BLOCK, a command
 * typed again later (a failed attempt, then the right one) keeps only its last run (./typed-runs.ts).
 */
export function printedLines(output: string, block?: Block): PrintedLine[] {
  const out = lastRunOfEach(typedRuns(output), block).flatMap((r) => [...(r.command ? [r.command] : []), ...r.output]);
  while (out.length > 0 && out[0]!.text === "") out.shift();
  while (out.length > 0 && out.at(-1)!.text === "") out.pop();
  return out;
}

/** Lines laid out in columns (`ls`, `ps`, a table): runs of spaces that line up with the lines around them. */
const COLUMNS = / {2}|\t/;

/**
 * LINE as rows of at most WIDTH columns, under INDENT. A line that fits is kept verbatim (its spaces, its columns);
 * a longer prose-like line is wrapped at words (four columns in where it goes on), a longer columnar one is cut
 * where the row ends, as the terminal did.
 */
export function recapRows(line: string, width: number, indent = "  "): string[] {
  if (displayWidth(indent + line) <= width) return [indent + line];
  const rows: string[] = [];
  const wrapped = COLUMNS.test(line.trim()) ? [indent + line] : wrapText(line, width, { firstIndent: indent, indent: `${indent}  ` }).split("\n");
  for (const row of wrapped) {
    let rest = row;
    while (displayWidth(rest) > width) {
      let cut = width;
      while (cut > 4 && displayWidth(rest.slice(0, cut)) > width) cut--;
      rows.push(rest.slice(0, cut));
      rest = `${indent}${rest.slice(cut)}`;
    }
    rows.push(rest);
  }
  return rows;
}

/** The indent for a command's output: two columns, or none when that keeps its columnar lines from being cut. */
function indentFor(lines: readonly PrintedLine[], width: number): string {
  const output = lines.filter((l) => !l.command).map((l) => l.text);
  const columnar = output.filter((l) => COLUMNS.test(l.trim()));
  const cutByIndent = columnar.some((l) => displayWidth(l) + 2 > width);
  return cutByIndent && columnar.every((l) => displayWidth(l) <= width) ? "" : "  ";
}

interface Printed {
  label: string;
  note: string;
  lines: PrintedLine[];
}

/** ROWS cut to KEEP rows: the first and the last ones, and a line in between saying what was left out. */
function cut(rows: string[], keep: number, more: (n: number) => string, wanted: (row: string) => boolean = () => false): string[] {
  if (rows.length <= keep) return rows;
  const kept = Math.max(1, keep - 1);
  // The rows the explanation refers to first; then the end (a result, the last line printed) and the start (a
  // header), alternately, the end first when only one line is left.
  const chosen = new Set<number>();
  rows.forEach((row, i) => chosen.size < kept && wanted(row) && chosen.add(i));
  for (let k = 0; chosen.size < kept; k++) chosen.add(k % 2 === 0 ? rows.length - 1 - Math.floor(k / 2) : Math.floor(k / 2));
  const out: string[] = [];
  let gapAt = -1;
  rows.forEach((row, i) => {
    if (chosen.has(i)) out.push(row);
    else if (gapAt < 0) gapAt = out.length;
  });
  out.splice(gapAt, 0, more(rows.length - chosen.size));
  return out;
}

/** Words of EXPLANATION that point at output: its code spans (3+ characters) and numbers of 3+ digits. */
export function explanationRefs(explanation: string): string[] {
  const spans = [...explanation.matchAll(/`([^`\n]{3,})`/g)].map((m) => m[1]!.trim());
  const numbers = explanation.match(/\b\d{3,}\b/g) ?? [];
  return [...new Set([...spans, ...numbers])];
}

/** How many rows each of SIZES gets out of ROOM: the small ones all they need, the big ones an equal share. */
function shares(sizes: number[], room: number): number[] {
  const out = sizes.map(() => 0);
  let left = Math.max(0, room);
  const order = sizes.map((n, i) => [n, i] as const).sort((a, b) => a[0] - b[0]);
  order.forEach(([n, i], k) => {
    const fair = Math.floor(left / (order.length - k));
    out[i] = Math.max(Math.min(n, 2), Math.min(n, fair));
    left -= out[i]!;
  });
  return out;
}

/**
 * What the step's commands printed, each under a label, for showing it again beside the explanation: at most
 * MAX rows of the terminal (v.width columns), cut as described above when it does not fit. WHEN "again": the
 * compact copy that heads each later page of a paged explanation.
 */
export function outputRecap(step: Step, transcript: Pick<StepTranscript, "outputOf"> & Partial<Pick<StepTranscript, "failedAsExpected">>, v: View, max: number, when: "first" | "again" = "first"): string[] {
  const { chalk } = v.style;
  const commands = commandBlocks(step);
  const printed: Printed[] = [...commands, ...step.blocks.filter((b) => b.role === "solution")]
    .map((block) => ({
      label: block.role === "solution" ? "The solution" : commands.length > 1 ? `Command ${commands.indexOf(block) + 1}/${commands.length}` : "The command",
      // A command meant to fail says so here too, or its error message would read as a mistake.
      note: transcript.failedAsExpected?.(block.line) ? ` (exit status ${block.exit}, as expected: it is meant to fail)` : "",
      lines: printedLines(transcript.outputOf(block.line), block),
    }))
    .filter((p) => p.lines.some((l) => !l.command));
  if (printed.length === 0) return [];
  const head = chalk.bold(when === "first" ? "What your commands printed (the explanation below is about it):" : "Again, what your commands printed (the explanation goes on about it):");
  const rowsOf = (p: Printed, withCommands: boolean): string[] => {
    const indent = indentFor(p.lines, v.width);
    return p.lines.filter((l) => withCommands || !l.command).flatMap((l) => recapRows(l.text, v.width, l.command ? "  " : indent).map((r) => (l.command ? chalk.dim(r) : r)));
  };
  const layout = (body: (p: Printed, i: number) => string[]) => [head, ...printed.flatMap((p, i) => [chalk.dim(`${p.label} printed${p.note}:`), ...body(p, i)])];
  for (const withCommands of [true, false]) {
    const whole = layout((p) => rowsOf(p, withCommands));
    if (whole.length <= max) return whole;
  }
  const rows = printed.map((p) => rowsOf(p, false));
  const keep = shares(
    rows.map((r) => r.length),
    max - 1 - printed.length,
  );
  const more = (n: number) => chalk.dim(`  … (${n} more line${n === 1 ? "" : "s"}: "Read step ${step.index + 1} again" shows them)`);
  const refs = explanationRefs(step.explanation ?? "");
  const wanted = (row: string) => refs.some((r) => row.includes(r));
  return layout((_p, i) => cut(rows[i]!, keep[i]!, more, wanted));
}

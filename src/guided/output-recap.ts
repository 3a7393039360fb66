// What a step's commands printed, shown again right above the explanation when the two do not fit the terminal
// together. A typed turn's screen is read as a person reads it: the prompts and the echo of what was typed are
// not output (each command typed keeps a short "$ …" line, so no output reads as another command's; commands
// whose output is all left out may share one, "$ cat …; ls …", when that leaves room for what the explanation
// quotes; `check` is left out), and every line is wrapped to the terminal so none is broken in the middle of a word by
// the terminal itself. When there is no room for all of it, each command keeps the start and the end of its
// output (a header and a result), with a line where lines are left out saying how many and where to read them
// (./recap-cut.ts). Pure.
import type { Block, Step } from "../format/types.js";
import { displayWidth } from "../term/width.js";
import { wrapText } from "../term/wrap.js";
import { wrapShellLines } from "../term/shell-wrap.js";
import type { StepTranscript } from "./between-steps.js";
import { commandBlocks } from "./context.js";
import { cutRecapCounted, type RecapLine } from "./recap-cut.js";
import { blockCommands, lastRunOfEach, matchCommand, typedRuns, type PrintedLine } from "./typed-runs.js";
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
 * a longer one is wrapped at a space (four columns in where it goes on; its own runs of spaces, its columns, are
 * kept), so an `ls -l` line wider than the terminal keeps its name whole on the next row. A word wider than a row
 * is cut where the row ends and goes on in the next one: nothing of the line is ever left out.
 */
export function recapRows(line: string, width: number, indent = "  "): string[] {
  if (displayWidth(indent + line) <= width) return [indent + line];
  const rows: string[] = [];
  for (const row of wrapText(line, width, { firstIndent: indent, indent: `${indent}  ` }).split("\n")) {
    let rest = row;
    while (displayWidth(rest) > width) {
      let cut = width;
      while (cut > 4 && displayWidth(rest.slice(0, cut)) > width) cut--;
      rows.push(rest.slice(0, cut));
      rest = `${indent}  ${rest.slice(cut)}`;
    }
    rows.push(rest);
  }
  return rows;
}

/**
 * A command line typed by the learner ("$ …") wrapped the shell's way (../term/shell-wrap.ts): between words with
 * " \\", never inside a quoted string that fits a row, so what is shown is still the command.
 */
export function commandRows(text: string, width: number): string[] {
  if (displayWidth(`  ${text}`) <= width) return [`  ${text}`];
  return wrapShellLines(text.replace(/^\$ /, ""), Math.max(20, width - 4)).map((l, i) => (i === 0 ? `  $ ${l.text}` : l.flush ? l.text : `    ${l.text}`));
}

/** A command line typed by the learner on one row, shortened with "…" when wider (the recap is short of room). */
function oneRow(text: string, width: number): string {
  const row = `  ${text}`;
  if (displayWidth(row) <= width) return row;
  let cut = row.length;
  while (cut > 4 && displayWidth(`${row.slice(0, cut).trimEnd()} …`) > width) cut--;
  return `${row.slice(0, cut).trimEnd()} …`;
}

/** The indent for a command's output: two columns, or none when that keeps its columnar lines from being wrapped. */
function indentFor(lines: readonly PrintedLine[], width: number): string {
  const output = lines.filter((l) => !l.command).map((l) => l.text);
  const columnar = output.filter((l) => COLUMNS.test(l.trim()));
  const wrappedByIndent = columnar.some((l) => displayWidth(l) + 2 > width);
  return wrappedByIndent && columnar.every((l) => displayWidth(l) <= width) ? "" : "  ";
}

interface Printed {
  label: string;
  note: string;
  block: Block;
  lines: Typed[];
}

/** Words of EXPLANATION that point at output: its code spans (3+ characters) and numbers of 3+ digits. */
export function explanationRefs(explanation: string): string[] {
  // Every span paired first, then the short ones dropped: a short span (`u`) must not pair its closing backtick
  // with the next span's opening one, making prose between them a "span".
  const spans = [...explanation.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!.trim()).filter((span) => span.length >= 3);
  const numbers = explanation.match(/\b\d{3,}\b/g) ?? [];
  return [...new Set([...spans, ...numbers])];
}

/**
 * Does REF (a word of the explanation) point at the output line TEXT? When TEXT contains it; or, for a command the
 * explanation quotes as typed (`hostname rlus-box` worked), when TEXT is one of its arguments alone, as such a
 * command prints it (`rlus-box`). Pure.
 */
export function quotes(ref: string, text: string, code: readonly string[]): boolean {
  if (text.includes(ref)) return true;
  if (!/\s/.test(ref) || !code.some((c) => c.includes(ref))) return false;
  const line = text.trim();
  return ref.split(/\s+/).slice(1).some((word) => word.length >= 3 && !/^[-$'"]/.test(word) && word === line);
}

/** A typed line (the echo of a command, or output) and, for a command, its program(s) for a row shared with others. */
type Typed = PrintedLine & { programs?: string[] };

/** A command cut to its program, for a row it shares with others: "find …" ("id" stays whole). */
function program(command: string): string {
  return command.trim().replace(/^(\S+)\s.*$/s, "$1 …");
}

/**
 * How surely REF (a word of the explanation found in a line of output) says the explanation talks about that line:
 * most when it is not in the CODE the learner typed (output, not a name typed: `corrupt.tar.gz: FAILED`, not
 * `alpine-root`), more for a value (a number, words with spaces or a colon: `0:82`) than a name (`sbin`), then by
 * length.
 */
export function quoteWeight(ref: string, code: readonly string[]): number {
  const typed = code.some((c) => c.includes(ref));
  return (typed ? 0 : 1000) + (/[\d\s:=]/.test(ref) ? 500 : 0) + ref.length;
}

/**
 * LINES with each stretch of commands that printed nothing, typed one after the other, as one "$ a; b; c" line
 * (with the command after them when it fits whole: what follows is its output), each cut to its program
 * ("find …") when they do not fit in WIDTH together: every command stays in a recap short of room, and the rows
 * go to what they printed.
 */
function foldSilent(lines: readonly PrintedLine[], width: number): Typed[] {
  const out: Typed[] = [];
  let silent: string[] = [];
  const fits = (commands: string[]) => displayWidth(`  $ ${commands.join("; ")}`) <= width;
  const flush = () => {
    const short = silent.map(program);
    if (silent.length > 0) out.push({ text: `$ ${(silent.length === 1 || fits(silent) ? silent : short).join("; ")}`, command: true, programs: short });
    silent = [];
  };
  lines.forEach((line, i) => {
    const typed = line.text.replace(/^\$ /, "");
    if (line.command && lines[i + 1]?.command !== false) silent.push(typed);
    else if (line.command && silent.length > 0 && fits([...silent, typed])) {
      silent.push(typed);
      out.push({ text: `$ ${silent.join("; ")}`, command: true, programs: silent.map(program) });
      silent = [];
    } else {
      flush();
      out.push(line.command ? { ...line, programs: [program(typed)] } : line);
    }
  });
  flush();
  return out;
}

/** Commands sharing a row, as their PROGRAMS ("$ cat …; sh …; ls …"), on more rows only when WIDTH is short. */
export function sharedRows(programs: readonly string[], width: number): string[] {
  const rows: string[] = [];
  let row = "";
  for (const p of programs) {
    if (row !== "" && displayWidth(`${row}; ${p}`) > width) {
      rows.push(`${row};`);
      row = `    ${p}`;
    } else row = row === "" ? `  $ ${p}` : `${row}; ${p}`;
  }
  return [...rows, row];
}

/**
 * P's lines as the recap shows them, with the rows each takes at WIDTH: the commands typed whole (wrapped) or, when
 * the room is short, on one row each; WANTED tells the lines the explanation refers to. RUN: the number of the
 * first command's output (each command's differs).
 */
function recapLines(p: Printed, width: number, commands: "whole" | "one row", wanted: (text: string) => number, dim: (s: string) => string, run: number): RecapLine[] {
  const indent = indentFor(p.lines, width);
  const stepCommands = blockCommands(p.block);
  let stepRun = true;
  return p.lines.map((l: Typed) => {
    if (!l.command) return { rows: recapRows(l.text, width, indent), kind: "output", wanted: wanted(l.text), run, stepRun };
    run++;
    stepRun = matchCommand(l.text.replace(/^\$ /, "").replace(/ …$/, ""), stepCommands) !== undefined;
    const rows = commands === "whole" ? commandRows(l.text, width) : [oneRow(l.text, width)];
    return { rows: rows.map(dim), kind: "command", wanted: 0, run, stepRun, programs: l.programs };
  });
}

/**
 * What the step's commands printed, each under a label, for showing it again beside the explanation: at most
 * MAX rows of the terminal (v.width columns), cut as described above when it does not fit. WHEN "again": the
 * compact copy that heads each later page of a paged explanation.
 */
export function outputRecap(step: Step, transcript: Pick<StepTranscript, "outputOf"> & Partial<Pick<StepTranscript, "failedAsExpected">>, v: View, max: number, when: "first" | "again" = "first"): string[] {
  return toldRecap(step, transcript, v, max, when).rows;
}

/**
 * What outputRecap left out: nothing (WHOLE), or how many of the lines the explanation quotes (QUOTEDLEFT) and
 * how many commands' output wholly (HIDDENRUNS).
 */
export interface RecapTold {
  rows: string[];
  whole: boolean;
  quotedLeft: number;
  hiddenRuns: number;
}

/** outputRecap, and what it left out (showExplanation gives rows up only when that costs no line the text needs). */
export function toldRecap(step: Step, transcript: Pick<StepTranscript, "outputOf"> & Partial<Pick<StepTranscript, "failedAsExpected">>, v: View, max: number, when: "first" | "again" = "first"): RecapTold {
  const { chalk } = v.style;
  const commands = commandBlocks(step);
  const printed: Printed[] = [...commands, ...step.blocks.filter((b) => b.role === "solution")]
    .map((block) => ({
      label: block.role === "solution" ? "The solution" : commands.length > 1 ? `Command ${commands.indexOf(block) + 1}/${commands.length}` : "The command",
      // A command meant to fail says so here too, or its error message would read as a mistake.
      note: transcript.failedAsExpected?.(block.line) ? ` (exit status ${block.exit}, as expected: it is meant to fail)` : "",
      block,
      lines: printedLines(transcript.outputOf(block.line), block),
    }))
    .filter((p) => p.lines.some((l) => !l.command));
  if (printed.length === 0) return { rows: [], whole: true, quotedLeft: 0, hiddenRuns: 0 };
  const head = chalk.bold(when === "first" ? "What your commands printed (the explanation below is about it):" : "Again, what your commands printed (the explanation goes on about it):");
  const label = (p: Printed) => chalk.dim(`${p.label} printed${p.note}:`);
  const refs = explanationRefs(step.explanation ?? "");
  const code = step.blocks.filter((b) => b.role === "command" || b.role === "solution").map((b) => b.code);
  const wanted = (text: string) => Math.max(0, ...refs.filter((r) => quotes(r, text, code)).map((r) => quoteWeight(r, code)));
  const dim = (s: string) => chalk.dim(s);
  // Everything; then the commands typed on one row each; then, with every command still there, the output cut.
  for (const how of ["whole", "one row"] as const) {
    const whole = [head, ...printed.flatMap((p, i) => [label(p), ...recapLines(p, v.width, how, wanted, dim, i * 1000).flatMap((l) => l.rows)])];
    if (whole.length <= max) return { rows: whole, whole: true, quotedLeft: 0, hiddenRuns: 0 };
  }
  // Cut: a plain label goes when the commands typed say what ran (a label with a note stays: it says a command
  // was meant to fail, and its error message would read as a mistake without it).
  const lines = printed.flatMap((p, i): RecapLine[] => {
    const body = recapLines({ ...p, lines: foldSilent(p.lines, v.width) }, v.width, "one row", wanted, dim, i * 1000);
    const typed = body.some((l) => l.kind === "command");
    // Short of room, a note says it in fewer words, so that a marker fits on its row (Markers.after, .lead).
    const short = p.note === "" ? label(p) : chalk.dim(`${p.label} printed (exit status ${p.block.exit}: meant to fail):`);
    return [...(typed && p.note === "" ? [] : [{ rows: [short], kind: "label" as const, wanted: 0, run: -1, stepRun: false }]), ...body];
  });
  const again = `"Read step ${step.index + 1} again" shows them`;
  // "… (3 more lines, 1 quoted)": of the lines left out there, those the explanation quotes — said where it fits
  // (the heading gives their number in all), so the learner knows the text talks about something not shown.
  const lineCount = (n: number, quoted = 0) => `${n} more line${n === 1 ? "" : "s"}${quoted > 0 ? `, ${quoted} quoted` : ""}`;
  const fits = (s: string) => displayWidth(s) <= v.width;
  const firstFitting = (...rows: string[]) => rows.find(fits);
  const markers = {
    row: (n: number, q = 0) => chalk.dim(firstFitting(`  … (${lineCount(n, q)} here: ${again})`, `  … (${lineCount(n, q)})`) ?? `  … (${lineCount(n)})`),
    after: (command: string, n: number, q = 0) => {
      const row = firstFitting(`${command}  … (${lineCount(n, q)})`, `${command}  … (${lineCount(n)})`);
      return row === undefined ? undefined : `${command}${chalk.dim(row.slice(command.length))}`;
    },
    lead: (label: string, n: number, q = 0) => {
      const row = firstFitting(`${label}  … (${lineCount(n, q)}), then:`, `${label}  … (${lineCount(n)}), then:`);
      return row === undefined ? undefined : `${label}${chalk.dim(row.slice(label.length))}`;
    },
    inline: (command: string, output: string) => (fits(`${command}  → ${output.trim()}`) ? `${command}${chalk.dim("  → ")}${output.trim()}` : undefined),
    shared: (programs: string[]) => sharedRows(programs, v.width).map(dim),
  };
  const cut = cutRecapCounted(lines, max - 1, markers);
  const n = cut.quotedLeft;
  const short = chalk.bold(firstFitting(
    when === "first" ? `What your commands printed (${n} line${n === 1 ? "" : "s"} the explanation quotes did not fit):` : `Again, what your commands printed (${n} line${n === 1 ? "" : "s"} it quotes did not fit):`,
    `What your commands printed (${n} quoted line${n === 1 ? "" : "s"} left out):`,
  ) ?? head);
  return { rows: [n > 0 ? short : head, ...cut.rows], whole: false, quotedLeft: n, hiddenRuns: cut.hiddenRuns };
}
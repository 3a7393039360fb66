// rootlab list: the labs, whether each can run on this machine (and why not), and the student's progress.
import { outputColumns } from "../../term/columns.js";
import { disposableState } from "../../host/guard.js";
import { basename, isAbsolute, relative } from "node:path";
import type { Command } from "../command.js";
import { findLabFiles, labsDir } from "../../format/load.js";
import { labSummaries, type LabSummary } from "../lab-summaries.js";
import { assessRequires, type Need } from "../../host/preflight.js";
import { needWithFix } from "../../host/doctor.js";
import { probeFeatures } from "../../host/features.js";
import { isRoot, rootlabAsRoot, rootlabCommand, sudoRerun } from "../../host/paths.js";
import { createStyle, type Style } from "../../term/style.js";
import { displayWidth } from "../../term/width.js";
import { progressCell, type ProgressCell } from "../progress-column.js";
import { fitReport } from "../../term/help-wrap.js";
import { nextCommandLines } from "../list-next.js";
import { existsSync } from "node:fs";
import { UsageError } from "../../core/errors.js";

/** One need of a lab that is not met here: "unmet", or "unknown" (its probe needs root). */
export type LabNeed = Pick<Need, "need" | "state" | "fix">;

export interface LabRow {
  id: string;
  title: string;
  level: string;
  duration: string;
  file: string;
  /** Every need is met ("unknown" needs count as not met: they could not be checked). */
  canRun: boolean;
  /** The needs that are not met, each with its state: "unmet", or "unknown" when checking it needs root. */
  unmet: LabNeed[];
  progress: ProgressCell;
}

interface InvalidLab {
  file: string;
  errors: number;
}

async function rowFor(lab: LabSummary, style: Style, commands: Map<string, Need>): Promise<LabRow> {
  const needs = await assessRequires(lab.meta.requires, lab.meta.uses, commands);
  const unmet = needs.filter((n) => n.state !== "met").map((n) => ({ need: n.need, state: n.state, ...(n.fix ? { fix: n.fix } : {}) }));
  return {
    id: lab.meta.id,
    title: lab.title,
    level: lab.meta.level,
    duration: lab.meta.duration,
    file: lab.file,
    canRun: unmet.length === 0,
    unmet,
    progress: await progressCell(lab, style),
  };
}

/** Paths under the working directory are shown relative to it, so the hint can be pasted as is. */
function shown(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : file;
}

/**
 * The HERE cell: "✓ can run", or the unmet needs (✗) and those that need root to check (?, neutral). A lab this
 * machine could run is not "can run" while the machine is not marked disposable: rootlab would refuse it.
 */
function hereCell(r: LabRow, style: Style, disposable: boolean): string {
  const { chalk, sym } = style;
  if (r.canRun) return disposable ? chalk.green(`${sym.pass} can run`) : chalk.yellow(`${sym.warn} not disposable`);
  const unmet = r.unmet.filter((n) => n.state === "unmet").map((n) => n.need);
  const unknown = r.unmet.filter((n) => n.state === "unknown").map((n) => n.need);
  const parts: string[] = [];
  if (unmet.length > 0) parts.push(chalk.yellow(`${sym.fail} ${unmet.join(", ")}`));
  if (unknown.length > 0) parts.push(chalk.dim(`? ${unknown.join(", ")} (needs root to check)`));
  return parts.join("  ");
}

/**
 * The TITLE column is what gives way to the width (a pipe's is COLUMNS or 80: ../../term/columns.ts). Undefined: the title column would be too narrow to read (an 80-column terminal
 * left 11 characters of each title), so each title goes on its own line under its lab instead.
 */
function titleWidth(rows: LabRow[], idW: number, style: Style, disposable: boolean): number | undefined {
  const longest = Math.max(5, ...rows.map((r) => displayWidth(r.title)));
  const columns = outputColumns(process.stdout);
  const fixed = 3 + idW + 2 + 2 + 12 + 2 + 5 + 2;
  const here = Math.min(30, Math.max(4, ...rows.map((r) => displayWidth(hereCell(r, style, disposable)))));
  const room = columns - fixed - here;
  return room >= longest || room >= 30 ? Math.min(longest, room) : undefined;
}

function fitTitle(title: string, width: number, ellipsis: string): string {
  if (displayWidth(title) <= width) return title + " ".repeat(width - displayWidth(title));
  let cut = title;
  while (cut.length > 0 && displayWidth(cut) > width - displayWidth(ellipsis)) cut = cut.slice(0, -1);
  return `${cut}${ellipsis}`.padEnd(width);
}

export function table(rows: LabRow[], style: Style, disposable: boolean): string[] {
  const { chalk, sym } = style;
  const idW = Math.max(3, ...rows.map((r) => r.id.length));
  const titleW = titleWidth(rows, idW, style, disposable);
  const titleHead = titleW === undefined ? "" : `${"TITLE".padEnd(titleW)}  `;
  const lines = [chalk.bold(`   ${"LAB".padEnd(idW)}  ${titleHead}${"LEVEL".padEnd(12)}  ${"TIME".padEnd(5)}  HERE`)];
  for (const r of rows) {
    const progress = r.progress.text ? chalk.dim(`  (${r.progress.text})`) : "";
    const title = titleW === undefined ? "" : `${fitTitle(r.title, titleW, sym.ellipsis)}  `;
    const row = ` ${r.progress.mark} ${r.id.padEnd(idW)}  ${title}${r.level.padEnd(12)}  ${r.duration.padEnd(5)}  ${hereCell(r, style, disposable)}`;
    // Titles on their own lines (a narrow terminal): progress that would make the row wrap ("(3/6 steps, 1" /
    // "hint)" at 80 columns) goes after the title instead (a title line too long wraps at words, like any title).
    const below = titleW === undefined && displayWidth(row + progress) > outputColumns(process.stdout);
    lines.push(below ? row : row + progress);
    if (titleW === undefined) lines.push(`${chalk.dim(`     ${r.title}`)}${below ? progress : ""}`);
  }
  return lines;
}

/** Why labs cannot run: root and the checks that need it are said once; every other unmet need per lab. */
function reasons(rows: LabRow[], style: Style, disposable: boolean): string[] {
  const lines: string[] = [];
  const needsRoot = rows.some((r) => r.unmet.some((n) => n.need === "root"));
  const unknown = rows.some((r) => r.unmet.some((n) => n.state === "unknown"));
  if (!isRoot() && (needsRoot || unknown)) {
    const what = [needsRoot ? `labs marked ${style.sym.fail} root run as root (sudo rootlab start <lab>)` : "", unknown ? "needs marked ? can only be checked as root" : ""].filter(Boolean);
    lines.push(style.chalk.dim(`Not running as root: ${what.join("; ")}. See all: ${sudoRerun()}`));
  }
  const other = rows.flatMap((r) => r.unmet.filter((n) => n.state === "unmet" && n.need !== "root").map((n) => `  ${r.id}: ${needWithFix(n)}`));
  if (other.length > 0) lines.push(...(lines.length > 0 ? [""] : []), "Why some labs cannot run here:", ...other);
  if (!disposable) {
    // Said as what it is: labs run here with --disposable on each command (the README's set-up does that).
    lines.push(
      ...(lines.length > 0 ? [""] : []),
      style.chalk.yellow(`${style.sym.warn} This machine is not marked disposable: labs change network and mount state as root, so they run here only with --disposable on each command (or list --disposable to see them as such).`),
      style.chalk.dim(`  Use the rootlab VM (${rootlabCommand()} vm up), or on a throwaway machine mark it once:`),
      style.chalk.dim("    sudo mkdir -p /etc/rootlab && sudo touch /etc/rootlab/disposable"),
    );
  }
  return lines;
}

/** One warning per id that two or more lab files share. */
function duplicateWarnings(rows: LabRow[]): string[] {
  const byId = new Map<string, string[]>();
  for (const r of rows) byId.set(r.id, [...(byId.get(r.id) ?? []), r.file]);
  return [...byId]
    .filter(([, files]) => files.length > 1)
    .map(([id, files]) => `! ${files.length} labs have the id "${id}": ${files.map((f) => basename(f)).join(", ")} — \`${rootlabCommand()} start ${id}\` opens the first; give each lab its own \`id:\` in its front matter.`);
}

export const command: Command = {
  name: "list",
  summary: "List the labs, whether they can run here, and your progress",
  help: `Usage: rootlab list [--json] [--labs-dir <dir>] [--disposable]

Lists the labs with their level and duration, your progress (✓ done, ▶ in progress, · not started), and whether
each can run on this machine — when not, what is missing (✗), or what could not be checked without root (?).
Needs no root. Invalid lab files are named on stderr (run \`rootlab lint\` on them); the exit code is then 2.

Options:
  --json            Machine-readable output (each unmet need has a state: "unmet", or "unknown" without root)
  --labs-dir <dir>  The labs folder (default: $ROOTLAB_LABS, else ./labs if it has labs, else rootlab's)
  --disposable      Count this machine as throwaway, as start/verify --disposable do: labs show "can run"
  -h, --help        Show this help

Examples:
  rootlab list
  rootlab list --labs-dir ./labs
  rootlab list --json | jq '.labs[] | select(.canRun | not) | .id'`,
  allowPositionals: false,
  options: { json: { type: "boolean" }, "labs-dir": { type: "string" }, disposable: { type: "boolean" } },
  async run({ values }) {
    const dir = values["labs-dir"] ? String(values["labs-dir"]) : labsDir();
    if (values["labs-dir"] && !existsSync(dir)) {
      throw new UsageError(`the labs folder ${dir} does not exist.\nGive --labs-dir a folder that holds lab files (*.md), e.g. ${rootlabCommand()} list --labs-dir ./labs`);
    }
    const style = createStyle(process.stdout);
    const pending: Promise<LabRow>[] = [];
    const invalid: InvalidLab[] = [];
    const commands = new Map<string, Need>(); // each command looked up once for all labs
    const summaries = await labSummaries(await findLabFiles(dir));
    probeFeatures(summaries.flatMap((s) => (s.ok ? s.lab.meta.requires.kernel : []))); // all labs' probes in one go
    for (const result of summaries) {
      if (result.ok) {
        // Not awaited here: a lab's probes (child processes) run while the next lab's row is made.
        const row = rowFor(result.lab, style, commands);
        row.catch(() => undefined); // its failure is seen below; meanwhile it is not an unhandled rejection
        pending.push(row);
      } else invalid.push({ file: result.file, errors: result.errors });
    }
    const rows = await Promise.all(pending);
    const errStyle = createStyle(process.stderr);
    for (const bad of invalid) {
      const n = `${bad.errors} error${bad.errors === 1 ? "" : "s"}`;
      process.stderr.write(`${errStyle.chalk.yellow(`! ${basename(bad.file)}: invalid (${n})`)} — run: ${rootlabCommand()} lint ${shown(bad.file)}\n`);
    }
    for (const w of duplicateWarnings(rows)) process.stderr.write(`${errStyle.chalk.yellow(w)}\n`);
    const code = invalid.length > 0 ? 2 : 0;
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ labsDir: dir, labs: rows, invalid }, null, 2)}\n`);
      return code;
    }
    if (rows.length === 0) {
      if (invalid.length === 0) process.stdout.write(`No labs found in ${dir}.\n`);
      return code;
    }
    const disposable = disposableState(Boolean(values.disposable)).disposable;
    const why = reasons(rows, style, disposable);
    const where = values["labs-dir"] ? ` --labs-dir ${shown(dir)}` : "";
    const columns = outputColumns(process.stdout);
    // Each command whole on its line (wrapping mid-command broke `npx rootlab show` / `<lab>` at 80 columns).
    const next = nextCommandLines(
      [
        { label: "Start one with:", command: `${rootlabAsRoot()} start <lab>${where}${values.disposable ? " --disposable" : ""}` },
        { label: "Read one with:", command: `${rootlabCommand()} show <lab>${where}` },
      ],
      columns,
    );
    const out = [...table(rows, style, disposable), ...(why.length > 0 ? ["", ...why] : []), "", ...next];
    const text = out.join("\n");
    process.stdout.write(`${fitReport(text, columns)}\n`);
    return code;
  },
};

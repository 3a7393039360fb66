// rootlab list: the labs, whether each can run on this machine (and why not), and the student's progress.
import type { Command } from "../command.js";
import type { Lab } from "../../format/types.js";
import type { PreflightItem } from "../../exec/types.js";
import { findLabFiles, formatDiagnostic, labsDir, loadLab } from "../../format/load.js";
import { checkRequires } from "../../host/preflight.js";
import { createStyle } from "../../term/style.js";
import { progressCell, type ProgressCell } from "../progress-column.js";
import type { Style } from "../../term/style.js";

export interface LabRow {
  id: string;
  title: string;
  level: string;
  duration: string;
  file: string;
  canRun: boolean;
  unmet: PreflightItem[];
  progress: ProgressCell;
}

async function rowFor(lab: Lab, style: Style): Promise<LabRow> {
  const items = await checkRequires(lab.meta.requires);
  const unmet = items.filter((i) => !i.met);
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

export const command: Command = {
  name: "list",
  summary: "List the labs, whether they can run here, and your progress",
  help: `Usage: rootlab list [--json] [--labs-dir <dir>]

Lists the labs with their level and duration, your progress (✓ done, ▶ in progress, · not started), and whether
each can run on this machine — when not, what is missing. Needs no root (without root, labs that need it say so).

Options:
  --json            Machine-readable output
  --labs-dir <dir>  The labs folder (default: $ROOTLAB_LABS or rootlab's labs/)`,
  allowPositionals: false,
  options: { json: { type: "boolean" }, "labs-dir": { type: "string" } },
  async run({ values }) {
    const dir = values["labs-dir"] ? String(values["labs-dir"]) : labsDir();
    const style = createStyle(process.stdout);
    const rows: LabRow[] = [];
    let invalid = 0;
    for (const file of await findLabFiles(dir)) {
      const result = await loadLab(file);
      if (!result.ok) {
        invalid++;
        for (const d of result.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
        continue;
      }
      rows.push(await rowFor(result.lab, style));
    }
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ labsDir: dir, labs: rows }, null, 2)}\n`);
      return invalid > 0 ? 2 : 0;
    }
    const { chalk, sym } = style;
    if (rows.length === 0 && invalid === 0) {
      process.stdout.write(`No labs found in ${dir}.\n`);
      return 0;
    }
    const idW = Math.max(2, ...rows.map((r) => r.id.length));
    const titleW = Math.min(48, Math.max(5, ...rows.map((r) => r.title.length)));
    process.stdout.write(chalk.bold(`   ${"LAB".padEnd(idW)}  ${"TITLE".padEnd(titleW)}  ${"LEVEL".padEnd(12)}  ${"TIME".padEnd(5)}  HERE\n`));
    for (const r of rows) {
      const title = r.title.length > titleW ? `${r.title.slice(0, titleW - 1)}…` : r.title.padEnd(titleW);
      const here = r.canRun ? chalk.green(`${sym.pass} can run`) : chalk.yellow(`${sym.fail} ${r.unmet.map((u) => u.need).join(", ")}`);
      const progress = r.progress.text ? chalk.dim(`  (${r.progress.text})`) : "";
      process.stdout.write(` ${r.progress.mark} ${r.id.padEnd(idW)}  ${title}  ${r.level.padEnd(12)}  ${r.duration.padEnd(5)}  ${here}${progress}\n`);
    }
    const blocked = rows.filter((r) => !r.canRun);
    if (blocked.length > 0) {
      process.stdout.write(`\nWhy some labs cannot run here:\n`);
      for (const r of blocked) for (const u of r.unmet) process.stdout.write(`  ${r.id}: ${u.need}${u.fix ? ` — ${u.fix}` : ""}\n`);
    }
    process.stdout.write(`\nStart one with: sudo rootlab start <lab>   ·   read one with: rootlab show <lab>\n`);
    return invalid > 0 ? 2 : 0;
  },
};

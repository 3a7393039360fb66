// Resolve lab arguments (ids or paths, or --all) to parsed labs; invalid labs stop the command with every diagnostic.
import { rootlabCommand } from "../core/rootlab-command.js";
import type { Diagnostic, Lab } from "../format/types.js";
import { findLabFiles, formatDiagnostic, labsDir, loadLab, resolveLabArg } from "../format/load.js";
import { UsageError } from "../core/errors.js";
import { blockingProblems } from "../lint/safety-gate.js";

export interface LoadedLabs {
  labs: Lab[];
  warnings: Diagnostic[];
}

export async function loadLabsFor(args: string[], opts: { all?: boolean; dir?: string; forRun?: boolean }): Promise<LoadedLabs> {
  const dir = opts.dir ?? labsDir();
  if (opts.all && args.length > 0) throw new UsageError("give lab ids/paths or --all, not both.");
  let files: string[];
  if (opts.all) {
    files = await findLabFiles(dir);
    if (files.length === 0) throw new UsageError(`no labs (*.md) found in ${dir}.\nSet ROOTLAB_LABS or --labs-dir to the folder holding your labs.`);
  } else {
    if (args.length === 0) throw new UsageError(`which lab? Give a lab id or a path to a lab file, or --all.\nExample: ${rootlabCommand()} verify chroot`);
    files = [];
    for (const arg of args) files.push(await resolveLabArg(arg, dir));
    files = [...new Set(files)]; // `rootlab verify chroot labs/01-chroot.md` names one lab once
  }
  const labs: Lab[] = [];
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  for (const file of files) {
    const result = await loadLab(file);
    if (result.ok) {
      labs.push(result.lab);
      warnings.push(...result.warnings);
    } else errors.push(...result.diagnostics);
  }
  const ids = new Map<string, string>();
  for (const lab of labs) {
    const other = ids.get(lab.meta.id);
    if (other) throw new UsageError(`two labs have the id "${lab.meta.id}": ${other} and ${lab.file}.\nEach lab needs its own id (front matter \`id:\`).`);
    ids.set(lab.meta.id, lab.file);
  }
  if (errors.length > 0) {
    const n = errors.filter((d) => d.severity === "error").length;
    throw new UsageError(`invalid lab file${files.length > 1 ? "s" : ""} (${n} error${n === 1 ? "" : "s"}):\n${errors.map(formatDiagnostic).join("\n")}\nFix these, or run \`${rootlabCommand()} lint\` for every problem with its fix.`);
  }
  if (opts.forRun) {
    const unsafe: Diagnostic[] = [];
    for (const lab of labs) unsafe.push(...(await blockingProblems(lab)));
    if (unsafe.length > 0) {
      throw new UsageError(`refusing to run: lint finds ${unsafe.length} problem${unsafe.length === 1 ? "" : "s"} that would make the run unsafe or wrong (labs run as root on a real machine):\n${unsafe.map(formatDiagnostic).join("\n")}\nFix them (rootlab lint shows each with its fix); safety rules are explained in docs/authoring.md.`);
    }
  }
  return { labs, warnings };
}

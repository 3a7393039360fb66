// What guided mode says at the edges of a lab: why it cannot run here, how cleanup went, and what next.
import { dirname, isAbsolute, relative, resolve } from "node:path";
import type { Lab } from "../format/types.js";
import { labsDir } from "../format/load.js";
import { nextLab } from "../format/path.js";
import { needWithFix } from "../host/doctor.js";
import { rootlabAsRoot, rootlabCommand } from "../host/paths.js";
import { disposableState } from "../host/guard.js";
import type { LabSummary, Leak, PreflightItem } from "../exec/types.js";
import { removalCommand } from "../report/console-format.js";
import type { View } from "./render.js";
import { displayWidth } from "../term/width.js";
import { wrapText } from "../term/wrap.js";
import { stepCounts } from "./menu.js";
import { hintsSaid, progressLocation, readProgress, summarizeProgress } from "./progress.js";

export function unmetReport(lab: Lab, items: PreflightItem[]): string {
  const unmet = items.filter((i) => !i.met);
  const lines = unmet.map((i) => `  - ${needWithFix(i)}`);
  return `lab ${lab.meta.id} cannot run on this machine (${lab.file}):\n${lines.join("\n")}\nRun \`${rootlabCommand()} doctor\` to see what this machine can do.`;
}

/**
 * How cleanup went. "removed" only for what rootlab removed and then no longer found; what it could not remove is
 * said with the command that removes it; what appeared meanwhile but is not the lab's is mentioned, not blamed.
 */
export function cleanupReport(summary: LabSummary, v: View, learnerTyped = false): string {
  const { chalk, sym } = v.style;
  const names = (leaks: Leak[]) => leaks.map((l) => `${l.kind} ${l.name}`).join(", ");
  const left = summary.left ?? [];
  const removed = summary.leaks.filter((l) => !left.includes(l));
  const lines: string[] = [];
  if (removed.length > 0 && learnersOwn(summary, learnerTyped)) {
    lines.push(chalk.dim(wrapText(`Still running when the lab ended, and stopped by rootlab: ${names(removed)} — started from a shell you typed in, most likely (a command with \`&\`); the lab's cleanup only knows its own.`, v.width)));
  } else if (removed.length > 0) lines.push(chalk.yellow(wrapText(`${sym.warn} The lab left resources behind, which rootlab removed: ${names(removed)}. Please tell the lab's author.`, v.width)));
  if (left.length > 0) {
    lines.push(chalk.yellow(wrapText(`${sym.warn} The lab left resources behind that rootlab could not remove: ${names(left)}. Remove them with:`, v.width)));
    for (const l of left) lines.push(`  ${chalk.bold(removalCommand(l))}`);
  }
  const problem = summary.outcome.status === "fail" && summary.outcome.reason.includes("cleanup") ? summary.outcome.reason : undefined;
  if (problem) lines.push(chalk.yellow(`${sym.warn} ${problem}`));
  if (lines.length === 0) lines.push(chalk.green(`${sym.pass} Cleaned up: nothing was left behind.`));
  const others = summary.others ?? [];
  if (others.length > 0) lines.push(chalk.dim(wrapText(`Not touched: ${names(others)} appeared while the lab ran, but not from it.`, v.width)));
  return lines.join("\n");
}

/**
 * Whether all that was left behind are processes rootlab stopped, in a run where the learner typed into the lab's
 * shells (a `sleep 300 &` of theirs): not the lab's fault, and no failure of the run.
 */
export function learnersOwn(summary: LabSummary, learnerTyped: boolean): boolean {
  const onlyLeaks = summary.outcome.status === "pass" || (summary.outcome.status === "fail" && summary.outcome.reason.startsWith("leaked: "));
  return learnerTyped && onlyLeaks && summary.leaks.length > 0 && !summary.left?.length && summary.leaks.every((l) => l.kind === "process");
}

/**
 * What to give `rootlab start` to open LAB again: its id when it lives in the default labs folder and was
 * opened by id; else its path (relative to the current directory when under it), which works from here.
 */
export function startArg(lab: Lab, openedByPath = false): string {
  if (!openedByPath && resolve(dirname(lab.file)) === resolve(labsDir())) return lab.meta.id;
  const rel = relative(process.cwd(), lab.file);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : lab.file;
}

/** The resume line repeats --disposable when only the flag (no marker, no ROOTLAB_DISPOSABLE) made the machine disposable. */
function needsFlag(disposableFlag: boolean): boolean {
  return disposableFlag && !disposableState(false).disposable;
}

/**
 * PROSE followed by a COMMAND to type: on one line when they fit, else the prose wrapped and the command on a line
 * of its own, so the command is never broken across lines (a learner types what they see).
 */
function withCommand(prose: string, command: string, v: View): string {
  const bold = v.style.chalk.bold(command);
  if (displayWidth(`${prose} ${command}`) <= v.width) return `${prose} ${bold}`;
  return `${wrapText(prose, v.width)}\n  ${bold}`;
}

/**
 * The last words of a run: how it went, what is next (or where to resume, and how): a lab whose steps are all done
 * says it is finished, however the learner left. LEFT_AT: the step the learner
 * was at when they left; when that is past the first step not done (they jumped ahead with --from), the resume
 * command says --from, so it does not send them back to that earlier step.
 */
export async function finalWords(lab: Lab, v: View, openedByPath = false, disposableFlag = false, leftAt?: number): Promise<string> {
  const { chalk } = v.style;
  const s = summarizeProgress(lab, await readProgress(lab.meta.id).catch(() => undefined));
  const hints = hintsSaid(s);
  const file = progressLocation().file;
  // A finished lab (this run, or earlier and now gone through again) ends the same way however it is left: it is
  // finished, and the next lab is what to do — never a resume line pointing back into it.
  if (s.state === "done") {
    const next = await nextLab(lab.file, dirname(lab.file)).catch(() => undefined);
    const onward = next ? `\n${withCommand(`Next on the path is "${next.title}":`, `${rootlabAsRoot()} start ${startArg(next, openedByPath)}${needsFlag(disposableFlag) ? " --disposable" : ""}`, v)}` : "";
    return `\n${chalk.green.bold(wrapText(`You finished "${lab.title}": ${stepCounts(s)}, ${hints}.`, v.width))}` + onward + chalk.dim(`\n${wrapText(`Progress: ${file}`, v.width)}`);
  }
  const ahead = leftAt !== undefined && leftAt < s.stepsTotal && (s.nextStep === undefined || leftAt > s.nextStep) ? leftAt : undefined;
  const resumeAt = ahead ?? s.nextStep;
  const where = resumeAt !== undefined ? `step ${resumeAt + 1}/${s.stepsTotal}` : "the start";
  const from = ahead !== undefined ? ` --from ${ahead + 1}` : "";
  const command = `${rootlabAsRoot()} start ${startArg(lab, openedByPath)}${from}${needsFlag(disposableFlag) ? " --disposable" : ""}`;
  const earlier = ahead !== undefined && s.nextStep !== undefined ? chalk.dim(`\n${wrapText(`(Step ${s.nextStep + 1} is the first you have not done; without --from, rootlab starts there.)`, v.width)}`) : "";
  const saved = wrapText(`Your progress is saved (${s.stepsSkipped > 0 ? stepCounts(s) : `${s.stepsDone}/${s.stepsTotal} steps done`}, ${hints}).`, v.width);
  return `\n${saved}\n${withCommand(`Resume at ${where} with:`, command, v)}` + earlier + chalk.dim(`\n${wrapText(`Progress: ${file}`, v.width)}`);
}

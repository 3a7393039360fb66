// rootlab reset: forget a lab's progress, then run all its cleanups (a lab run that starts and at once finishes).
import type { Lab } from "../format/types.js";
import { LabRun } from "../exec/lab-run.js";
import type { MayExecute } from "../host/guard.js";
import { UsageError } from "../core/errors.js";
import { rootlabAsRoot } from "../host/paths.js";
import { createStyle } from "../term/style.js";
import { printer } from "./context.js";
import { confirm } from "./prompts.js";
import { clearLabProgress, progressLocation } from "./progress.js";
import { cleanupReport } from "./run-messages.js";

export interface ResetOptions {
  yes: boolean;
  /** The machine may run labs (asked before the confirmation: no question whose answer cannot be carried out). */
  permit: MayExecute;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
}

export async function resetLab(lab: Lab, opts: ResetOptions): Promise<number> {
  const style = createStyle(opts.stdout);
  const print = printer(opts.stdout);
  if (!opts.yes) {
    if (opts.stdin.isTTY !== true || opts.stdout.isTTY !== true) throw new UsageError(`reset asks for confirmation, which needs a terminal.\nAdd --yes to reset without asking: ${rootlabAsRoot()} reset ${lab.meta.id} --yes`);
    const ok = await confirm(`Forget your progress in lab ${lab.meta.id} and clean up after it?`, opts);
    if (!ok) {
      print("Nothing changed.");
      return 0;
    }
  }
  const opened = await LabRun.open(lab, {
    emit: () => undefined,
    permit: opts.permit,
    onLockWait: (pid) => print(style.chalk.yellow(`Another rootlab run (PID ${pid}) is using this machine; waiting for it to finish${style.sym.ellipsis}`)),
  });
  let code = 0;
  if (opened.kind === "ready") {
    // Register every step's cleanup blocks (they are written to be idempotent), so reset also tears down what a
    // half-finished earlier session left behind, not only the lab's `## Cleanup`.
    for (const step of lab.steps) opened.run.beginStep(step);
    const summary = await opened.run.finish();
    print(cleanupReport(summary, { style, width: opts.stdout.columns || 80 }));
    if (summary.outcome.status !== "pass") code = 1;
  } else {
    const why = opened.kind === "unmet" ? "it cannot run on this machine, so it has nothing to clean up here" : opened.reason;
    print(style.chalk.dim(`No cleanup ran: ${why}.`));
  }
  const had = await clearLabProgress(lab.meta.id);
  print(had ? `Progress in ${lab.meta.id} forgotten (${progressLocation().file}).` : `You had no saved progress in ${lab.meta.id}.`);
  return code;
}

// Re-establishing earlier steps before handing over (resume, --from): their setup, commands and solutions
// run silently with a progress bar — the machine may have rebooted or been cleaned since the learner did them.
import type { Step } from "../format/types.js";
import type { Guided } from "./context.js";
import { progressBar } from "./render.js";

export type ReplayResult =
  | { kind: "ok" }
  | { kind: "failed"; step: Step; reason: string; output: string }
  | { kind: "interrupted" };

export async function reestablish(g: Guided, steps: Step[]): Promise<ReplayResult> {
  if (steps.length === 0) return { kind: "ok" };
  const { chalk } = g.view.style;
  const interactive = g.view.style.interactive;
  g.print(chalk.bold(`\nRe-creating the state of step${steps.length > 1 ? `s 1–${steps.length}` : " 1"} so you can go on from step ${steps.length + 1}:`));
  g.live.setQuiet(true);
  g.live.takeQuietOutput();
  const draw = (done: number, label: string, final = false) => {
    const bar = progressBar(done, steps.length, label, g.view);
    if (interactive) {
      try {
        g.term.stdout.write(`\r\x1b[2K${bar}${final ? "\n" : ""}`);
      } catch {
        // terminal gone
      }
    } else g.print(bar);
  };
  try {
    for (const [i, step] of steps.entries()) {
      draw(i, step.title);
      const t0 = Date.now();
      g.run.beginStep(step, "replay");
      const outcome = await g.run.replayStep(step);
      if (g.term.signal.aborted) {
        g.run.endStep(step, { status: "skipped", reason: "interrupted" }, t0);
        return { kind: "interrupted" };
      }
      if (outcome.status !== "pass") {
        g.run.endStep(step, outcome, t0);
        if (interactive) g.term.stdout.write("\n");
        return { kind: "failed", step, reason: outcome.reason, output: g.live.takeQuietOutput() };
      }
      g.run.endStep(step, { status: "skipped", reason: "re-established (resume); checks not run" }, t0);
    }
    draw(steps.length, chalk.green("done"), true);
    return { kind: "ok" };
  } finally {
    g.live.setQuiet(false);
  }
}

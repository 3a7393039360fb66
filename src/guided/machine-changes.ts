// After each step, guided mode shows what the step changed on the machine (namespaces, links, mounts, cgroups…)
// and, for networks, a picture. The learner can fold it away between steps and unfold it again.
import type { RunEvent } from "../exec/types.js";
import { changeLines } from "../explain/render.js";
import type { View } from "./render.js";

export class MachineChanges {
  folded = false;

  /** Lines for a step-changes event (none after the cleanups: the leak check speaks there). */
  render(e: Extract<RunEvent, { type: "step-changes" }>, view: View): string[] {
    if (e.stepIndex < 0) return [];
    const { chalk } = view.style;
    if (this.folded) {
      const n = e.changes.length;
      return [chalk.dim(`what changed on the machine: ${n === 0 ? "nothing" : `${n} change${n === 1 ? "" : "s"}`} (folded: "Show what changed" between steps unfolds it)`)];
    }
    return changeLines(e.changes, e.wiring, { unicode: view.style.unicode, width: view.width }).map((l, i) => (i === 0 ? chalk.bold(l) : l));
  }

  /** The choice between steps that folds or unfolds it. */
  choice(): { value: "fold"; label: string; hint: string } {
    return this.folded
      ? { value: "fold", label: "Show what changed on the machine after each step", hint: "namespaces, links, mounts, cgroups, and the wiring" }
      : { value: "fold", label: "Fold away what changed on the machine", hint: "one line per step instead" };
  }
}

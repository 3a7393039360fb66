// The lab menu of plain `sudo rootlab`: every lab with the learner's progress and whether it can run here.
import type { Lab } from "../format/types.js";
import type { PreflightItem } from "../exec/types.js";
import type { Style } from "../term/style.js";
import { summarizeProgress, type LabProgress, type LabProgressSummary } from "./progress.js";
import type { Choice } from "./prompts.js";

export type MenuEntry =
  | { kind: "lab"; lab: Lab; progress: LabProgressSummary; unmet: PreflightItem[] }
  | { kind: "invalid"; file: string; problem: string };

export function menuEntry(lab: Lab, progress: LabProgress | undefined, preflight: PreflightItem[]): MenuEntry {
  return { kind: "lab", lab, progress: summarizeProgress(lab, progress), unmet: preflight.filter((i) => !i.met) };
}

/** "✓" done, "▶" in progress, "·" not started (ASCII: "x", ">", "."). */
export function progressMark(state: LabProgressSummary["state"], style: Style): string {
  const marks = style.unicode ? { done: "✓", "in-progress": "▶", "not-started": "·" } : { done: "x", "in-progress": ">", "not-started": "." };
  const colour = state === "done" ? style.chalk.green : state === "in-progress" ? style.chalk.cyan : style.chalk.dim;
  return colour(marks[state]);
}

/**
 * The progress part of a menu line, next to the mark (which already says done / in progress / not started):
 * "2/5 steps, 1 hint", "1 done, 1 skipped of 5 steps", "3 hints"; empty when there is nothing to add.
 */
export function progressText(p: LabProgressSummary): string {
  if (p.state === "not-started") return "";
  const hints = p.hintsUsed > 0 ? `${p.hintsUsed} hint${p.hintsUsed === 1 ? "" : "s"}` : "";
  const steps = stepCounts(p);
  if (p.state === "done") return [p.stepsSkipped > 0 ? steps : "", hints].filter(Boolean).join(", ");
  return [steps, hints].filter(Boolean).join(", ");
}

/** "2/5 steps" — or, when some were skipped, "1 done, 1 skipped of 5 steps" (a skip is not a step done). */
export function stepCounts(p: LabProgressSummary): string {
  if (p.stepsSkipped === 0) return `${p.stepsDone}/${p.stepsTotal} steps`;
  return `${p.stepsDone - p.stepsSkipped} done, ${p.stepsSkipped} skipped of ${p.stepsTotal} steps`;
}

export function menuChoices(entries: MenuEntry[], style: Style): Choice<string>[] {
  const choices: Choice<string>[] = entries.map((e, i) => {
    if (e.kind === "invalid") return { value: `invalid:${i}`, label: `${style.unicode ? "✗" : "!"} ${e.file}`, disabled: e.problem };
    const mark = progressMark(e.progress.state, style);
    const label = `${mark} ${e.lab.title} ${style.chalk.dim(`(${e.lab.meta.id}, ${e.lab.meta.level}, ${e.lab.meta.duration})`)}`;
    if (e.unmet.length > 0) return { value: e.lab.meta.id, label, disabled: `cannot run here: needs ${e.unmet.map((u) => u.need).join(", ")}` };
    const hint = progressText(e.progress);
    return { value: e.lab.meta.id, label, ...(hint ? { hint } : {}) };
  });
  choices.push({ value: "", label: "Quit" });
  return choices;
}

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

/** The progress part of a menu line: "3/5 steps, 1 hint". */
export function progressText(p: LabProgressSummary): string {
  if (p.state === "not-started") return "not started";
  const hints = p.hintsUsed > 0 ? `, ${p.hintsUsed} hint${p.hintsUsed === 1 ? "" : "s"}` : "";
  return p.state === "done" ? `done${hints}` : `${p.stepsDone}/${p.stepsTotal} steps${hints}`;
}

export function menuChoices(entries: MenuEntry[], style: Style): Choice<string>[] {
  const choices: Choice<string>[] = entries.map((e, i) => {
    if (e.kind === "invalid") return { value: `invalid:${i}`, label: `${style.unicode ? "✗" : "!"} ${e.file}`, disabled: e.problem };
    const mark = progressMark(e.progress.state, style);
    const label = `${mark} ${e.lab.title} ${style.chalk.dim(`(${e.lab.meta.id}, ${e.lab.meta.level}, ${e.lab.meta.duration})`)}`;
    if (e.unmet.length > 0) return { value: e.lab.meta.id, label, disabled: `cannot run here: needs ${e.unmet.map((u) => u.need).join(", ")}` };
    return { value: e.lab.meta.id, label, hint: progressText(e.progress) };
  });
  choices.push({ value: "", label: "Quit" });
  return choices;
}

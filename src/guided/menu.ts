// The lab menu of plain `sudo rootlab`: every lab with the learner's progress and whether it can run here.
import type { Lab } from "../format/types.js";
import type { PreflightItem } from "../exec/types.js";
import type { Style } from "../term/style.js";
import { readAllProgress, summarizeProgress, type LabProgress, type LabProgressSummary } from "./progress.js";
import { loadAllLabs } from "../format/load.js";
import type { Choice } from "./prompts.js";
import { displayWidth } from "../term/width.js";

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

/** Columns enquirer puts before a choice ("▸ ") plus one, so the terminal never wraps a line by itself. */
const CHOICE_PREFIX = 3;

/** TEXT cut at a word boundary, with an ellipsis, to at most WIDTH columns (a menu line never wraps mid-word). */
export function fitWords(text: string, width: number, ellipsis: string): string {
  if (displayWidth(text) <= width) return text;
  const words = text.split(" ");
  let out = "";
  for (const w of words) {
    const next = out === "" ? w : `${out} ${w}`;
    if (displayWidth(next) + displayWidth(ellipsis) > width) break;
    out = next;
  }
  return `${out.replace(/[\s,:;—–-]+$/, "")}${ellipsis}`;
}

/**
 * One menu line that fits COLUMNS: the mark and title, then "(id, level, duration)" — shortened to "(id)",
 * then the title cut at a word — and the note enquirer shows after it (progress, or why it cannot run).
 */
function fitChoice(mark: string, lab: Lab, note: string, style: Style, columns: number): { label: string; note: string } {
  const room = columns - CHOICE_PREFIX;
  const noteWidth = note ? displayWidth(note) + 3 : 0; // " (note)"
  const full = `(${lab.meta.id}, ${lab.meta.level}, ${lab.meta.duration})`;
  const short = `(${lab.meta.id})`;
  const fits = (meta: string, title: string) => displayWidth(`${mark} ${title} ${meta}`) + noteWidth <= room;
  const meta = fits(full, lab.title) ? full : short;
  const titleRoom = room - noteWidth - displayWidth(`${mark}  ${meta}`);
  const title = fits(meta, lab.title) ? lab.title : fitWords(lab.title, Math.max(4, titleRoom), style.sym.ellipsis);
  return { label: `${mark} ${title} ${style.chalk.dim(meta)}`, note };
}

/** The menu's choices, each on one line of a terminal COLUMNS wide (default: no limit). */
export function menuChoices(entries: MenuEntry[], style: Style, columns = Infinity): Choice<string>[] {
  const choices: Choice<string>[] = entries.map((e, i) => {
    if (e.kind === "invalid") return { value: `invalid:${i}`, label: `${style.unicode ? "✗" : "!"} ${e.file}`, disabled: e.problem };
    const mark = progressMark(e.progress.state, style);
    if (e.unmet.length > 0) {
      const { label } = fitChoice(mark, e.lab, "cannot run here", style, columns);
      return { value: e.lab.meta.id, label, disabled: "cannot run here" };
    }
    const { label, note } = fitChoice(mark, e.lab, progressText(e.progress), style, columns);
    return { value: e.lab.meta.id, label, ...(note ? { hint: note } : {}) };
  });
  choices.push({ value: "", label: "Quit" });
  return choices;
}

/**
 * Where a fresh menu's cursor starts: the first lab in progress, else the first runnable one not done yet — not
 * on a lab already done. -1 when every lab is done or none can run (enquirer then starts on the first).
 */
export function firstLabToOffer(entries: MenuEntry[]): number {
  const runnable = (e: MenuEntry, state: string) => e.kind === "lab" && e.unmet.length === 0 && e.progress.state === state;
  const inProgress = entries.findIndex((e) => runnable(e, "in-progress"));
  return inProgress >= 0 ? inProgress : entries.findIndex((e) => runnable(e, "not-started"));
}

/** Why each lab marked "cannot run here" cannot, one line each, for below the menu's header. */
export function unmetNotes(entries: MenuEntry[]): string[] {
  return entries.flatMap((e) => (e.kind === "lab" && e.unmet.length > 0 ? [`${e.lab.meta.id} cannot run here: needs ${e.unmet.map((u) => u.need).join(", ")}`] : []));
}

/**
 * Where the menu's cursor goes when LAB's guided run comes back to it: LAB itself while it is not finished (the
 * learner quit half-way and will most likely resume it), else the next lab in the folder not done yet (in order,
 * wrapping around).
 */
export async function labToOfferAfter(lab: Lab, dir: string): Promise<string | undefined> {
  const { labs: progress } = await readAllProgress();
  const done = (l: Lab) => summarizeProgress(l, progress[l.meta.id]).state === "done";
  if (!done(lab)) return lab.meta.id;
  const labs = (await loadAllLabs(dir)).flatMap((l) => (l.result.ok ? [l.result.lab] : []));
  const at = labs.findIndex((l) => l.meta.id === lab.meta.id);
  return [...labs.slice(at + 1), ...labs.slice(0, Math.max(0, at))].find((l) => !done(l))?.meta.id;
}

// The progress mark `rootlab list` shows per lab: ✓ done, ▶ in progress, · not started (and hints used).
import type { LabSummary } from "./lab-summaries.js";
import type { Style } from "../term/style.js";
import { readProgress, summarizeProgress } from "../guided/progress.js";
import { progressMark, progressText } from "../guided/menu.js";

export interface ProgressCell {
  mark: string;
  text: string;
  state: "done" | "in-progress" | "not-started";
}

export async function progressCell(lab: Pick<LabSummary, "meta" | "steps">, style: Style): Promise<ProgressCell> {
  const summary = summarizeProgress(lab, await readProgress(lab.meta.id).catch(() => undefined));
  return { mark: progressMark(summary.state, style), text: summary.state === "not-started" ? "" : progressText(summary), state: summary.state };
}

// The progress file's shape (version 1) and its pure parser. A damaged file never crashes rootlab:
// parseProgress() always returns a usable value, with a warning that says what was wrong.

export const PROGRESS_VERSION = 1;

export interface StepProgress {
  /** The step's checks passed (or it was skipped: skipping also moves the learner on). */
  done: boolean;
  /** Hints the learner asked for in this step (a hint rootlab shows by itself after a failure is not counted). */
  hintsUsed: number;
  /** Which of the step's hints (0-based) the learner has seen, asked for or not: a resumed step's ladder goes on
   * after them. Absent in files written before it existed: then the first `hintsUsed` hints. */
  hintsSeen?: number[];
  /** The learner skipped the step: rootlab ran its commands/solutions for them. */
  skipped: boolean;
  /** ISO time of the last change. */
  at: string;
}

export interface LabProgress {
  /** Keyed by step slug (stable across edits that reorder steps). */
  steps: Record<string, StepProgress>;
  /** ISO time of the last change. */
  updatedAt: string;
}

export interface ProgressData {
  version: typeof PROGRESS_VERSION;
  labs: Record<string, LabProgress>;
}

export type ParsedProgress =
  | { kind: "ok"; data: ProgressData }
  | { kind: "recovered"; data: ProgressData; warning: string };

export function emptyProgress(): ProgressData {
  return { version: PROGRESS_VERSION, labs: {} };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function parseStep(v: unknown): StepProgress | undefined {
  if (!isRecord(v)) return undefined;
  const hints = typeof v.hintsUsed === "number" && Number.isInteger(v.hintsUsed) && v.hintsUsed >= 0 ? v.hintsUsed : 0;
  const seen = Array.isArray(v.hintsSeen) ? v.hintsSeen.filter((i): i is number => Number.isInteger(i) && (i as number) >= 0) : undefined;
  return { done: v.done === true, hintsUsed: hints, ...(seen ? { hintsSeen: seen } : {}), skipped: v.skipped === true, at: typeof v.at === "string" ? v.at : "" };
}

function parseLab(v: unknown): { lab: LabProgress; dropped: number } | undefined {
  if (!isRecord(v) || !isRecord(v.steps)) return undefined;
  const steps: Record<string, StepProgress> = {};
  let dropped = 0;
  for (const [slug, raw] of Object.entries(v.steps)) {
    const step = parseStep(raw);
    if (step) steps[slug] = step;
    else dropped++;
  }
  return { lab: { steps, updatedAt: typeof v.updatedAt === "string" ? v.updatedAt : "" }, dropped };
}

/** Parses the file's text. `where` names the file in warnings. */
export function parseProgress(text: string, where: string): ParsedProgress {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    const why = (err as Error).message;
    return { kind: "recovered", data: emptyProgress(), warning: `${where} is not valid JSON (${why}); starting with no saved progress.` };
  }
  if (!isRecord(json)) {
    return { kind: "recovered", data: emptyProgress(), warning: `${where} does not hold a progress object; starting with no saved progress.` };
  }
  if (json.version !== PROGRESS_VERSION) {
    const seen = JSON.stringify(json.version ?? null);
    const newer = typeof json.version === "number" && json.version > PROGRESS_VERSION;
    const why = newer ? "it was written by a newer rootlab" : "this rootlab reads version 1 only";
    return { kind: "recovered", data: emptyProgress(), warning: `${where} has progress format version ${seen} (${why}); starting with no saved progress.` };
  }
  const data = emptyProgress();
  let dropped = 0;
  if (isRecord(json.labs)) {
    for (const [id, raw] of Object.entries(json.labs)) {
      const parsed = parseLab(raw);
      if (parsed) {
        data.labs[id] = parsed.lab;
        dropped += parsed.dropped;
      } else dropped++;
    }
  } else if (json.labs !== undefined) dropped++;
  if (dropped > 0) {
    return { kind: "recovered", data, warning: `${where}: ${dropped} damaged entr${dropped === 1 ? "y was" : "ies were"} ignored; the rest of your progress is kept.` };
  }
  return { kind: "ok", data };
}

export function serializeProgress(data: ProgressData): string {
  return `${JSON.stringify(data, null, 2)}\n`;
}

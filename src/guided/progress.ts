// The learner's progress store: one small versioned JSON file, rewritten whole through a temp file + rename
// (awaited, fsynced) after every step, so a crash or a closed terminal never leaves half a file.
// A missing file is "no progress yet"; a damaged one is moved aside (never lost) and reported as a warning.
import { chown, mkdir, readFile, rename, stat } from "node:fs/promises";
import { writeFileAtomic } from "../core/atomic-write.js";
import { dirname } from "node:path";
import type { Lab } from "../format/types.js";
import { progressLocation, type ProgressLocation } from "./progress-path.js";
import { emptyProgress, parseProgress, serializeProgress, type LabProgress, type ProgressData, type StepProgress } from "./progress-schema.js";

export type { LabProgress, ProgressData, StepProgress } from "./progress-schema.js";
export { progressLocation } from "./progress-path.js";

export interface LoadedProgress {
  data: ProgressData;
  /** Present when the file was damaged or unreadable and rootlab started over (the old file is kept aside). */
  warnings: string[];
}

/** Reads the whole progress file. Never throws for a missing, unreadable or damaged file. */
export async function loadProgress(loc: ProgressLocation = progressLocation()): Promise<LoadedProgress> {
  let text: string;
  try {
    text = await readFile(loc.file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { data: emptyProgress(), warnings: [] };
    return { data: emptyProgress(), warnings: [`cannot read ${loc.file} (${code ?? (err as Error).message}); progress will not be remembered until this is fixed.`] };
  }
  const parsed = parseProgress(text, loc.file);
  if (parsed.kind === "ok") return { data: parsed.data, warnings: [] };
  const aside = `${loc.file}.damaged-${new Date().toISOString().replace(/[:.]/g, "-")}`;
  let kept = "";
  try {
    await rename(loc.file, aside);
    kept = ` The old file was kept as ${aside}.`;
  } catch {
    // Could not move it (read-only dir): the next save replaces it; the warning still says what happened.
  }
  return { data: parsed.data, warnings: [parsed.warning + kept] };
}

/** Creates missing parent directories, owned by the learner when root writes on their behalf. */
async function mkdirOwned(dir: string, loc: ProgressLocation): Promise<void> {
  const missing: string[] = [];
  let d = dir;
  for (;;) {
    try {
      await stat(d);
      break;
    } catch {
      missing.unshift(d);
      const up = dirname(d);
      if (up === d) break;
      d = up;
    }
  }
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const { uid, gid } = loc.owner;
  if (uid !== undefined) for (const m of missing) await chown(m, uid, gid ?? uid);
}

/** Writes the whole file atomically: temp file in the same directory, fsync, rename, chown to the learner. */
export async function saveProgress(data: ProgressData, loc: ProgressLocation = progressLocation()): Promise<void> {
  await mkdirOwned(dirname(loc.file), loc);
  const { uid, gid } = loc.owner;
  await writeFileAtomic(loc.file, serializeProgress(data), uid === undefined ? {} : { owner: { uid, gid: gid ?? uid } });
}

/** Progress of one lab (undefined: never started). For `rootlab list` and the menu. */
export async function readProgress(labId: string, loc: ProgressLocation = progressLocation()): Promise<LabProgress | undefined> {
  return (await loadProgress(loc)).data.labs[labId];
}

/** Progress of every lab, with warnings about a damaged file (print them, then go on). */
export async function readAllProgress(loc: ProgressLocation = progressLocation()): Promise<{ labs: Record<string, LabProgress>; warnings: string[] }> {
  const { data, warnings } = await loadProgress(loc);
  return { labs: data.labs, warnings };
}

/** What happened to a step: `done`/`skipped` replace the record's values when given; hints add up. */
export interface StepChange {
  done?: boolean;
  skipped?: boolean;
  /** Hints asked for this time (added to those of earlier attempts). */
  hintsAdded?: number;
  /** Hints seen this time, asked for or not (joined with those of earlier attempts). */
  hintsSeen?: number[];
}

/** The hints seen in a step, earlier attempts' and this one's (always written: absent means an older file). */
function seenUnion(prev: StepProgress, now: number[] = []): { hintsSeen: number[] } {
  return { hintsSeen: [...new Set([...hintsSeenIn(prev), ...now])].sort((a, b) => a - b) };
}

/** Which hints of a step were seen (files from before `hintsSeen` existed counted the first `hintsUsed`). */
export function hintsSeenIn(rec: StepProgress): number[] {
  return rec.hintsSeen ?? Array.from({ length: rec.hintsUsed }, (_, i) => i);
}

/** Read-modify-write of one step's record; returns the updated lab record. */
export async function recordStep(labId: string, slug: string, change: StepChange, loc: ProgressLocation = progressLocation(), now: Date = new Date()): Promise<LabProgress> {
  const { data } = await loadProgress(loc);
  const lab = data.labs[labId] ?? { steps: {}, updatedAt: "" };
  const prev = lab.steps[slug] ?? { done: false, hintsUsed: 0, skipped: false, at: "" };
  const at = now.toISOString();
  lab.steps[slug] = {
    done: change.done ?? prev.done,
    skipped: change.skipped ?? prev.skipped,
    hintsUsed: prev.hintsUsed + (change.hintsAdded ?? 0),
    ...seenUnion(prev, change.hintsSeen),
    at,
  };
  lab.updatedAt = at;
  data.labs[labId] = lab;
  await saveProgress(data, loc);
  return lab;
}

/** Forgets a lab (rootlab reset). Returns whether there was anything to forget. */
export async function clearLabProgress(labId: string, loc: ProgressLocation = progressLocation()): Promise<boolean> {
  const { data } = await loadProgress(loc);
  if (!data.labs[labId]) return false;
  delete data.labs[labId];
  await saveProgress(data, loc);
  return true;
}

export type LabState = "done" | "in-progress" | "not-started";

export interface LabProgressSummary {
  state: LabState;
  /** Steps of the CURRENT lab file that are done (records of renamed/removed steps do not count). */
  stepsDone: number;
  /** How many of stepsDone the learner skipped (rootlab did them). */
  stepsSkipped: number;
  stepsTotal: number;
  hintsUsed: number;
  /** Hints seen, asked for or shown by rootlab after a failure (each hint of a step once); absent: hintsUsed. */
  hintsSeen?: number;
  /** Index of the first step not done (resume point); undefined when all are done. */
  nextStep?: number;
}

/**
 * The hints a learner met, as the end of a run says it: "1 hint used" when they asked for every hint they saw; when
 * rootlab showed some by itself after a failed check or command, those too ("0 hints asked for, 2 shown after
 * failures": a new user who read two hints found "0 hints used" wrong). Pure.
 */
export function hintsSaid(p: Pick<LabProgressSummary, "hintsUsed" | "hintsSeen">): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const shown = Math.max(0, (p.hintsSeen ?? p.hintsUsed) - p.hintsUsed);
  if (shown === 0) return `${plural(p.hintsUsed, "hint")} used`;
  return `${plural(p.hintsUsed, "hint")} asked for, ${shown} shown after ${shown === 1 ? "a failure" : "failures"}`;
}

/** Pure: what `list`/the menu show for a lab. */
export function summarizeProgress(lab: { steps: readonly Pick<Lab["steps"][number], "slug" | "index">[] }, progress: LabProgress | undefined): LabProgressSummary {
  const total = lab.steps.length;
  let done = 0;
  let skipped = 0;
  let hints = 0;
  let seen = 0;
  let next: number | undefined;
  for (const step of lab.steps) {
    const rec = progress?.steps[step.slug];
    hints += rec?.hintsUsed ?? 0;
    seen += rec ? hintsSeenIn(rec).length : 0;
    if (rec?.done) {
      done++;
      if (rec.skipped) skipped++;
    }
    else if (next === undefined) next = step.index;
  }
  const touched = progress !== undefined && Object.keys(progress.steps).length > 0;
  const state: LabState = next === undefined && total > 0 ? "done" : touched ? "in-progress" : "not-started";
  return { state, stepsDone: done, stepsSkipped: skipped, stepsTotal: total, hintsUsed: hints, hintsSeen: seen, nextStep: next };
}

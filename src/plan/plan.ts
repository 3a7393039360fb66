// Which steps of a lab to run, and how. Pure: a Lab and options in, an ordered plan out.
import type { Lab, Step } from "../format/types.js";
import { UsageError } from "../core/errors.js";

/**
 * run:    the step's work and its checks (before it too, under --strict);
 * replay: the step's work without checks, to re-establish the state later steps need (--from, --only, resume);
 * skip:   not run at all (after --only's step).
 */
export type StepMode = "run" | "replay" | "skip";

export interface StepPlan {
  step: Step;
  mode: StepMode;
  /** Run the step's checks before its work and require them to fail (--strict). */
  checksBefore: boolean;
  /** Run the step's wrong attempts and require a check to reject each (--strict). */
  wrongAttempts: boolean;
}

export interface PlanOptions {
  strict?: boolean;
  /** Start checking at this step; earlier steps are replayed. */
  from?: string;
  /** Check only this step; earlier steps are replayed, later ones skipped. */
  only?: string;
}

/** Find a step by slug, 1-based number or title (case-insensitive). */
export function findStep(lab: Lab, ref: string): Step {
  const wanted = ref.trim().toLowerCase();
  const byNumber = /^\d+$/.test(wanted) ? lab.steps[Number(wanted) - 1] : undefined;
  const found =
    byNumber ??
    lab.steps.find((s) => s.slug === wanted) ??
    lab.steps.find((s) => s.title.toLowerCase() === wanted) ??
    lab.steps.find((s) => s.slug.startsWith(wanted));
  if (!found) {
    const known = lab.steps.map((s, i) => `  ${i + 1}. ${s.slug}`).join("\n");
    throw new UsageError(`${lab.file}: no step "${ref}" in lab ${lab.meta.id}.\nExpected a step number, slug or title:\n${known}`);
  }
  return found;
}

export function planLab(lab: Lab, opts: PlanOptions = {}): StepPlan[] {
  if (opts.from && opts.only) throw new UsageError("--from and --only cannot be used together: choose one.");
  const target = opts.only ?? opts.from;
  const startIndex = target ? findStep(lab, target).index : 0;
  return lab.steps.map((step) => {
    let mode: StepMode = "run";
    if (step.index < startIndex) mode = "replay";
    else if (opts.only && step.index > startIndex) mode = "skip";
    const strict = mode === "run" && Boolean(opts.strict);
    return { step, mode, checksBefore: strict, wrongAttempts: strict };
  });
}

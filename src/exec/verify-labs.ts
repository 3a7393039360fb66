// The non-interactive run: every planned step of every lab, its checks, then cleanup and the leak check.
import type { Lab } from "../format/types.js";
import type { EventSink, LabSummary, Outcome, StepSummary, WrongAttemptResult } from "./types.js";
import { planLab, type PlanOptions, type StepPlan } from "../plan/plan.js";
import type { MayExecute } from "../host/guard.js";
import { LabRun } from "./lab-run.js";
import { needWithFix } from "../host/doctor.js";

export interface VerifyOptions {
  emit: EventSink;
  strict?: boolean;
  /** The machine may run labs (assertMayExecute, asked once by the command). */
  permit: MayExecute;
  signal?: AbortSignal;
  onLockWait?: (holderPid: number) => void;
  /** Say after every step what it changed on the machine (step-changes events). */
  explain?: boolean;
}

const firstProblem = (outcomes: Outcome[]): Outcome | undefined => outcomes.find((o) => o.status !== "pass");

function notRun(lab: Lab, reason: string): StepSummary[] {
  return lab.steps.map((s) => ({ index: s.index, title: s.title, slug: s.slug, outcome: { status: "skipped", reason }, durationMs: 0 }));
}

/** A lab with the steps to run (planned once, before the run: a wrong --from/--only is a usage error then). */
export interface PlannedLab {
  lab: Lab;
  plan: StepPlan[];
}

/** Plans each lab; throws UsageError for a step that does not exist. */
export function planLabs(labs: Lab[], opts: PlanOptions = {}): PlannedLab[] {
  return labs.map((lab) => ({ lab, plan: planLab(lab, opts) }));
}

/** Runs one lab. Never throws for lab problems (they become outcomes). */
export async function verifyLab({ lab, plan }: PlannedLab, opts: VerifyOptions): Promise<LabSummary> {
  const started = Date.now();
  const opened = await LabRun.open(lab, {
    emit: opts.emit,
    strict: Boolean(opts.strict),
    permit: opts.permit,
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.onLockWait ? { onLockWait: opts.onLockWait } : {}),
    ...(opts.explain ? { explain: true } : {}),
  });
  if (opened.kind !== "ready") {
    const outcome: Outcome =
      opened.kind === "unmet"
        ? { status: "skipped", reason: `cannot run here: ${opened.items.filter((i) => !i.met).map((i) => needWithFix(i)).join("; ")}` }
        : { status: "error", reason: opened.reason };
    const summary: LabSummary = { id: lab.meta.id, title: lab.title, file: lab.file, outcome, durationMs: Date.now() - started, steps: notRun(lab, outcome.reason), leaks: [] };
    opts.emit({ type: "lab-end", summary });
    return summary;
  }
  const run = opened.run;
  let stopped: string | undefined;
  try {
    for (const { step, mode, checksBefore, wrongAttempts } of plan) {
      if (mode === "skip") continue;
      if (stopped || opts.signal?.aborted) {
        run.endStep(step, { status: "skipped", reason: stopped ?? "interrupted" });
        continue;
      }
      const t0 = Date.now();
      run.beginStep(step);
      let outcome: Outcome | undefined;
      let wrong: WrongAttemptResult[] | undefined;
      if (mode === "replay") {
        outcome = firstProblem([await run.replayStep(step)]);
      } else {
        // --strict order: checks must fail; setup; each wrong attempt must be rejected by a check (then undone);
        // the real commands; the checks must pass.
        if (checksBefore) outcome = firstProblem((await run.runChecks(step, "before")).map((c) => c.outcome));
        outcome ??= firstProblem([await run.runSetup(step)]);
        if (!outcome && wrongAttempts && step.wrongAttempts.length > 0) {
          const tried = await run.runWrongAttempts(step);
          wrong = tried.results;
          outcome = tried.failure;
        }
        outcome ??= firstProblem([await run.runCommands(step)]);
        outcome ??= firstProblem((await run.runChecks(step, "after")).map((c) => c.outcome));
      }
      if (opts.signal?.aborted) outcome = { status: "fail", reason: "interrupted" };
      else await run.explainStep(step);
      const replayed: Outcome = { status: "skipped", reason: "replayed to re-establish its state; checks not run (--from/--only)" };
      run.endStep(step, outcome ?? (mode === "replay" ? replayed : { status: "pass" }), t0, wrong);
      if (outcome) stopped = `not run: step ${step.index + 1} "${step.title}" did not pass`;
    }
  } finally {
    // Cleanup always runs: success, failure, exception or interrupt.
    await run.finish();
  }
  return run.finish();
}

export async function verifyLabs(labs: PlannedLab[], opts: VerifyOptions): Promise<LabSummary[]> {
  const started = Date.now();
  opts.emit({ type: "run-start", labs: labs.map(({ lab }) => ({ id: lab.meta.id, file: lab.file })), strict: Boolean(opts.strict) });
  const summaries: LabSummary[] = [];
  for (const planned of labs) {
    if (opts.signal?.aborted) break;
    summaries.push(await verifyLab(planned, opts));
  }
  opts.emit({ type: "run-end", labs: summaries, durationMs: Date.now() - started });
  return summaries;
}

// verify --strict's proof that a step's checks observe the student's work: each `wrong` block (a plausible wrong
// attempt the author wrote) runs the way the real commands would, then the step's checks must reject it, then
// its `undo` puts the machine back. Emits the attempt's block events and one wrong-attempt event per attempt.
import type { Block, Step } from "../format/types.js";
import type { Outcome, RunEvent, WrongAttemptResult } from "./types.js";
import { runBlock, runCheck, type RunContext } from "./block-run.js";

export interface WrongAttemptsRun {
  results: WrongAttemptResult[];
  /** Set when the step must fail: an attempt was accepted, or an attempt or undo did not run. */
  failure?: Outcome;
}

/** Checks that poll (retry=) last: an attempt is usually rejected by a quick check first, which bounds the cost. */
function checkOrder(step: Step): Block[] {
  const checks = step.blocks.filter((b) => b.role === "verify");
  return [...checks.filter((c) => c.retryMs === undefined), ...checks.filter((c) => c.retryMs !== undefined)];
}

const where = (file: string, block: Block) => `${file}:${block.line}`;

export async function runWrongAttempts(ctx: RunContext, step: Step): Promise<WrongAttemptsRun> {
  const results: WrongAttemptResult[] = [];
  // Checks that fail here are the point, not failures: their events stay out of the reports; the verdict says it.
  const quiet: RunContext = { ...ctx, emit: (e: RunEvent) => (("block" in e && e.block.role === "verify") ? undefined : ctx.emit(e)) };
  for (const attempt of step.wrongAttempts) {
    if (ctx.signal?.aborted) break;
    const started = Date.now();
    const name = attempt.name ?? `wrong attempt at line ${attempt.line}`;
    const base = { name, file: ctx.file, line: attempt.line };
    const done = (r: Omit<WrongAttemptResult, "name" | "file" | "line" | "durationMs">): WrongAttemptResult => {
      const result: WrongAttemptResult = { ...base, ...r, durationMs: Date.now() - started };
      results.push(result);
      ctx.emit({ type: "wrong-attempt", labId: ctx.labId, stepIndex: step.index, result });
      return result;
    };
    const ran = await runBlock(ctx, step.index, attempt);
    if (ran.outcome.status !== "pass") {
      const reason = `wrong attempt "${name}" at ${where(ctx.file, attempt)} did not run as written: ${ran.outcome.status === "skipped" ? "skipped" : ran.outcome.reason}. Its own failure proves nothing: it must succeed the way the real commands would (or say exit=N), so that a check rejects it`;
      done({ verdict: "error", reason });
      return { results, failure: { status: "fail", reason } };
    }
    let rejectedBy: Block | undefined;
    for (const check of checkOrder(step)) {
      const run = await runCheck(quiet, step, check, "wrong");
      if (run.outcome.status !== "pass") {
        rejectedBy = check;
        break;
      }
    }
    if (attempt.undo) {
      const undone = await runBlock(ctx, step.index, attempt.undo);
      if (undone.outcome.status !== "pass") {
        const reason = `the undo at ${where(ctx.file, attempt.undo)} of wrong attempt "${name}" failed: ${undone.outcome.status === "skipped" ? "skipped" : undone.outcome.reason}`;
        done({ verdict: "error", reason, ...(rejectedBy ? { rejectedBy: { name: rejectedBy.name ?? "(unnamed check)", line: rejectedBy.line } } : {}) });
        return { results, failure: { status: "fail", reason } };
      }
    }
    if (!rejectedBy) {
      const reason = `wrong attempt "${name}" at ${where(ctx.file, attempt)} passed every check of the step, so the checks cannot tell it from the real work (--strict): make a check observe what the real commands do and this attempt does not`;
      done({ verdict: "accepted", reason });
      return { results, failure: { status: "fail", reason } };
    }
    done({ verdict: "rejected", rejectedBy: { name: rejectedBy.name ?? "(unnamed check)", line: rejectedBy.line } });
  }
  return { results };
}

// A step's checks, interactively: the named ✓/✗ lines, and when one fails, why (the condition and the values it
// compared), the next hint, and what the learner can do then (try again, type, see the solution, raise a hand).
import type { Block, Step } from "../format/types.js";
import type { CheckRun } from "../exec/lab-run.js";
import type { Choice } from "./prompts.js";
import type { Guided } from "./context.js";
import type { HintLadder } from "./hint-ladder.js";
import { checkFailure, type FailedCondition, checkLine, solutionView } from "./render.js";
import { comparedValues, failedLineText } from "./check-values.js";
import { runSolution, typeIt } from "./step-actions.js";
import { RAISE_HAND, raiseHand } from "./raise-hand.js";
import { pickWorkSession, type FailedWork } from "./work-session.js";
import { afterSessionEnded, ask, QUIT, report, SKIP, type Next } from "./step-questions.js";

type AfterFailure = "retry" | "type" | "solution" | "hand" | "skip" | "quit";

async function runChecks(g: Guided, step: Step): Promise<CheckRun[]> {
  g.live.setQuiet(true);
  try {
    return await g.run.runChecks(step, "after");
  } finally {
    g.live.setQuiet(false);
  }
}

/**
 * "I'll type it myself" for the whole step (after its checks failed, or to type its solution): the learner picks a
 * session and types in its shell. "again": the check phase goes on, running the checks only if CHECK.
 */
async function typeWholeStep(g: Guided, step: Step, failed?: FailedWork): Promise<Next | { kind: "again"; check: boolean }> {
  const session = await pickWorkSession(g, step, failed ? { failed } : {});
  if (g.term.signal.aborted) return { kind: "quit" };
  if (session === undefined) return { kind: "again", check: false };
  const r = await typeIt(g, step, session);
  if (report(g, r)) return { kind: "quit" };
  if (r.kind === "session-ended") return afterSessionEnded(g, step);
  // The shell did not start (or its session is gone): nothing was typed, so there is nothing to check.
  return { kind: "again", check: r.kind !== "failed" };
}

/** Checks, and what to do when they fail. Loops until they pass or the learner skips, restarts or quits. */
export async function checkPhase(g: Guided, step: Step, hints: HintLadder, done: Set<Block>, challenge: boolean): Promise<Next> {
  let needChecks = !challenge;
  let failed: CheckRun | undefined;
  /** The failing line and compared values shown with `failed`: "Raise hand" sends them as they were seen. */
  let shown: FailedCondition = {};
  for (;;) {
    if (needChecks) {
      const checks = step.blocks.filter((b) => b.role === "verify");
      if (checks.length === 0) return { kind: "done" };
      g.print(g.view.style.chalk.bold("\nChecking your work:"));
      const runs = await runChecks(g, step);
      if (g.term.signal.aborted) return { kind: "quit" };
      for (const run of runs) g.print(checkLine(run, g.view));
      failed = runs.find((r) => r.outcome.status !== "pass");
      if (!failed) return { kind: "done" };
      shown = { line: failedLineText(failed), values: await comparedValues(g, step, failed) };
      g.print(checkFailure(failed, g.view, shown));
      if (hints.left() > 0) g.print(hints.next(g.view, "shown"));
    }
    needChecks = true;
    const choices: Choice<AfterFailure | "hint">[] = challenge
      ? [{ value: "type", label: "I'll type it myself", hint: "the session's own shell; check to come back" }, { value: "hint", label: "Show a hint", hint: hints.label() }]
      : [{ value: "retry", label: "Try the step again", hint: "from its first command" }, { value: "type", label: "I'll type it myself", hint: "then the checks run again" }];
    choices.push({ value: "solution", label: "See the solution" }, ...(g.room ? [RAISE_HAND] : []), SKIP, QUIT);
    const next = await ask(g, challenge ? "This step is yours to solve. What now?" : "What now?", choices);
    if (next === "quit" || next === "skip") return { kind: next };
    if (next === "retry") return { kind: "restart" };
    if (next === "hand") {
      raiseHand(g, step, failed, shown);
      needChecks = false;
      continue;
    }
    if (next === "hint") {
      g.print(hints.next(g.view, "asked"));
      needChecks = false;
      continue;
    }
    if (next === "solution") {
      g.print(solutionView(step, g.view));
      g.room?.note("solution", g.lab.meta.id, step.index);
      const how = await ask<"run" | "type" | "skip">(g, "What now?", [
        { value: "run", label: "Run it for me" },
        { value: "type", label: "I'll type it myself" },
        SKIP,
        QUIT,
      ]);
      if (how === "quit" || how === "skip") return { kind: how };
      if (how === "run") {
        if (g.term.signal.aborted) return { kind: "quit" };
        const r = await runSolution(g, step, done);
        if (report(g, r)) return { kind: "quit" };
        if (r.kind === "session-ended") return afterSessionEnded(g, step);
        continue;
      }
    }
    // "I'll type it myself", chosen after the checks failed or after seeing the solution.
    const typed = await typeWholeStep(g, step, failed ? { check: { session: failed.block.session, ...(shown.line ? { line: shown.line } : {}) } } : undefined);
    if (typed.kind !== "again") return typed;
    needChecks = typed.check;
  }
}

// One step, interactively: its setup, its text, each command (run it / type it / hint / skip / quit; on failure
// expected vs actual, the next hint and what to do next), then its checks (check-phase.ts); a retry or a skip.
import type { Block, Step } from "../format/types.js";
import { commandBlocks, type Guided, type StepEnd } from "./context.js";
import { HintLadder } from "./hint-ladder.js";
import { blockFailure, commandView, failedAsExpected, markdown, stepHeader } from "./render.js";
import { expectMismatch, typedExitNote } from "./typed-notes.js";
import { stepText } from "./step-text.js";
import { runVisible, skipStep, typeIt, type TypedNotes } from "./step-actions.js";
import { typedStatusUnknownNote, type TypedOutcome } from "./typed-status.js";
import { commandFailureChoices, hintAfterCommandFailure } from "./command-failure.js";
import { checkPhase } from "./check-phase.js";
import { pickWorkSession } from "./work-session.js";
import { alreadyLeft, prepare, undoAttempt } from "./attempt.js";
import { afterSessionEnded, ask, QUIT, report, SKIP, type Next } from "./step-questions.js";
import { backgroundIntro, backgroundStarted, shownLog } from "./background-block.js";
import type { Choice } from "./prompts.js";
import { typedAhead } from "./typed-ahead.js";
import { wrapText } from "../term/wrap.js";

type CommandAction = "run" | "type" | "hint" | "skip" | "quit";

/**
 * The learner typed BLOCK and gave the shell back: a command meant to fail that did is "as expected" here too. Only
 * the step's own command counts (OUTCOME), not a habitual `echo $?` or `ls` typed after it; nothing is said when they
 * did not run it (the note about that was given when the shell came back).
 */
function typedDone(g: Guided, block: Block, outcome: TypedOutcome | undefined): Next {
  if (outcome?.ran === undefined) return { kind: "done" };
  const { ran, status, output, after } = outcome;
  const note = status === undefined ? (after !== undefined && block.exit !== 0 ? typedStatusUnknownNote(block, ran, after, g.view) : undefined) : typedExitNote(block, status, g.view, output, ran);
  if (note) g.print(note);
  const reasonMatched = output === undefined || expectMismatch(block, output) === undefined;
  if (block.exit !== 0 && status === block.exit && reasonMatched) g.transcript?.markAsExpected(block.line);
  return { kind: "done" };
}

/**
 * The learner chose to type BLOCK: SESSION's own shell (the block's unless they chose another after it failed),
 * then what came of it. Undefined when the command is still to be done: the shell did not start, its session is
 * gone (nothing was typed), or they typed in another session to fix what the command needs.
 */
async function typeCommand(g: Guided, step: Step, block: Block, notes: TypedNotes, session = block.session): Promise<Next | undefined> {
  const r = await typeIt(g, step, session, block, notes);
  if (report(g, r)) return { kind: "quit" };
  if (r.kind === "session-ended") return afterSessionEnded(g, step);
  // A background block is rootlab's to start (./background-block.ts): a turn at it only fixes what it needs.
  if (session !== block.session || block.background) return undefined;
  return r.kind === "ok" ? { ...typedDone(g, block, r.typed), ...(r.commands ? { typed: r.commands } : {}) } : undefined;
}

async function guideCommand(g: Guided, step: Step, block: Block, pos: { n: number; of: number }, hints: HintLadder, lead: string[], notes: TypedNotes): Promise<Next> {
  if (lead.length > 0) g.print(`\n${markdown(lead.join("\n\n"), g.view)}`);
  const view = () => g.print(commandView(block, pos, g.view) + (block.background ? `\n${backgroundIntro(block, g.view)}` : ""));
  view();
  for (;;) {
    const action = await ask<CommandAction>(g, "What now?", commandChoices(block, hints, pos.n - 1));
    if (action === "quit") return { kind: "quit" };
    if (action === "skip") return { kind: "skip" };
    if (action === "hint") {
      // The ladder follows the learner: at command N, the nudges and the hints about command N (./hint-ladder.ts).
      g.print(hints.next(g.view, "asked", pos.n - 1));
      continue;
    }
    if (action === "type") {
      const typed = await typeCommand(g, step, block, notes);
      if (typed) return typed;
      continue;
    }
    const r = await runVisible(g, step, block);
    if (r.kind === "interrupted") return { kind: "quit" };
    if (r.kind === "ok" && block.background) g.print(backgroundStarted(block, shownLog(r.run.result.log, g.run.labDir), g.view));
    if (r.kind === "ok") {
      const expected = failedAsExpected(block, g.view);
      if (expected) {
        g.print(expected);
        g.transcript?.markAsExpected(block.line);
      }
      return { kind: "done" };
    }
    g.print(blockFailure(r.run, g.view));
    const shown = hintAfterCommandFailure(hints, g.view, pos.n - 1);
    if (shown) g.print(shown);
    let next = await ask(g, "The command did not do what this step expects. What now?", commandFailureChoices(hints, pos.n - 1, SKIP, QUIT));
    while (next === "hint") {
      g.print(hints.next(g.view, "asked", pos.n - 1));
      next = await ask(g, "What now?", commandFailureChoices(hints, pos.n - 1, SKIP, QUIT));
    }
    if (next === "quit" || next === "skip") return { kind: next };
    if (next === "type") {
      // As after a failed check: the failure may be an earlier command's doing in another shell, so ask which
      // shell when the commands so far ran in several, this command's under the cursor.
      const session = await pickWorkSession(g, step, { upTo: pos.n, failed: { command: block } });
      if (g.term.signal.aborted) return { kind: "quit" };
      const typed = session === undefined ? undefined : await typeCommand(g, step, block, notes, session);
      if (typed) return typed;
    }
    view();
  }
}

/** BLOCK was run in the learner's last turn, before rootlab showed it: its text and command, said as done. */
function typedAlready(g: Guided, block: Block, pos: { n: number; of: number }, lead: string[]): void {
  if (lead.length > 0) g.print(`\n${markdown(lead.join("\n\n"), g.view)}`);
  g.print(commandView(block, pos, g.view));
  g.print(wrapText(g.view.style.chalk.dim(`You ran this already in your turn in the shell, so rootlab does not offer it again${pos.n < pos.of ? "" : " and checks your work"}.`), g.view.width));
}

/** The question at command AT (0-based): a background block is started by rootlab, never typed (./background-block.ts). */
function commandChoices(block: Block, hints: HintLadder, at: number): Choice<CommandAction>[] {
  return [
    // The labs say "Run it for me" at a background block too: the same words, and the hint says what it does.
    { value: "run", label: "Run it for me", ...(block.background ? { hint: "in the background, until the lab ends" } : {}) },
    ...(block.background ? [] : [{ value: "type" as const, label: "I'll type it myself", hint: "the session's own shell; check to come back" }]),
    { value: "hint", label: "Show a hint", hint: hints.label(at) },
    SKIP,
    QUIT,
  ];
}

/** A step with nothing to do or check: prose only. */
function isReadingStep(step: Step): boolean {
  return !step.blocks.some((b) => b.role === "command" || b.role === "solution" || b.role === "verify");
}

/**
 * Guides the learner through one step. beginStep() has NOT been called yet; this does it. The step's explanation
 * is the caller's to show (after what the step changed on the machine, right before the question that follows).
 */
export async function guideStep(g: Guided, step: Step, hintsSeenBefore: readonly number[] = []): Promise<StepEnd> {
  const hints = new HintLadder(step, hintsSeenBefore, () => g.room?.note("hint", g.lab.meta.id, step.index));
  const counts = () => ({ hintsUsed: hints.asked, hintsSeen: hints.seen });
  const done = new Set<Block>();
  g.print(stepHeader(g.lab, step, g.view));
  g.run.beginStep(step);
  const ready = await prepare(g, step);
  if (ready === "quit") return { kind: "quit", ...counts() };
  if (ready === "skip") return skipped(g, step, hints, done);
  const commands = commandBlocks(step);
  if (isReadingStep(step)) {
    // Only prose (a summary, "what you learned"): give the learner time to read before moving on.
    const next = await ask<"continue">(g, "When you have read it:", [{ value: "continue", label: "Continue" }, QUIT]);
    if (next === "quit") return { kind: "quit", ...counts() };
    return { kind: "passed", ...counts() };
  }
  const text = stepText(step);
  const notes: TypedNotes = { missed: false };
  for (;;) {
    let next: Next = { kind: "done" };
    /** The learner's last turn: the commands it did and what they typed in it (a later command may be among it). */
    let turn: { blocks: Block[]; typed: string[]; session: string } | undefined;
    for (const [i, block] of commands.entries()) {
      if (alreadyLeft(block, (name) => g.run.sessions.alive(name))) {
        g.print(g.view.style.chalk.dim(`\nCommand ${i + 1}/${commands.length} leaves the shell ${block.session}, which has ended already: nothing to run.`));
        done.add(block);
        turn = undefined;
        continue;
      }
      if (turn && typedAhead(turn.blocks, block, turn.typed, turn.session)) {
        typedAlready(g, block, { n: i + 1, of: commands.length }, text.beforeCommand.get(block) ?? []);
        done.add(block);
        turn.blocks.push(block);
        continue;
      }
      next = await guideCommand(g, step, block, { n: i + 1, of: commands.length }, hints, text.beforeCommand.get(block) ?? [], notes);
      if (next.kind !== "done") break;
      done.add(block);
      turn = next.typed ? { blocks: [block], typed: next.typed, session: block.session } : undefined;
    }
    if (next.kind === "done" && text.beforeChecks.length > 0) g.print(`\n${markdown(text.beforeChecks.join("\n\n"), g.view)}`);
    if (next.kind === "done") next = await checkPhase(g, step, hints, done, commands.length === 0);
    if (next.kind === "restart") {
      // A new attempt: nothing of the step counts as done any more (skip must then run every command).
      done.clear();
      const again = await undoAttempt(g, step);
      if (again === "quit") return { kind: "quit", ...counts() };
      if (again === "skip") return skipped(g, step, hints, done);
      continue;
    }
    if (next.kind === "quit") return { kind: "quit", ...counts() };
    if (next.kind === "rebuild") return { kind: "rebuild", ...counts() };
    if (next.kind === "skip") return skipped(g, step, hints, done);
    return { kind: "passed", ...counts() };
  }
}

async function skipped(g: Guided, step: Step, hints: HintLadder, done: Set<Block>): Promise<StepEnd> {
  const counts = { hintsUsed: hints.asked, hintsSeen: hints.seen };
  const r = await skipStep(g, step, done);
  if (r.kind === "interrupted") return { kind: "quit", ...counts };
  if (r.kind === "failed") {
    g.print(`${r.text}\n${g.view.style.chalk.yellow("rootlab could not finish this step for you; later steps may fail because of it.")}`);
    return { kind: "skipped", ...counts, problem: r.text };
  }
  // rootlab did the step: what it did is still worth reading, so its explanation follows as for a step done.
  return { kind: "skipped", ...counts };
}

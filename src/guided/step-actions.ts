// The things a learner can ask for inside a step: run a block for them, type it themselves, skip the step.
import type { Block, Step } from "../format/types.js";
import type { BlockRun } from "../exec/lab-run.js";
import { commandBlocks, type Guided } from "./context.js";
import { blockFailure, solutionBlocks } from "./render.js";
import { typedShellIntro } from "./typed-notes.js";
import { typeItYourself } from "./type-it.js";
import { rememberTyped } from "./raise-hand.js";
import { wrapText } from "../term/wrap.js";
import { typedOutcome, type TypedOutcome } from "./typed-status.js";
import { missedCommandsNote } from "./typed-skipped.js";
import { shownByBlock, typedRuns } from "./typed-runs.js";
import { openedSessionNote, openingCommand, typedOpener } from "./typed-enter.js";

/** What the learner ran in a turn: what bash's history saw, then what the screen showed at the lab's prompt. */
function typedCommands(turn: { typed: string[]; shown: string }): string[] {
  return [...turn.typed, ...typedRuns(turn.shown).flatMap((r) => (r.command ? [r.typed] : []))];
}

/** A reason from below, as a sentence: its first letter upper-case. */
function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export type ActionResult =
  /** typed: after a typed turn for a command, how the step's command ended (./typed-status.ts); commands: what the turn ran. */
  | { kind: "ok"; typed?: TypedOutcome; commands?: string[] }
  | { kind: "failed"; text: string }
  | { kind: "interrupted" }
  | { kind: "session-ended"; text: string };

/** Runs a block with its output streamed live. */
export async function runVisible(g: Guided, step: Step, block: Block): Promise<{ kind: "ok" | "failed"; run: BlockRun } | { kind: "interrupted" }> {
  g.live.setQuiet(false);
  const run = await g.run.runBlock(step, block);
  g.live.stopSpinner();
  if (g.term.signal.aborted) return { kind: "interrupted" };
  return { kind: run.outcome.status === "pass" ? "ok" : "failed", run };
}

/** Runs blocks without showing their output (skip, opening a session after the learner typed its command). */
export async function runQuietly(g: Guided, step: Step, blocks: Block[]): Promise<ActionResult> {
  g.live.setQuiet(true);
  g.live.takeQuietOutput();
  try {
    for (const block of blocks) {
      const run = await g.run.runBlock(step, block);
      if (g.term.signal.aborted) return { kind: "interrupted" };
      if (run.outcome.status !== "pass") {
        const output = g.live.takeQuietOutput().trim();
        return { kind: "failed", text: `${blockFailure(run, g.view)}${output ? `\n${g.view.style.chalk.dim(output)}` : ""}` };
      }
    }
    return { kind: "ok" };
  } finally {
    g.live.setQuiet(false);
  }
}

/** What a step's typed turns have said once already (./typed-skipped.ts: a command given back without running it). */
export interface TypedNotes {
  missed: boolean;
}

/**
 * "I'll type it myself" for a block (or, with no block, for the step's checks): a PTY shell in SESSION. NOTES:
 * the step's, so a note is said once a step. SESSION other than the block's (chosen after it failed): the turn is
 * to fix what the block needs, so what was typed is not taken as the block.
 */
export async function typeIt(g: Guided, step: Step, session: string, typedFor?: Block, notes?: TypedNotes): Promise<ActionResult> {
  g.print(typedShellIntro(step, session, typedFor, g.view));
  // A background block is never typed (./background-block.ts): a turn at it is to fix what it needs.
  const block = typedFor?.session === session && !typedFor.background ? typedFor : undefined;
  const result = await typeItYourself({
    typeInto: (name, terminal) => g.run.typeInto(name, terminal),
    alive: (name) => g.run.sessions.alive(name),
    session,
    stdin: g.term.stdin,
    stdout: g.term.stdout,
    signal: g.term.signal,
  });
  if (g.term.signal.aborted) return { kind: "interrupted" };
  switch (result.kind) {
    case "unavailable":
      return { kind: "failed", text: g.view.style.chalk.yellow(result.reason) };
    case "session-dead":
      return { kind: "session-ended", text: wrapText(`${g.view.style.chalk.red(g.view.style.sym.fail)} ${sentence(result.reason)}.`, g.view.width, { firstIndent: "", indent: "  " }) };
    case "returned": {
      rememberTyped(g, step, result.typed);
      // What the learner's commands printed belongs with the command, as if rootlab had run it.
      // At the checks (no block), each command typed goes with the block it is a run of: a block typed again
      // there replaces its earlier, failed attempt.
      const last = commandBlocks(step).at(-1);
      const parts = typedFor ? new Map([[typedFor.line, result.shown]]) : last ? shownByBlock(result.shown, commandBlocks(step).filter((b) => b.session === session), last) : new Map<number, string>();
      for (const [line, shown] of parts) {
        g.transcript?.startBlock(line);
        g.transcript?.addOutput(line, shown);
      }
      g.print(g.view.style.chalk.dim("Back in rootlab."));
      if (block && notes && !notes.missed) {
        // What bash's history saw, and what the screen showed at the lab's prompt (any shell): a note, never a stop.
        const typed = typedCommands(result);
        // A session-opening command typed differently is said below, with how it differed: not "did not see" too.
        const opener = block.enter ? typedOpener(openingCommand(block), typed) : undefined;
        const note = opener === undefined ? missedCommandsNote(block, typed, commandBlocks(step).at(-1) === block) : undefined;
        if (note) {
          notes.missed = true;
          g.print(wrapText(g.view.style.chalk.yellow(`${g.view.style.sym.warn} ${note}`), g.view.width, { firstIndent: "", indent: "  " }));
        }
      }
    }
  }
  const outcome = result.kind === "returned" && block ? { typed: typedOutcome(block, result.typed, result.shown, result.lastStatus), commands: typedCommands(result) } : {};
  if (block?.enter) {
    // A shell the learner opened lives only in their terminal; the lab's later commands need rootlab's own.
    const opened = await runQuietly(g, step, [block]);
    if (opened.kind === "ok") {
      // What bash's history saw first, then what the screen showed at the lab's prompt: the last one that ran the
      // block's program is the one that opened the learner's shell.
      const typed = result.kind === "returned" ? typedCommands(result) : [];
      const note = openedSessionNote(block, typed);
      const { chalk, sym } = g.view.style;
      g.print(note.same ? chalk.dim(note.text) : wrapText(chalk.yellow(`${sym.warn} ${note.text}`), g.view.width, { firstIndent: "", indent: "  " }));
    }
    return opened.kind === "ok" ? { ...opened, ...outcome } : opened;
  }
  return { kind: "ok", ...outcome };
}

/**
 * Skip: rootlab does the rest of the step silently (remaining commands, then its solutions) so later steps
 * find the machine as they expect.
 */
export async function skipStep(g: Guided, step: Step, done: Set<Block>): Promise<ActionResult> {
  const rest = step.blocks.filter((b) => (b.role === "command" && !done.has(b)) || b.role === "solution");
  g.print(g.view.style.chalk.dim(`Skipping: rootlab does the rest of step ${step.index + 1} for you${g.view.style.sym.ellipsis}`));
  return runQuietly(g, step, rest);
}

/** The solution, run for the learner with its output shown. */
export async function runSolution(g: Guided, step: Step, done: Set<Block>): Promise<ActionResult> {
  for (const block of solutionBlocks(step)) {
    const r = await runVisible(g, step, block);
    if (r.kind === "interrupted") return r;
    if (r.kind === "failed") return { kind: "failed", text: blockFailure(r.run, g.view) };
    done.add(block);
  }
  return { kind: "ok" };
}

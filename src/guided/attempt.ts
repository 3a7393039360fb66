// A step's attempt begins: its setup (prepare), and for "Try the step again" first the undoing of the attempt before
// (undoAttempt): the step's cleanup, then the sessions it opened are ended so its `enter=` commands can open them
// anew. Without that a new-user trial was stuck at the first `enter=m` of a retried step, on a message meant for
// lab authors ('session "m" already exists and is running … end it first').
import type { Block, Step } from "../format/types.js";
import { endsSession } from "../exec/block-run.js";
import type { Guided } from "./context.js";
import { runQuietly } from "./step-actions.js";
import { ask, QUIT, SKIP } from "./step-questions.js";
import { wrapText } from "../term/wrap.js";

/** The step's setup blocks, run quietly; what to do when they fail. */
export async function prepare(g: Guided, step: Step): Promise<"ok" | "skip" | "quit"> {
  const setup = await runQuietly(g, step, step.blocks.filter((b) => b.role === "setup"));
  if (setup.kind === "interrupted") return "quit";
  if (setup.kind === "ok") return "ok";
  g.print(`rootlab could not prepare this step:\n${setup.text}`);
  return ask<"skip">(g, "What now?", [SKIP, QUIT]);
}

/**
 * The live sessions (LIVE, in creation order) that a new attempt at STEP would open again: the `enter=` of its
 * setup, commands and solutions. Newest first, the order they end in. A session the step first leaves (`exit` in
 * an earlier step's shell) and then opens again is left running: the new attempt's `exit` ends it itself, and
 * ended here it left that `exit` nothing to run in. Pure.
 */
export function sessionsToEnd(step: Step, live: readonly string[]): string[] {
  const first = new Map<string, "opens" | "leaves">();
  for (const b of step.blocks) {
    if (b.role !== "setup" && b.role !== "command" && b.role !== "solution") continue;
    if (endsSession(b.code) && !first.has(b.session)) first.set(b.session, "leaves");
    if (b.enter && !first.has(b.enter)) first.set(b.enter, "opens");
  }
  return live.filter((name) => name !== "host" && first.get(name) === "opens").reverse();
}

/**
 * A command that leaves SESSION (`exit`) when that shell has ended already (an attempt before left it and did not
 * open it again): what it would do is done. Said instead of running it into a shell that is not there. Pure.
 */
export function alreadyLeft(block: Block, alive: (name: string) => boolean): boolean {
  return endsSession(block.code) !== undefined && block.session !== "host" && !alive(block.session);
}

const list = (names: string[]): string => (names.length === 1 ? names[0]! : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`);

/** Ends the sessions the step opened (cleanly: `exit`, then what is left is stopped), saying so. */
async function endOpenedSessions(g: Guided, step: Step): Promise<void> {
  const names = sessionsToEnd(step, g.run.sessions.names());
  if (names.length === 0) return;
  const { chalk, sym } = g.view.style;
  const which = names.length === 1 ? `the shell ${names[0]} that this step opened, so its command opens it` : `the shells ${list([...names].reverse())} that this step opened, so its commands open them`;
  g.print(chalk.dim(wrapText(`Ending ${which} anew${sym.ellipsis}`, g.view.width)));
  const stopped: string[] = [];
  for (const name of names) stopped.push(...(await g.run.sessions.end(name)));
  if (stopped.length > 0) g.print(chalk.dim(wrapText(`rootlab stopped what was still running there: ${stopped.join(", ")}.`, g.view.width)));
}

/**
 * "Try the step again": undo what the first attempt left (the step's own cleanup blocks, idempotent by the
 * format's rules, while its sessions still run, as at the end of a lab), end the sessions it opened, then its
 * setup again, so its first command meets the machine as the first attempt did.
 */
export async function undoAttempt(g: Guided, step: Step): Promise<"ok" | "skip" | "quit"> {
  const cleanups = step.blocks.filter((b) => b.role === "cleanup");
  const { chalk } = g.view.style;
  if (cleanups.length > 0) {
    g.print(chalk.dim(wrapText(`Undoing your first attempt: rootlab runs this step's cleanup, then its setup again${g.view.style.sym.ellipsis}`, g.view.width)));
    // As at the end of a lab: a cleanup runs in its own session, ignores exit codes and opens no new session.
    const undo = await runQuietly(g, step, cleanups.map((b) => ({ ...b, exit: 0, enter: undefined, background: false })));
    if (undo.kind === "interrupted") return "quit";
    if (undo.kind === "failed") g.print(`${undo.text}\n${chalk.yellow(wrapText("The step's cleanup did not finish; its commands may meet what the first attempt left.", g.view.width))}`);
  } else {
    g.print(chalk.dim(wrapText(`Starting step ${step.index + 1} again; it has no cleanup, so what the first attempt made is still there.`, g.view.width)));
  }
  await endOpenedSessions(g, step);
  if (g.term.signal.aborted) return "quit";
  return prepare(g, step);
}

// Which shell "I'll type it myself" opens for a step as a whole (after a failed check, or to type the solution) or
// after a command failed. A step may run its commands in several sessions (work in the box, then a look from the
// host): then the learner chooses, each shell named with the commands that ran there. Opening the last command's
// session without asking handed a new-user trial the host's shell to redo the box's work, and the hint's
// `rm /dev/null` ran on the host.
import type { Block, Step } from "../format/types.js";
import { sessionPidVar } from "../format/session-var.js";
import { choose, type Choice } from "./prompts.js";
import { commandBlocks, type Guided } from "./context.js";

/** A shell of the step: the commands (numbers from 1) typed in it, and those that opened it (`enter=`). */
export interface StepShell {
  name: string;
  ran: number[];
  opened: number[];
}

/**
 * The sessions of the step's first UPTO commands (all by default), in order of first mention. A command with
 * `enter=X` is typed in its own `session=` (host by default), so it ran there; X is the shell it opened.
 */
export function stepSessions(step: Step, upTo = Infinity): StepShell[] {
  const shells: StepShell[] = [];
  const shell = (name: string): StepShell => {
    const known = shells.find((s) => s.name === name);
    if (known) return known;
    const added = { name, ran: [], opened: [] };
    shells.push(added);
    return added;
  };
  commandBlocks(step)
    .slice(0, upTo)
    .forEach((block, i) => {
      shell(block.session).ran.push(i + 1);
      if (block.enter) shell(block.enter).opened.push(i + 1);
    });
  return shells;
}

/**
 * The likeliest shell for the step's own work: the last command's session that is not the host (host commands in
 * a namespace step set it up or look from outside), else host; a step without commands, its solution's session.
 */
export function workSession(step: Step): string {
  const names = commandBlocks(step).map((b) => b.enter ?? b.session);
  return names.filter((n) => n !== "host").at(-1) ?? names.at(-1) ?? step.blocks.find((b) => b.role === "solution")?.session ?? "host";
}

/** What failed before the learner asked to type: a check (its session and failing line) or a command. */
export type FailedWork = { check: { session: string; line?: string } } | { command: Pick<Block, "session"> };

/**
 * The shell under the cursor: where the failing condition's command runs — a check line that reaches into a session
 * through its ROOTLAB_SESSION_<NAME>_PID (nsenter -t, /proc/PID/root) runs there, any other in the check's own
 * session; after a failed command, that command's session — else the likeliest (workSession). Pure.
 */
export function preferredShell(step: Step, names: string[], failed?: FailedWork): string {
  const known = (name: string | undefined): name is string => name !== undefined && names.includes(name);
  if (failed && "check" in failed) {
    const line = failed.check.line ?? "";
    const reached = names.find((n) => n !== failed.check.session && new RegExp(`\\b${sessionPidVar(n)}\\b`).test(line));
    if (known(reached)) return reached;
    if (known(failed.check.session)) return failed.check.session;
  }
  if (failed && "command" in failed && known(failed.command.session)) return failed.command.session;
  const likely = workSession(step);
  return known(likely) ? likely : (names[0] ?? likely);
}

const numbers = (list: number[]): string => (list.length === 1 ? `command ${list[0]}` : `commands ${list.slice(0, -1).join(", ")} and ${list.at(-1)}`);

/** "where commands 5 and 7 ran (command 2 opened it)". Pure. */
export function shellHint(shell: StepShell): string {
  const opened = shell.opened.length > 0 ? `${numbers(shell.opened)} opened it` : "";
  if (shell.ran.length === 0) return opened;
  return `where ${numbers(shell.ran)} ran${opened ? ` (${opened})` : ""}`;
}

/**
 * Asks which shell when the step's commands (its first UPTO) ran in more than one, the preferred one under the
 * cursor (preferredShell); else that one. Undefined: the learner went back.
 */
export async function pickWorkSession(g: Guided, step: Step, opts: { upTo?: number; failed?: FailedWork } = {}): Promise<string | undefined> {
  const shells = stepSessions(step, opts.upTo);
  const preferred = preferredShell(step, shells.map((s) => s.name), opts.failed);
  if (shells.length < 2) return preferred;
  g.live.stopSpinner();
  const choices: Choice<string>[] = shells.map((s) => ({ value: `s:${s.name}`, label: `the ${s.name} shell`, hint: shellHint(s) }));
  choices.push({ value: "back", label: "Back", hint: "no shell now" });
  const initial = Math.max(0, shells.findIndex((s) => s.name === preferred));
  const answer = await choose("This step's commands ran in more than one shell. Type in which?", choices, { ...g.term, initial });
  return answer.kind === "chosen" && answer.value.startsWith("s:") ? answer.value.slice(2) : undefined;
}

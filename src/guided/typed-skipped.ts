// "I'll type it myself", then `check` without having run (a line of) the command: rootlab says so after it takes
// the shell back — a note only, once a step: the step goes on and its checks run as always (a learner who types
// just `check` to see what the checks want gets them at once). The comparison is loose (./typed-runs.ts): the same
// program counts as run. Pure.
import type { Block } from "../format/types.js";
import { blockCommands, matchCommand } from "./typed-runs.js";
import { splitShell } from "../shell/split.js";

/** The shortest form of a command worth quoting: at most MAX characters. */
function short(command: string, max = 60): string {
  return command.length <= max ? command : `${command.slice(0, max - 1)}…`;
}

/**
 * The note when TYPED (the commands the learner ran this turn) leaves out a command of BLOCK; undefined when not.
 * LAST: BLOCK is the step's last command (the checks run next), else the step goes on with its next command.
 */
export function missedCommandsNote(block: Block, typed: readonly string[], last: boolean): string | undefined {
  const commands = blockCommands(block);
  // A line of several commands (`echo hi > note; NOTE=hi`, `a && b`) ran each of them (loosely: a `&&` in quotes
  // splits too, which only adds words to compare).
  const each = typed.flatMap((t) => splitShell(t).commands.flatMap((c) => c.text.split("\n")[0]!.split(/\s(?:&&|\|\|)\s/).map((p) => p.trim())));
  const ran = new Set(each.map((t) => matchCommand(t, commands)).filter((i) => i !== undefined));
  const missed = commands.filter((_c, i) => !ran.has(i));
  if (missed.length === 0) return undefined;
  const more = missed.length > 1 ? ` (and ${missed.length - 1} more of its lines)` : "";
  const what = ran.size === 0 ? `You gave the shell back without running the command: rootlab did not see \`${short(missed[0]!)}\`${more}.` : `rootlab did not see you run \`${short(missed[0]!)}\`${more}.`;
  const then = last ? "The checks run now anyway and say what is missing" : "The step goes on anyway; its checks will say what is missing";
  return `${what} ${then} (if you did it another way, they pass).`;
}

// "I'll type it myself", then `check` without having run one of the command's lines: rootlab says so, gently and
// once (the learner runs it, or types check again to go on anyway), instead of going on to a later failure whose
// hint is about something else. The comparison is loose (./typed-runs.ts): the same program counts as run. Pure.
import type { Block } from "../format/types.js";
import { blockCommands, matchCommand } from "./typed-runs.js";

/** The shortest form of a command worth quoting: its first line, at most MAX characters. */
function short(command: string, max = 60): string {
  return command.length <= max ? command : `${command.slice(0, max - 1)}…`;
}

/** The note when TYPED (the commands the learner ran this turn) leaves out a command of BLOCK; undefined when not. */
export function missedCommandsNote(block: Block, typed: readonly string[]): string | undefined {
  const commands = blockCommands(block);
  const ran = new Set(typed.map((t) => matchCommand(t, commands)).filter((i) => i !== undefined));
  const missed = commands.filter((_c, i) => !ran.has(i));
  if (missed.length === 0) return undefined;
  const more = missed.length > 1 ? ` (and ${missed.length - 1} more of the command's lines)` : "";
  const what = typed.length === 0 ? "rootlab did not see you run any command here, so not" : "rootlab did not see you run";
  return `${what} \`${short(missed[0]!)}\`${more}. Run it now, or type check again to go on anyway.`;
}

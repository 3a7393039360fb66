// A learner who types a step's command often types on: the step's next command too, in the same turn, before
// rootlab has shown it. Offering that command again would run it twice (a second `minirun … two` fails: the
// container exists). So a later command the turn already ran is not offered again: rootlab says so and goes on.
// Stricter than the check for a skipped line (./typed-skipped.ts): every word of each of the command's lines must
// have been typed, so looking around with the same program (`cat` of another file) is not taken for it. Pure.
import type { Block } from "../format/types.js";
import { splitShell } from "../shell/split.js";
import { blockCommands } from "./typed-runs.js";

/** A command's words, quotes left out, for comparing loosely ("$R/bin" and $R/bin are the same). */
function words(text: string): string[] {
  return text.replace(/["']/g, "").split(/\s+/).filter(Boolean);
}

/** TYPED (a turn's commands) as the simple commands they ran: a line `a; b` or `a && b` ran both. */
function eachCommand(typed: readonly string[]): string[] {
  return typed.flatMap((t) => splitShell(t).commands.flatMap((c) => c.text.split("\n")[0]!.split(/\s(?:&&|\|\|)\s/).map((p) => p.trim())));
}

/**
 * Whether TYPED (the commands of the turn that did BEFORE, the step's commands up to now, in SESSION) also ran every
 * line of BLOCK, the step's next command. Each typed command counts once: one that did a line of BEFORE does not
 * also count for BLOCK (the same `cat` in both). A block rootlab must run itself (another session, a background
 * block, one that opens a session) never counts.
 */
export function typedAhead(before: readonly Block[], block: Block, typed: readonly string[], session: string): boolean {
  if (block.session !== session || block.background || block.enter) return false;
  const commands = blockCommands(block);
  if (commands.length === 0) return false;
  const left = eachCommand(typed).map((t) => new Set(words(t)));
  const take = (command: string): boolean => {
    const want = words(command);
    const at = left.findIndex((mine) => want.every((w) => mine.has(w)));
    if (at >= 0) left.splice(at, 1);
    return at >= 0;
  };
  for (const c of before.flatMap(blockCommands)) take(c);
  return commands.every(take);
}

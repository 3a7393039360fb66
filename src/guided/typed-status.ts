// After a typed turn: how the step's own command ended, not whatever the learner typed last. A habitual `echo $?`,
// `ls`, `clear` or `pwd` after the command must not be taken for it: the shell's `$?` at `check` belongs to the
// last command, so it is the step's status only when the step's command was last — or when the command right after
// it was `echo $?`, which printed it. Otherwise rootlab says which command the status would have been of. Pure.
import type { Block } from "../format/types.js";
import { blockCommands, matchCommand, typedRuns, type TypedRun } from "./typed-runs.js";
import type { View } from "./render.js";
import { shortCommand } from "./typed-notes.js";
import { wrapText } from "../term/wrap.js";

export interface TypedOutcome {
  /** The step's (last) command as the learner typed it; undefined when they did not run it this turn. */
  ran?: string;
  /** Its exit status, when rootlab can tell. */
  status?: number;
  /** What it printed (stdout and stderr, as the terminal showed them), when its prompt was seen on the screen. */
  output?: string;
  /** The command typed last, when it is another one that came after the step's command (its status is `$?`). */
  after?: string;
}

/** `echo $?` (or `echo "$?"`): prints the status of the command before it. */
const ECHO_STATUS = /^echo\s+("\$\?"|\$\?|'\$\?')\s*;?$/;

/**
 * BLOCK's outcome from a turn: TYPED (bash's history of the turn, [] in other shells), SHOWN (the turn's screen as
 * text) and LAST_STATUS (`$?` when the learner gave the shell back).
 */
export function typedOutcome(block: Block, typed: readonly string[], shown: string, lastStatus: number | undefined): TypedOutcome {
  const commands = blockCommands(block);
  const target = commands.length - 1;
  // Loosely, as everywhere in the typed shell: the same program counts (a typo in a path is still the command), but
  // never `echo $?`, which only reports on it (a step's `echo … | sha256sum -c` starts with echo too).
  const isStep = (text: string) => !ECHO_STATUS.test(text.trim()) && matchCommand(text, commands) === target;
  const runs = typedRuns(shown).filter((r) => r.command);
  // The commands in the order run: the shell's history when it keeps one (exact), else the prompts on the screen.
  const order = typed.length > 0 ? [...typed] : runs.map((r) => r.typed);
  const at = order.findLastIndex(isStep);
  if (at < 0) return {};
  const output = blockOutput(runs, commands, isStep);
  const base = { ran: order[at]!, ...(output !== undefined ? { output } : {}) };
  if (at === order.length - 1) return { ...base, ...(lastStatus !== undefined ? { status: lastStatus } : {}) };
  const next = order[at + 1]!.trim();
  if (at === order.length - 2 && ECHO_STATUS.test(next)) {
    const printed = runs.at(-1)?.output.map((l) => l.text.trim()).filter(Boolean);
    if (printed?.length === 1 && /^\d{1,3}$/.test(printed[0]!)) return { ...base, status: Number(printed[0]) };
  }
  return { ...base, after: order.at(-1)! };
}

/**
 * What BLOCK's commands printed in the turn, as rootlab's run of the block would have: the block's expected output
 * is of all its commands (a `minirun …` line, then what `curl` printed), so the last run of each of COMMANDS, in
 * the order run, up to the step's last command (IS_STEP). Undefined when that was not seen, or when a command of
 * the block was not run in this turn (typed in an earlier one): then what is missing cannot be told from here.
 */
function blockOutput(runs: readonly TypedRun[], commands: readonly string[], isStep: (text: string) => boolean): string | undefined {
  const end = runs.findLastIndex((r) => isStep(r.typed));
  if (end < 0) return undefined;
  const last = new Map<number, number>();
  runs.slice(0, end + 1).forEach((r, i) => {
    if (ECHO_STATUS.test(r.typed.trim())) return;
    const k = matchCommand(r.typed, commands);
    if (k !== undefined) last.set(k, i);
  });
  last.set(commands.length - 1, end);
  if (commands.some((_c, k) => !last.has(k))) return undefined;
  const order = [...new Set(last.values())].sort((a, b) => a - b);
  return order
    .flatMap((i) => runs[i]!.output.map((l) => l.text))
    .join("\n")
    .trim();
}

/**
 * The learner ran the step's command meant to fail (RAN), then another (AFTER: a habitual `ls`, `clear`): the
 * shell's `$?` is AFTER's, so rootlab cannot say whether RAN failed as expected — said so, naming both.
 */
export function typedStatusUnknownNote(block: Block, ran: string, after: string, v: View): string {
  const { chalk, sym } = v.style;
  const said =
    `${sym.warn} You ran \`${shortCommand(ran)}\`, then \`${shortCommand(after)}\`: the shell keeps only the last command's exit ` +
    `status, so rootlab cannot tell whether \`${shortCommand(ran)}\` failed as expected (exit status ${block.exit}). Read what it printed above; ` +
    "the step's checks look at the machine either way.";
  return wrapText(chalk.yellow(said), v.width, { firstIndent: "", indent: "  " });
}

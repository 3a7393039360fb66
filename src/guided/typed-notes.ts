// What guided mode says around a turn the learner types in the session's own shell: where they are and how to
// come back (before), and how their command ended against what the step expects (after). Pure text, as render.ts.
import { HAND_BACK_KEY_NAME } from "../exec/typed-shell.js";
import type { Block, Step } from "../format/types.js";
import { exitCodeInWords, exitStatusInWords } from "../term/words.js";
import { wrapText } from "../term/wrap.js";
import { readableLine } from "../check/readable.js";
import { matchExpect, outputLines } from "../check/expect.js";
import { failedAsExpected, type View } from "./render.js";

/**
 * A typed command meant to fail ended with the expected status but did not print what the step expects: it failed
 * for another reason (a typo, a file missing). MISMATCH: the first line that differs. Pure.
 */
export function failedForAnotherReason(block: Block, mismatch: { expected: string; actual: string | undefined }, v: View): string {
  const { chalk, sym } = v.style;
  const printed = mismatch.actual === undefined ? "nothing where the step expects" : `"${mismatch.actual.trim()}" instead of`;
  const said =
    `${sym.warn} Exit status ${block.exit} as expected, but it printed ${printed} "${mismatch.expected.trim()}": ` +
    "it failed for another reason. Compare what you typed with the command above (and what the earlier commands made).";
  return wrapText(chalk.yellow(said), v.width, { firstIndent: "", indent: "  " });
}

/**
 * After the learner typed a command meant to fail (exit=N) and gave the shell back: when their last command failed
 * that way, the same "as expected" as when rootlab runs it (or, when the block has an expected output that their
 * last command's output (PRINTED) does not match, that it failed for another reason); otherwise what to compare
 * (not an error: the checks look at the machine). For other commands, a word only when the learner's last command
 * was stopped by a signal (Ctrl-C), so rootlab does not go on as if it had run; nothing when the shell could not
 * tell (undefined).
 */
export function typedExitNote(block: Block, lastStatus: number | undefined, v: View, printed?: string, ran?: string): string | undefined {
  if (lastStatus === undefined) return undefined;
  const { chalk, sym } = v.style;
  // RAN: the step's command as typed (not just the last thing typed), named so the learner knows which one is meant.
  const yours = ran === undefined ? "Your last command" : `Your command \`${shortCommand(ran)}\``;
  const that = ran === undefined ? "If that was the command above, the step's" : "The step's";
  if (block.exit === 0) {
    const note = (said: string) => wrapText(chalk.yellow(said), v.width, { firstIndent: "", indent: "  " });
    // One stopped by a signal (Ctrl-C: 130) did not run to its end. Above 128 + 64 a status is the program's own
    // (bash after `fork: Cannot allocate memory`: 254), not a signal.
    if (lastStatus > 128 && lastStatus <= 128 + 64) {
      return note(`${sym.warn} ${yours} was stopped (exit status ${lastStatus}: ${exitCodeInWords(lastStatus)}), so it did not run to its end. ${that} checks will say what is missing; you can then try the step again.`);
    }
    // Without RAN the status is of whatever was typed last: any failure may be the learner looking around. With it,
    // the step's own command failed (a curl that could not connect, exit 7) or printed what the step does not
    // expect: said, as when rootlab runs it, though the checks may still pass.
    if (ran === undefined) return undefined;
    if (lastStatus !== 0) {
      const words = exitStatusInWords(lastStatus, ran);
      const how = /^exit(ed with)? status \d+$/.test(words) ? "" : ` (${words})`;
      return note(`${sym.warn} ${yours} ended with exit status ${lastStatus}${how}; the step's command is meant to succeed. Compare what you typed with the command above; the checks say what the machine shows.`);
    }
    const mismatch = printed === undefined ? undefined : expectMismatch(block, printed);
    if (!mismatch) return undefined;
    const got = mismatch.actual === undefined ? "nothing where the step expects" : `"${mismatch.actual.trim()}" where the step expects`;
    return note(`${sym.warn} ${yours} printed ${got} "${mismatch.expected.trim()}". Compare what you typed with the command above.`);
  }
  if (lastStatus === block.exit) {
    const mismatch = printed === undefined ? undefined : expectMismatch(block, printed);
    return mismatch ? failedForAnotherReason(block, mismatch, v) : failedAsExpected(block, v);
  }
  const said =
    `${sym.warn} ${yours} ended with exit status ${lastStatus} (${exitStatusInWords(lastStatus, ran)}), but this command is meant to ` +
    `fail with exit status ${block.exit} (${exitStatusInWords(block.exit, block.code)}). Compare what you typed with the command above.`;
  return wrapText(chalk.yellow(said), v.width, { firstIndent: "", indent: "  " });
}

/** A typed command quoted in a note: its first line, at most 60 characters. */
export function shortCommand(text: string): string {
  const line = text.split("\n")[0]!.trim();
  return line.length <= 60 ? line : `${line.slice(0, 59)}…`;
}

/**
 * Where PRINTED (what a typed command printed: stdout and stderr mixed, as they arrived on the terminal) fails
 * BLOCK's expected output, as the learner reads both; undefined when it matches or the block expects nothing.
 * An expected output describes stdout alone, so lines between and around the expected ones are allowed (a
 * correct `sha256sum -c` prints its stdout line and a WARNING on stderr); what must be there is every expected
 * line, in order. MISMATCH: the first expected line not found, and the first printed line no expected line
 * matches (what the command said instead), if any.
 */
export function expectMismatch(block: Block, printed: string): { expected: string; actual: string | undefined } | undefined {
  if (!block.expect) return undefined;
  const want = block.expect.lines;
  const among = (lines: string[]) => matchExpect(["...", ...lines.flatMap((l) => [l, "..."])], printed).ok;
  if (among(want)) return undefined;
  const k = want.findIndex((_l, i) => !among(want.slice(0, i + 1)));
  const expected = want[Math.max(0, k)] ?? "";
  const other = outputLines(printed).find((line) => line.trim() !== "" && !want.some((w) => matchExpect([w], line).ok));
  return { expected: readableLine(expected), actual: other };
}

const commandNumber = (step: Step, block: Block): number => step.blocks.filter((b) => b.role === "command").indexOf(block) + 1;

/**
 * What the learner reads before typing in a real shell: where they are, how to come back, what happens then.
 * SESSION other than BLOCK's: they chose another shell after BLOCK failed, to fix what it needs there.
 */
export function typedShellIntro(step: Step, session: string, block: Block | undefined, v: View): string {
  const { chalk } = v.style;
  // Checks run once the step's last command is done; after an earlier one the step just goes on.
  const last = !block || step.blocks.filter((b) => b.role === "command").at(-1) === block;
  const then = last ? "rootlab then checks your work" : "rootlab goes on with the step (the checks run after its last command)";
  const back = `type ${chalk.bold("check")} (or press ${chalk.bold(HAND_BACK_KEY_NAME)} at the prompt)`;
  const lines = [
    "",
    chalk.bold(`This is session "${session}"'s own shell: the lab's commands ran in it, and the next ones will.`),
    chalk.dim("Its $$, directory and variables are the lab's; `exit` would end the session."),
    ...(block && (block.session !== session || block.background)
      ? [
          block.background
            ? `Command ${commandNumber(step, block)} starts in the background, which rootlab does for you: fix here what it needs, then ${back}; rootlab then shows that command again.`
            : `Command ${commandNumber(step, block)} runs in session "${block.session}", not here: fix here what it needs, then ${back}; rootlab then shows that command again.`,
        ]
      : block?.enter
      ? [
          `This command opens a new shell: look around in it, leave it with ${chalk.bold("exit")}, then ${back}.`,
          `rootlab then opens session "${block.enter}" itself with the command above, for the next commands and the checks.`,
        ]
      : [`Type the command. When you are done, ${back}; ${then}.`]),
    "",
  ];
  // Each line wrapped at words to the terminal: the introduction is read before typing, never cut mid-word.
  return lines.map((l) => wrapText(l, v.width)).join("\n");
}

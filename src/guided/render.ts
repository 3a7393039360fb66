// Pure text for guided mode: a value in, a string out (with the colours the Style allows). Printed by the flow.
import type { Block, Hint, Lab, Step } from "../format/types.js";
import type { BlockResult } from "../exec/types.js";
import type { BlockRun, CheckRun } from "../exec/lab-run.js";
import type { Style } from "../term/style.js";
import { exitCodeInWords, exitStatusInWords } from "../term/words.js";
import { renderMarkdown } from "../term/markdown.js";
import { wrapShellCode } from "../term/shell-wrap.js";
import { wrapText } from "../term/wrap.js";
import { readableExpect } from "../check/readable.js";

export interface View {
  style: Style;
  /** Terminal columns to wrap to. */
  width: number;
}

const MAX_OUTPUT_LINES = 15;

function rule(v: View): string {
  return v.style.chalk.dim(v.style.sym.box.h.repeat(Math.max(10, Math.min(v.width, 100))));
}

export function markdown(md: string, v: View): string {
  return renderMarkdown(md, { width: v.width, style: v.style }).replace(/\n+$/, "");
}

export function labHeader(lab: Lab, v: View): string {
  const { chalk } = v.style;
  const meta = `${lab.meta.level} ${v.style.sym.bullet} about ${lab.meta.duration} ${v.style.sym.bullet} ${lab.steps.length} steps`;
  const intro = lab.intro.trim() ? `\n\n${markdown(lab.intro, v)}` : "";
  return `${rule(v)}\n${wrapText(chalk.bold(lab.title), v.width)}\n${chalk.dim(meta)}${intro}`;
}

export function stepHeader(lab: Lab, step: Step, v: View): string {
  const { chalk, sym } = v.style;
  const title = wrapText(chalk.bold.cyan(`${sym.arrow} Step ${step.index + 1}/${lab.steps.length}: ${step.title}`), v.width, { firstIndent: "", indent: "  " });
  const intro = step.intro.trim() ? `\n\n${markdown(step.intro, v)}` : "";
  return `\n${rule(v)}\n${title}${intro}`;
}

export function sessionLabel(block: Block): string {
  const where = block.session === "host" ? "on the host" : `in session "${block.session}"`;
  return block.enter ? `${where}; it opens session "${block.enter}"` : where;
}

/** A command the learner is about to run or type, highlighted as shell code. */
export function commandView(block: Block, position: { n: number; of: number }, v: View): string {
  const { chalk } = v.style;
  const label = position.of > 1 ? `Command ${position.n}/${position.of}` : "Command";
  const fails = block.exit !== 0 ? `; meant to fail with exit status ${block.exit}` : "";
  const background = block.background ? "; it starts in the background" : "";
  return `\n${chalk.bold(label)} ${chalk.dim(`(${sessionLabel(block)}${fails}${background})`)}\n${markdown(`\`\`\`sh\n${block.code}\n\`\`\``, v)}`;
}

export function hintView(hint: Hint, n: number, total: number, v: View): string {
  const { chalk } = v.style;
  return `\n${chalk.bold.magenta(`Hint ${n}/${total}`)}\n${markdown(hint.markdown, v)}`;
}

function tail(text: string, lines = MAX_OUTPUT_LINES): string[] {
  const all = text.replace(/\n+$/, "").split("\n");
  if (all.length === 1 && all[0] === "") return [];
  return all.length > lines ? [`… (${all.length - lines} earlier lines not shown)`, ...all.slice(-lines)] : all;
}

/** A block's failing line, 0-based within its code, from the result's line of the lab file. */
function failedLineInCode(block: Block, result: BlockResult): number | undefined {
  return result.failedLine === undefined ? undefined : result.failedLine - block.codeLine;
}

/** What happened to a block that did not finish normally, in words the learner can act on (BLOCK: whose status). */
export function resultInWords(result: BlockResult, block?: Block): string {
  switch (result.kind) {
    case "timeout":
      return `it did not finish in time (${result.reason ?? "timed out"}) and was stopped`;
    case "session-died":
      return `its shell session ended (${result.reason ?? "the session exited"})`;
    case "enter-failed":
      return `the command did not open a working shell session (${result.reason ?? "enter failed"})`;
    case "ok":
      return `exit status ${result.exitCode} (${block ? exitStatusInWords(result.exitCode, block.code, failedLineInCode(block, result)) : exitCodeInWords(result.exitCode)})`;
  }
}

export function checkLine(run: CheckRun, v: View): string {
  const { chalk, sym } = v.style;
  const name = run.block.name ?? `check at line ${run.block.line}`;
  // A long check name goes on under itself, never cut by the terminal in the middle of a word.
  const mark = run.outcome.status === "pass" ? chalk.green(sym.pass) : chalk.red(sym.fail);
  return wrapText(`${mark} ${name}`, v.width, { firstIndent: "  ", indent: "    " });
}

/** What guided mode found out about a failed check: its failing line and the values it compared (check-values.ts). */
export interface FailedCondition {
  line?: string | undefined;
  values?: string[] | undefined;
}

export function checkFailure(run: CheckRun, v: View, condition: FailedCondition = {}): string {
  const { chalk } = v.style;
  const name = run.block.name ?? `check at line ${run.block.line}`;
  const lines = [`\n${chalk.bold(wrapText(`Why "${name}" failed:`, v.width))}`];
  if (condition.line && run.result.failedLine !== undefined) {
    lines.push(`  this condition did not hold (line ${run.result.failedLine} of the lab):`);
    lines.push(...wrapShellCode(condition.line, Math.max(20, v.width - 4)).map((l) => `    ${l}`));
    for (const value of condition.values ?? []) lines.push(wrapText(value, v.width, { firstIndent: "  ", indent: "    " }));
  } else {
    lines.push(`  expected: the check succeeds (exit status 0)`, `  actual:   ${resultInWords(run.result, run.block)}`);
  }
  if (run.attempts > 1) lines.push(chalk.dim(`  (tried ${run.attempts} times while waiting for it to pass)`));
  const output = tail(`${run.result.stdout}${run.result.stderr}`);
  // Wrapped at words under its indent: a message cut by the terminal mid-word ("No such file o / r directory").
  if (output.length > 0) lines.push("  the check printed:", ...output.map((l) => chalk.dim(wrapText(l, v.width, { firstIndent: "    ", indent: "      " }))));
  return lines.join("\n");
}

/** A command that failed: how, and (for expected output) the aligned expected-vs-actual report. */
export function blockFailure(run: BlockRun, v: View): string {
  const { chalk, sym } = v.style;
  const lines: string[] = [];
  if (run.expect) {
    lines.push(`${chalk.red(sym.fail)} The output is not what this step expects:`, ...run.expect.report.map((l) => `  ${l}`));
    // The report's expected column shows the lab's patterns: say what they stand for, as `rootlab show` does.
    const readable = readableExpect(run.block.expect?.lines ?? []);
    if (readable.legend) {
      lines.push(...markdown(`In words, the step expects (${readable.legend}):`, { ...v, width: v.width - 2 }).split("\n").map((l) => `  ${l}`));
      lines.push(...readable.lines.map((l) => wrapText(l, v.width, { firstIndent: "    ", indent: "      " })));
    }
  } else if (run.result.kind === "ok") {
    const expected = run.block.exit === 0 ? "success (exit status 0)" : `exit status ${run.block.exit} (${exitStatusInWords(run.block.exit, run.block.code)})`;
    // Wrapped at words under their value: a long reason cut by the terminal mid-word ("poin / t") reads badly.
    const field = (label: string, value: string) => wrapText(`  ${label}${value}`, v.width, { firstIndent: "", indent: " ".repeat(2 + label.length) });
    lines.push(`${chalk.red(sym.fail)} The command failed.`, field("expected: ", expected), field("actual:   ", resultInWords(run.result, run.block)));
  } else {
    lines.push(wrapText(`${chalk.red(sym.fail)} The command did not complete: ${resultInWords(run.result, run.block)}.`, v.width, { firstIndent: "", indent: "  " }));
    if (run.result.kind === "session-died") lines.push(wrapText("  Later commands of this session cannot run; skipping the step re-creates what rootlab can.", v.width, { firstIndent: "", indent: "  " }));
  }
  if (run.result.failedLine) lines.push(chalk.dim(`  (failing line ${run.result.failedLine} of the lab file)`));
  return lines.join("\n");
}

/**
 * After a command meant to fail (exit=N) did fail that way: say it is the point, not an error. Only a block with
 * an expected output (compared by the run, or by the caller for a typed command) had its reason checked too;
 * without one, only the status was, and the words do not claim more.
 */
export function failedAsExpected(block: Block, v: View): string | undefined {
  if (block.exit === 0) return undefined;
  const { chalk, sym } = v.style;
  const status = `Exit status ${block.exit} (${exitStatusInWords(block.exit, block.code)})`;
  const said = block.expect
    ? `${chalk.green(`${status} and the output the step expects:`)} this command is meant to fail.`
    : `${chalk.green(`${status}, as the step expects`)} (it is meant to fail; rootlab checked the status only, so read what it printed).`;
  return wrapText(`${chalk.green(sym.pass)} ${said}`, v.width, { firstIndent: "", indent: "  " });
}


export function solutionView(step: Step, v: View): string {
  const blocks = solutionBlocks(step);
  if (blocks.length === 0) return v.style.chalk.dim("This step has no commands to show.");
  const body = blocks.map((b) => `${v.style.chalk.dim(`(${sessionLabel(b)})`)}\n${markdown(`\`\`\`sh\n${b.code}\n\`\`\``, v)}`).join("\n");
  return `\n${v.style.chalk.bold("Solution")}\n${body}`;
}

/** What solves a step: its solution blocks, else its commands. */
export function solutionBlocks(step: Step): Block[] {
  const solutions = step.blocks.filter((b) => b.role === "solution");
  return solutions.length > 0 ? solutions : step.blocks.filter((b) => b.role === "command");
}

export function explanationView(step: Step, v: View, how: "done" | "skipped" = "done"): string {
  const { chalk, sym } = v.style;
  const said = how === "done" ? chalk.green.bold(`${sym.pass} Step ${step.index + 1} done: ${step.title}`) : chalk.bold(`${sym.skip} Step ${step.index + 1} skipped (rootlab did it for you): ${step.title}`);
  const head = wrapText(said, v.width, { firstIndent: "", indent: "  " });
  return step.explanation.trim() ? `\n${head}\n\n${markdown(step.explanation, v)}` : `\n${head}`;
}

/** "▕████░░░░▏ 2/5 Title" for the replay of earlier steps. */
export function progressBar(done: number, total: number, label: string, v: View): string {
  const width = 20;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  const [on, off] = v.style.unicode ? ["█", "░"] : ["#", "."];
  return `[${on.repeat(filled)}${off.repeat(width - filled)}] ${done}/${total} ${label}`;
}

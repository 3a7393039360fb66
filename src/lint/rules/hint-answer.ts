// A hint ladder climbs nudge → tool → command. A first rung that already shows the step's command teaches
// nothing: the student who asks for one hint gets the answer. This rule finds a step's first `> [!TIP]` that
// shows, as code, a whole command line the student types in the step (a `command` or `solution` block) and that
// does the step's work. Not an answer: a tool's name or part of a command (`ip link`, `ip netns add`, a man page),
// a line shorter than 8 characters or of one word, and a command that only looks (`ip -br addr`, `findmnt /`).
import type { Block, Hint, Step } from "../../format/types.js";
import type { Problem } from "../../format/diagnostics.js";
import type { LintRule } from "../types.js";
import { answerLines, hintCode, isAnswer, showsCommand } from "../hint-code.js";
import { looksOnly } from "../look-only.js";

export const ANSWER_FIRST = "hint/answer-first";

const TYPED: ReadonlySet<Block["role"]> = new Set(["command", "solution"]);

/**
 * The source line a hint's Markdown line (0-based) is on. The alert drops the `[!TIP]` line's empty rest and blank
 * lines before its text; after that, one Markdown line is one source line.
 */
function sourceLine(hint: Hint, lines: string[], at: number): number {
  const marker = lines[hint.line - 1];
  // Without the source (lintLab given only the Lab), the usual shape: the text starts on the line after `[!TIP]`.
  if (marker === undefined) return hint.line + 1 + at;
  let first = hint.line;
  if (/\[![A-Za-z]+\][ \t]*$/.test(marker)) {
    first++;
    while (first <= lines.length && /^ {0,3}>?[ \t]*$/.test(lines[first - 1]!)) first++;
  }
  return first + at;
}

const EXAMPLE = [
  "> [!TIP]",
  "> A nudge: what to look at or think about (`ip -br link` shows which end is still DOWN). No command that does the work.",
  "",
  "> [!TIP]",
  "> The tool, or the man page section that has the option (`ip-link(8)`, `set … up`).",
  "",
  "> [!TIP]",
  "> The command, last: `ip link set rl-h1 up`",
].join("\n");

function answerGiven(step: Step, lines: string[]): Problem | undefined {
  const rung = step.hints[0];
  if (!rung) return undefined;
  const typed = step.blocks.filter((b) => TYPED.has(b.role));
  if (typed.length === 0) return undefined;
  // Code that could hold a command line at all: two words or more, long enough (most hints name tools).
  const shown = hintCode(rung.markdown).filter((c) => isAnswer(c.text));
  if (shown.length === 0) return undefined;
  const haystack = shown.map((c) => c.text).join("\n");
  for (const block of typed) {
    for (const command of answerLines(block.code, haystack)) {
      const code = shown.find((c) => showsCommand(c.text, command.text));
      // Only now (rarely) is the line parsed: a command that only looks is what a nudge may point at.
      if (!code || looksOnly(command.written)) continue;
      return {
        line: sourceLine(rung, lines, code.line),
        code: ANSWER_FIRST,
        message: `the first hint of step "${step.title}" gives away the step's command \`${command.written}\` (block at line ${block.line}): a student who asks for one hint is handed the answer`,
        expected:
          "a ladder that climbs: hint 1 a nudge (what to look at or think about, without a command that does the step's work), then the tool or man page, then the command — move the command to the last hint",
        example: EXAMPLE,
      };
    }
  }
  return undefined;
}

export const hintAnswerFirst: LintRule = {
  code: ANSWER_FIRST,
  severity: "warning",
  description: "a step's first `> [!TIP]` shows, as code, a whole command line of the step that does its work (the answer before any nudge)",
  check: (ctx) => ctx.lab.steps.flatMap((step: Step) => answerGiven(step, ctx.lines) ?? []),
};


// Expected output: `(re)` lines must be regular expressions, and output-looking blocks right after a command
// are probably meant as `text expect` (without the role they are only shown, never compared).
import type { Problem } from "../../format/diagnostics.js";
import type { Step, StepPart } from "../../format/types.js";
import type { LintRule } from "../types.js";
import { regexError } from "../../check/expect.js";

const RE_SUFFIX = " (re)";
const OPENING = /^ {0,3}(?:`{3,}|~{3,})[ \t]*(\S*)/;

/** Why `source` is not a valid regular expression, exactly as the matcher compiles it (one definition). */
export { regexError } from "../../check/expect.js";

export const expectBadRegex: LintRule = {
  code: "expect/bad-regex",
  severity: "error",
  description: "an expected-output line ending in ` (re)` is not a valid JavaScript regular expression",
  check: ({ lab }) => {
    const problems: Problem[] = [];
    for (const block of lab.steps.flatMap((s) => s.blocks)) {
      const spec = block.expect;
      spec?.lines.forEach((text, i) => {
        if (!text.endsWith(RE_SUFFIX)) return;
        const error = regexError(text.slice(0, -RE_SUFFIX.length));
        if (error === undefined) return;
        problems.push({
          line: spec.line + 1 + i,
          code: "expect/bad-regex",
          message: `this expected-output line ends in \` (re)\` but is not a valid regular expression: ${error}`,
          expected: "a JavaScript regular expression before ` (re)` (escape literal ( ) [ ] { } * + ? . with \\), or no ` (re)` to match the line as written",
          example: "```text expect\nPID \\d+ \\(running\\) (re)\n```",
        });
      });
    }
    return problems;
  },
};

/** A part that is a ```text / ```console fence with no role, shown only (a console transcript with `$ ` lines excluded). */
function shownOutput(part: StepPart | undefined): { line: number; lang: string } | undefined {
  if (part?.kind !== "prose") return undefined;
  const [first = "", second = ""] = part.markdown.split("\n");
  const lang = OPENING.exec(first)?.[1]?.toLowerCase();
  if (lang !== "text" && lang !== "console") return undefined;
  if (second.startsWith("$ ")) return undefined;
  return { line: part.line, lang };
}

function unmarkedOutput(step: Step): Problem[] {
  const problems: Problem[] = [];
  step.parts.forEach((part, i) => {
    if (part.kind !== "block") return;
    const { block } = part;
    if ((block.role !== "command" && block.role !== "solution") || block.background) return;
    const shown = shownOutput(step.parts[i + 1]);
    // Already has expected output before the shown block: the shown block follows the expect, not the command.
    if (!shown || (block.expect && block.expect.line < shown.line)) return;
    problems.push({
      line: shown.line,
      code: "prose/expect-without-role",
      message: `this \`${shown.lang}\` block right after the command on line ${block.line} has no role, so it is only shown and never compared with the output`,
      expected: `\`\`\`${shown.lang} expect to compare it with the command's output; or a sentence between them if it is only an illustration`,
      example: "```sh\necho hello\n```\n\n```text expect\nhello\n```",
    });
  });
  return problems;
}

export const proseExpectWithoutRole: LintRule = {
  code: "prose/expect-without-role",
  severity: "warning",
  description: "a ```text or ```console block with no role directly after a command block (probably meant as `text expect`)",
  check: ({ lab }) => lab.steps.flatMap(unmarkedOutput),
};

/** A command line whose stdout and stderr both go to /dev/null, with nothing else on the line that could print. */
const SILENCED = /^[^|;&]*?(?:\s(?:&>|>&)\s*\/dev\/null|\s1?>\s*\/dev\/null\s+2>&1)\s*$/;

export const expectSilenced: LintRule = {
  code: "expect/silenced",
  severity: "error",
  description: "expected output after a command that sends all its output to /dev/null: it can never match",
  check: ({ lab }) =>
    lab.steps.flatMap((s) => s.blocks).flatMap((block): Problem[] => {
      const spec = block.expect;
      if (!spec || block.background || !spec.lines.some((l) => l.trim() !== "" && l.trim() !== "...")) return [];
      const lines = block.code.split("\n").map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"));
      if (lines.length === 0 || lines.some((l) => l.endsWith("\\") || !SILENCED.test(l))) return [];
      return [{
        line: spec.line,
        code: "expect/silenced",
        message: "this expected output can never match: every line of the command before it sends stdout and stderr to /dev/null, so it prints nothing",
        expected: "the command without the redirection (or `| grep …` to the lines that matter), or no ```text expect block",
        example: "```sh\nping -c1 -W2 10.231.3.2 | grep -o '1 received'\n```\n\n```text expect\n1 received\n```",
      }];
    }),
};

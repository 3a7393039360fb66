// Every step that does work should prove it with a named check. The format does not require one (a step may
// only show something), so a missing check is a warning; `rootlab lint --strict-warnings` makes it fail.
import type { Step } from "../../format/types.js";
import type { LintRule } from "../types.js";

const CHECK_EXAMPLE = "```sh verify\n# rl-red exists\nip netns list | grep -qw rl-red\n```";

const doesWork = (step: Step) => step.blocks.some((b) => b.role === "command" || b.role === "solution");

export const checkMissing: LintRule = {
  code: "check/missing",
  severity: "warning",
  description: "a step with commands or a solution has no `verify` check, so nothing proves the step worked",
  check: ({ lab }) =>
    lab.steps
      .filter((s) => doesWork(s) && !s.blocks.some((b) => b.role === "verify"))
      .map((s) => ({
        line: s.line,
        code: "check/missing",
        message: `step "${s.title}" runs commands but has no check`,
        expected: "at least one ```sh verify block that fails before the step's commands and passes after them",
        example: CHECK_EXAMPLE,
      })),
};

export const checkUnnamed: LintRule = {
  code: "check/unnamed",
  severity: "error",
  description: "a `verify` check whose first line is not a `# name` comment (the name is what the student sees)",
  check: ({ lab }) =>
    lab.steps.flatMap((s) =>
      s.blocks
        .filter((b) => b.role === "verify" && b.name === undefined)
        .map((b) => ({
          line: b.codeLine,
          code: "check/unnamed",
          message: "this check has no name: its first line is not a `# …` comment",
          expected: "a first line `# what the check proves`, in words the student understands",
          example: CHECK_EXAMPLE,
        })),
    ),
};

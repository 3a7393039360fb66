// Wrong attempts (```sh wrong) prove that a step's checks observe the student's work: `verify --strict` runs
// each and a named check must reject it. A checked step without one is a warning (format-1 labs keep working);
// an attempt nobody could tell apart (no name, no checks) is an error.
import type { Step } from "../../format/types.js";
import type { LintRule } from "../types.js";

export const WRONG_EXAMPLE = "<details><summary>Wrong attempt (rootlab verify --strict runs it; do not type it)</summary>\n\n```sh wrong\n# without --numeric-owner\ntar -C tree -xf rootfs.tar\n```\n\n```sh undo\nrm -rf tree\n```\n\n</details>";

const doesWork = (step: Step) => step.blocks.some((b) => b.role === "command" || b.role === "solution");
const hasChecks = (step: Step) => step.blocks.some((b) => b.role === "verify");

export const wrongMissing: LintRule = {
  code: "wrong/missing",
  severity: "warning",
  description: "a step with commands and checks has no `wrong` attempt, so nothing shows its checks reject a plausible mistake",
  check: ({ lab }) =>
    lab.steps
      .filter((s) => doesWork(s) && hasChecks(s) && s.wrongAttempts.length === 0)
      .map((s) => ({
        line: s.line,
        code: "wrong/missing",
        message: `step "${s.title}" has checks but no wrong attempt: nothing proves they reject a plausible mistake`,
        expected: "a folded ```sh wrong block (e.g. the command without its key flag) that the step's checks must reject under `rootlab verify --strict`",
        example: WRONG_EXAMPLE,
      })),
};

export const wrongUnnamed: LintRule = {
  code: "wrong/unnamed",
  severity: "error",
  description: "a `wrong` attempt whose first line is not a `# name` comment (reports name the attempt by it)",
  check: ({ lab }) =>
    lab.steps.flatMap((s) =>
      s.wrongAttempts
        .filter((b) => b.name === undefined)
        .map((b) => ({
          line: b.codeLine,
          code: "wrong/unnamed",
          message: "this wrong attempt has no name: its first line is not a `# …` comment",
          expected: "a first line `# what is wrong about it`, e.g. `# without --numeric-owner`",
          example: WRONG_EXAMPLE,
        })),
    ),
};

export const wrongNoChecks: LintRule = {
  code: "wrong/no-checks",
  severity: "error",
  description: "a step has `wrong` attempts but no `verify` check that could reject them",
  check: ({ lab }) =>
    lab.steps
      .filter((s) => s.wrongAttempts.length > 0 && !hasChecks(s))
      .map((s) => ({
        line: s.wrongAttempts[0]!.line,
        code: "wrong/no-checks",
        message: `step "${s.title}" has a wrong attempt but no check: nothing can reject it`,
        expected: "a ```sh verify check in the step that fails after the wrong attempt and passes after the real commands",
        example: "```sh verify\n# the files keep their owners\n[ \"$(stat -c %u:%g tree/etc/shadow)\" = 0:42 ]\n```",
      })),
};

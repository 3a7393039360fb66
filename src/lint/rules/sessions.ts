// `session=NAME` must name a session some earlier block entered (`enter=NAME`); `host` always exists.
import { sessionPidVar } from "../../format/session-var.js";
import { DEFAULT_SESSION } from "../../format/types.js";
import type { Problem } from "../../format/diagnostics.js";
import type { LintRule } from "../types.js";
import { blocksInOrder } from "../lab-shell.js";
import { columnOf } from "./source-lines.js";

export const sessionUnknown: LintRule = {
  code: "session/unknown",
  severity: "error",
  description: "`session=NAME` names a session that no earlier block creates with `enter=NAME`",
  check: ({ lab, lines }) => {
    const entered = new Set<string>([DEFAULT_SESSION]);
    const later = new Map<string, number>();
    for (const { block } of blocksInOrder(lab)) if (block.enter && !later.has(block.enter)) later.set(block.enter, block.line);
    const problems: Problem[] = [];
    for (const { block } of blocksInOrder(lab)) {
      if (!entered.has(block.session)) {
        const enteredAt = later.get(block.session);
        problems.push({
          line: block.line,
          column: columnOf(lines, block.line, `session=${block.session}`),
          code: "session/unknown",
          message: enteredAt === undefined
            ? `session \`${block.session}\` is never created: no block has \`enter=${block.session}\``
            : `session \`${block.session}\` is used before it is created (\`enter=${block.session}\` is on line ${enteredAt})`,
          expected: `an earlier command block with \`enter=${block.session}\` whose command becomes that session`,
          example: `\`\`\`sh enter=${block.session}\nunshare --fork --pid --mount-proc bash\n\`\`\``,
        });
      }
      if (block.enter) entered.add(block.enter);
    }
    return problems;
  },
};

/** The variable that holds a session's host PID: upper-cased, `-` and `.` as `_` (as src/exec names it). */
/** Kept under this name for the rule's callers; the mapping itself is the format's (src/format/session-var.ts). */
export const sessionPidVarName = sessionPidVar;

export const sessionEnvCollision: LintRule = {
  code: "session/env-collision",
  severity: "warning",
  description: "two different session names give the same `ROOTLAB_SESSION_<NAME>_PID` variable (`my-box` and `my.box`, `HOST` and `host`)",
  check: ({ lab, lines }) => {
    const owner = new Map<string, { name: string; line: number }>([[sessionPidVarName(DEFAULT_SESSION), { name: DEFAULT_SESSION, line: 0 }]]);
    const reported = new Set<string>();
    const problems: Problem[] = [];
    for (const { block } of blocksInOrder(lab)) {
      for (const [key, name] of [["session", block.session], ["enter", block.enter]] as const) {
        if (name === undefined) continue;
        const variable = sessionPidVarName(name);
        const first = owner.get(variable);
        if (!first) owner.set(variable, { name, line: block.line });
        else if (first.name !== name && !reported.has(name)) {
          reported.add(name);
          const where = first.line === 0 ? "the host session" : `session \`${first.name}\` (line ${first.line})`;
          problems.push({
            line: block.line,
            column: columnOf(lines, block.line, `${key}=${name}`),
            code: "session/env-collision",
            message: `session \`${name}\` and ${where} share the variable $${variable}: the host can find only one of their PIDs`,
            expected: "session names that still differ once upper-cased with `-` and `.` turned into `_`",
            example: `\`\`\`sh enter=${name}2\nunshare --fork --pid --mount-proc bash\n\`\`\``,
          });
        }
      }
    }
    return problems;
  },
};

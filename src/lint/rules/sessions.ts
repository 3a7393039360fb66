// `session=NAME` must name a session some earlier block entered (`enter=NAME`); `host` always exists.
import { DEFAULT_SESSION } from "../../format/types.js";
import type { Problem } from "../../format/diagnostics.js";
import type { LintRule } from "../types.js";
import { blocksInOrder } from "../sites.js";
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

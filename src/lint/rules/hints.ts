// Steps with checks have a hint ladder, or say why not: `<!-- no-hint: the reason -->` inside the step.
import type { Lab, Step } from "../../format/types.js";
import type { LintContext, LintRule } from "../types.js";

export const NO_HINT = /^no-hint\s*:?\s*(.*)$/is;

/** The lines a step spans: from its heading to the line before the next `## ` heading (or the end). */
export function stepRange(lab: Lab, step: Step, lineCount: number): { from: number; to: number } {
  const next = lab.steps[step.index + 1]?.line;
  const ends = [next, lab.cleanupLine].filter((l): l is number => l !== undefined && l > step.line);
  return { from: step.line, to: ends.length > 0 ? Math.min(...ends) - 1 : Math.max(lineCount, step.line) };
}

function noHintReason(ctx: LintContext, step: Step): { line: number; reason: string } | undefined {
  const { from, to } = stepRange(ctx.lab, step, ctx.lines.length || Number.MAX_SAFE_INTEGER);
  for (const c of ctx.comments) {
    if (c.line < from || c.line > to) continue;
    const m = NO_HINT.exec(c.text.trim());
    if (m) return { line: c.line, reason: (m[1] ?? "").trim() };
  }
  return undefined;
}

const HINT_EXAMPLE = "> [!TIP]\n> Which command lists the namespaces? (`ip netns …`)\n\n> [!TIP]\n> `ip netns add rl-red`";

export const hintMissing: LintRule = {
  code: "hint/missing",
  severity: "warning",
  description: "a step with checks has no `> [!TIP]` hint and no `<!-- no-hint: reason -->` comment",
  check: (ctx) =>
    ctx.lab.steps.flatMap((step) => {
      if (step.hints.length > 0 || !step.blocks.some((b) => b.role === "verify")) return [];
      const waiver = noHintReason(ctx, step);
      if (waiver && waiver.reason !== "") return [];
      return [{
        line: waiver?.line ?? step.line,
        code: "hint/missing",
        message: waiver
          ? "this `no-hint` comment gives no reason"
          : `step "${step.title}" has checks but no hint: a student whose check fails is left alone`,
        expected: waiver
          ? "`<!-- no-hint: why a student cannot get this step wrong -->`"
          : "one or more `> [!TIP]` hints (a ladder: a nudge first, then the tool or man page, the command last), or `<!-- no-hint: reason -->` in the step",
        example: waiver ? "<!-- no-hint: the step only runs the commands shown; nothing to get wrong -->" : HINT_EXAMPLE,
      }];
    }),
};

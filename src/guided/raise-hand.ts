// "Raise hand" in a step's menu: tell the instructor this student needs help, with the failing check, its
// expected vs actual and the step's last commands — and show the learner exactly what was sent.
import type { Step } from "../format/types.js";
import type { CheckRun } from "../exec/lab-run.js";
import type { Guided } from "./context.js";
import { checkFailure } from "./render.js";
import type { Choice } from "./prompts.js";

export const RAISE_HAND: Choice<"hand"> = { value: "hand", label: "Raise hand", hint: "the instructor sees this check, expected vs actual, and your last commands" };

const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "").trim();

/** What the learner typed in "I'll type it myself", per run and step; read only by "Raise hand". */
const typedInStep = new WeakMap<Guided, Map<number, string[]>>();
const TYPED_KEPT = 20;

export function rememberTyped(g: Guided, step: Step, lines: string[] | undefined): void {
  if (!g.room || !lines?.length) return;
  const steps = typedInStep.get(g) ?? new Map<number, string[]>();
  steps.set(step.index, [...(steps.get(step.index) ?? []), ...lines].slice(-TYPED_KEPT));
  typedInStep.set(g, steps);
}

export function raiseHand(g: Guided, step: Step, failed: CheckRun | undefined): void {
  if (!g.room) return;
  const typed = typedInStep.get(g)?.get(step.index) ?? [];
  const sent = g.room.raiseHand({
    lab: g.lab.meta.id,
    step: step.index,
    ...(failed ? { check: failed.block.name ?? `check at line ${failed.block.line}`, detail: plain(checkFailure(failed, g.view)) } : {}),
    typed,
  });
  const { chalk } = g.view.style;
  const lines = [chalk.bold("Your hand is raised. The instructor sees:"), `  step ${step.index + 1}: ${step.title}`];
  if (sent.check) lines.push(`  failing check: ${sent.check}`);
  if (sent.detail) lines.push(...sent.detail.split("\n").map((l) => chalk.dim(`  ${l}`)));
  if (sent.commands.length) lines.push("  your last commands:", ...sent.commands.map((c) => chalk.dim(`    ${c.split("\n").join("\n    ")}`)));
  lines.push(chalk.dim("Nothing else was sent. Carry on; the instructor will come by."));
  g.print(lines.join("\n"));
}

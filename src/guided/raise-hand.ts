// "Raise hand" in a step's menu: tell the instructor this student needs help, with the failing check, its
// expected vs actual and the step's last commands — and show the learner exactly what was sent.
import type { Step } from "../format/types.js";
import type { CheckRun } from "../exec/lab-run.js";
import type { Guided } from "./context.js";
import { checkFailure, type FailedCondition, type View } from "./render.js";
import type { Choice } from "./prompts.js";
import { wrapShellCode } from "../term/shell-wrap.js";
import { wrapText } from "../term/wrap.js";

// The hint is kept short: enquirer continues a choice wider than the terminal at column 0, under the menu.
export const RAISE_HAND: Choice<"hand"> = { value: "hand", label: "Raise hand", hint: "the instructor sees why it failed and your last commands" };

const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "").trim();
const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** Most characters of one compared value a hand sends (a `$(cat file)` may be a whole file), and of the whole detail. */
export const HAND_VALUE_CHARS = 300;
export const HAND_DETAIL_CHARS = 2000;
/** The echo indents the detail by this much: it is laid out this much narrower, so no line is broken by the terminal. */
const ECHO_INDENT = "  ";

/**
 * What a raised hand sends of a failed check: what the learner saw under "Why … failed" — the failing line and the
 * values it compared, or expected vs actual, and what the check printed — as plain text, bounded. Pure.
 */
export function handDetail(failed: CheckRun, view: View, shown: FailedCondition): string {
  const values = shown.values?.map((v) => clip(v, HAND_VALUE_CHARS));
  const text = plain(checkFailure(failed, { ...view, width: view.width - ECHO_INDENT.length }, { line: shown.line, values }));
  return clip(text, HAND_DETAIL_CHARS);
}

/** What the learner typed in "I'll type it myself", per run and step; read only by "Raise hand". */
const typedInStep = new WeakMap<Guided, Map<number, string[]>>();
const TYPED_KEPT = 20;

export function rememberTyped(g: Guided, step: Step, lines: string[] | undefined): void {
  if (!g.room || !lines?.length) return;
  const steps = typedInStep.get(g) ?? new Map<number, string[]>();
  steps.set(step.index, [...(steps.get(step.index) ?? []), ...lines].slice(-TYPED_KEPT));
  typedInStep.set(g, steps);
}

export function raiseHand(g: Guided, step: Step, failed: CheckRun | undefined, shown: FailedCondition = {}): void {
  if (!g.room) return;
  const typed = typedInStep.get(g)?.get(step.index) ?? [];
  const sent = g.room.raiseHand({
    lab: g.lab.meta.id,
    step: step.index,
    ...(failed ? { check: failed.block.name ?? `check at line ${failed.block.line}`, detail: handDetail(failed, g.view, shown) } : {}),
    typed,
  });
  const { chalk } = g.view.style;
  const width = g.view.width;
  const words = (text: string, indent = "  ") => wrapText(text, width, { firstIndent: indent, indent: `${indent}  ` });
  const lines = [chalk.bold("Your hand is raised. The instructor sees:"), words(`step ${step.index + 1}: ${step.title}`)];
  if (sent.check) lines.push(words(`failing check: ${sent.check}`));
  // Laid out narrower by the indent (handDetail): a line that still does not fit is wrapped at a word.
  if (sent.detail) lines.push(...sent.detail.split("\n").map((l) => chalk.dim(wrapText(l, width, { firstIndent: ECHO_INDENT, indent: `${ECHO_INDENT}  ` }))));
  if (sent.commands.length) lines.push("  your last commands:", ...sent.commands.map((c) => chalk.dim(wrapShellCode(c, Math.max(20, width - 4)).map((l) => `    ${l}`).join("\n"))));
  lines.push(chalk.dim(wrapText("Nothing else was sent. Carry on; the instructor will come by.", width)));
  g.print(lines.join("\n"));
}

// What every phase of a step asks and answers alike: how the step goes on (Next), the Skip and Quit choices, a
// question asked with the spinner stopped, what an action reported, and what to do once the typed shell ended.
import type { Step } from "../format/types.js";
import { choose, type Choice } from "./prompts.js";
import type { Guided } from "./context.js";
import type { ActionResult } from "./step-actions.js";
import { wrapText } from "../term/wrap.js";

/** How a step goes on after a command or its checks: on, skipped, quit, tried again, or re-created from scratch. */
/** done: TYPED, the commands of the learner's turn when they typed the command (./typed-ahead.ts). */
export type Next = { kind: "done"; typed?: string[] } | { kind: "skip" } | { kind: "quit" } | { kind: "restart" } | { kind: "rebuild" };

export const QUIT: Choice<"quit"> = { value: "quit", label: "Quit", hint: "rootlab cleans up; your progress is kept" };
export const SKIP: Choice<"skip"> = { value: "skip", label: "Skip this step", hint: "rootlab does it for you" };

export async function ask<T extends string>(g: Guided, message: string, choices: Choice<T | "quit">[]): Promise<T | "quit"> {
  g.live.stopSpinner();
  const answer = await choose(message, choices, g.term);
  return answer.kind === "chosen" ? answer.value : "quit";
}

/** Prints what an action reported; true when the flow must stop (interrupted). */
export function report(g: Guided, r: ActionResult): boolean {
  if (r.kind === "failed" || r.kind === "session-ended") g.print(r.text);
  return r.kind === "interrupted";
}

/**
 * The shell the learner typed into ended (`exit`, `set -e`): its namespaces, variables and directory are gone, so
 * the step can only go on from a re-created state. Said in plain words, with what each choice does.
 */
export async function afterSessionEnded(g: Guided, step: Step): Promise<Next> {
  g.print(wrapText(sessionEndedText(step), g.view.width));
  const next = await ask<"rebuild">(g, "The session has ended. What now?", [
    { value: "rebuild", label: "Start this step again", hint: "fresh sessions, from its first command" },
    QUIT,
  ]);
  return { kind: next };
}

/** What ending the typed shell did to the step, and what each choice after it does. Pure. */
export function sessionEndedText(step: Step): string {
  const n = step.index + 1;
  const before = step.index === 0 ? "" : ` re-creates step${step.index > 1 ? `s 1–${step.index}` : " 1"} in fresh sessions (silently, as when you resume) and`;
  return [
    "When the shell rootlab gave you ends (`exit`, Ctrl-D, or a failing command after `set -e`), what the lab had set up in it ends with it: its directory, its variables and, for a container, its namespaces. So this step cannot go on from here.",
    "",
    `Start this step again: rootlab cleans up the lab,${before} starts step ${n} from its first command. Quit: rootlab cleans up; your progress is kept.`,
  ].join("\n");
}

// What follows a command that failed: the step's next hint, then a menu. A command usually fails because of an
// earlier one (netns-veth step 3: the pings fail because `eth0` was left down by command 1), so after a failure
// the command's ladder takes in the hints about the commands before it (HintLadder.commandFailed) — not those
// about later commands, which are unrelated to it.
import type { Choice } from "./prompts.js";
import type { HintLadder } from "./hint-ladder.js";
import type { View } from "./render.js";

export type AfterCommandFailure = "retry" | "type" | "hint" | "skip" | "quit";

/** The hint rootlab shows by itself after command AT (0-based) failed (uncounted), or undefined when none is left. */
export function hintAfterCommandFailure(hints: HintLadder, view: View, at: number): string | undefined {
  hints.commandFailed(at);
  return hints.left(at) > 0 ? hints.next(view, "shown", at) : undefined;
}

/** The menu after command AT failed: "Show a hint (N left for this command)" while it has hints left. Pure but for the ladder's count. */
export function commandFailureChoices(hints: HintLadder, at: number, skip: Choice<"skip">, quit: Choice<"quit">): Choice<AfterCommandFailure>[] {
  const left = hints.left(at);
  return [
    { value: "retry", label: "Try again" },
    { value: "type", label: "I'll type it myself" },
    ...(left > 0 ? [{ value: "hint" as const, label: "Show a hint", hint: hints.label(at) }] : []),
    skip,
    quit,
  ];
}

// What follows a command that failed: the step's next hint, then a menu. A command usually fails because of an
// earlier one (netns-veth step 3: the pings fail because `eth0` was left down by command 1), so after a failure
// the whole ladder counts, as after a failed check — not only the hints about the command that failed.
import type { Choice } from "./prompts.js";
import type { HintLadder } from "./hint-ladder.js";
import type { View } from "./render.js";

export type AfterCommandFailure = "retry" | "type" | "hint" | "skip" | "quit";

/** The hint rootlab shows by itself after a failed command (uncounted), or undefined when none is left. */
export function hintAfterCommandFailure(hints: HintLadder, view: View): string | undefined {
  return hints.left() > 0 ? hints.next(view, "shown") : undefined;
}

/** The menu after a failed command: "Show a hint (N left)" while the step has hints left. Pure but for the ladder's count. */
export function commandFailureChoices(hints: HintLadder, skip: Choice<"skip">, quit: Choice<"quit">): Choice<AfterCommandFailure>[] {
  const left = hints.left();
  return [
    { value: "retry", label: "Try again" },
    { value: "type", label: "I'll type it myself" },
    ...(left > 0 ? [{ value: "hint" as const, label: "Show a hint", hint: `${left} left` }] : []),
    skip,
    quit,
  ];
}

// Why a check can pass before its step (`verify --strict`) without the author seeing it: the check reads the PID
// variable of a session that this step (or a later one) opens, which is still empty before the step — and a test
// such as [ "$(readlink /proc/$ROOTLAB_SESSION_BOX_PID/ns/mnt)" != "$(readlink /proc/self/ns/mnt)" ] passes on
// an empty value. The note names the variable and the guard that makes the check fail there.
import type { Lab } from "../format/types.js";
import { sessionPidVar } from "../format/session-var.js";

/** A note for a check of step STEPINDEX (0-based) that passed before its step, or undefined. */
export function emptySessionVarNote(lab: Lab, stepIndex: number, code: string): string | undefined {
  const openedBefore = new Set(lab.steps.slice(0, stepIndex).flatMap((s) => s.blocks.flatMap((b) => (b.enter ? [b.enter] : []))));
  for (const step of lab.steps.slice(stepIndex)) {
    for (const name of step.blocks.flatMap((b) => (b.enter ? [b.enter] : []))) {
      const variable = sessionPidVar(name);
      if (openedBefore.has(name) || !new RegExp(`\\$\\{?${variable}\\b`).test(code)) continue;
      const where = step.index === stepIndex ? "this step opens" : `step ${step.index + 1} opens`;
      return `$${variable} is empty before ${where} the session \`${name}\`, so a test on it can pass there; test it first: [ -n "$${variable}" ]`;
    }
  }
  return undefined;
}

/** The note as an optional detail option (`{}` when there is none). */
export function noteFor(lab: Lab, stepIndex: number, code: string): { note?: string } {
  const note = emptySessionVarNote(lab, stepIndex, code);
  return note ? { note } : {};
}

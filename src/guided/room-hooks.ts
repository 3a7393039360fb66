// What a guided run offers a workshop room (implemented in src/room/client; guided mode never imports it):
// the engine's events, the learner's own actions the engine does not see, a pace gate before each step, and
// "Raise hand". The room can only hold a step back or hear about it; it never changes what the step does.
import type { Lab, Step } from "../format/types.js";
import type { EventSink } from "../exec/types.js";

/** Exactly what "Raise hand" sends, and nothing else. */
export interface RaisedHand {
  lab: string;
  step: number;
  /** The failing check's name. */
  check?: string;
  /** Its expected vs actual, as the learner saw it (plain text). */
  detail?: string;
  /** The learner's last commands in this step, as typed in "I'll type it myself". */
  typed: string[];
}

export interface GuidedRoom {
  /** Every engine event of the run. */
  observe: EventSink;
  /** A hint or the solution was shown to the learner. */
  note(kind: "hint" | "solution", lab: string, step: number): void;
  /** The instructor's pace gate: resolves when the step may start, at once when the room cannot be reached. */
  waitForStep(lab: Lab, step: Step, say: (text: string) => void, signal: AbortSignal): Promise<void>;
  /** Sends the hand (adding the commands rootlab ran in the step); returns what was sent, for the learner. */
  raiseHand(hand: RaisedHand): { check?: string; detail?: string; commands: string[] };
}

// What every part of a guided run shares: the lab run, the terminal, the printer, and how a step ended.
import type { Lab, Step } from "../format/types.js";
import type { LabRun } from "../exec/lab-run.js";
import type { LiveOutput } from "./live-output.js";
import type { View } from "./render.js";
import type { GuidedRoom } from "./room-hooks.js";

export interface Terminal {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  /** Aborted by SIGINT, SIGTERM or SIGHUP (the terminal closing) at any moment; its reason is the signal's name. */
  signal: AbortSignal;
}

export interface Guided {
  lab: Lab;
  run: LabRun;
  term: Terminal;
  view: View;
  live: LiveOutput;
  /** Writes to the terminal; never throws (the terminal may be gone). */
  print(text: string): void;
  /** The workshop room this run reports to, if any. */
  room?: GuidedRoom;
  /** What each command printed in this step (./between-steps.ts), for the explanation to show beside itself. */
  transcript?: { startBlock(line: number): void; addOutput(line: number, chunk: string): void; markAsExpected(line: number): void };
}

export function printer(out: NodeJS.WriteStream): (text: string) => void {
  return (text) => {
    try {
      out.write(`${text}\n`);
    } catch {
      // The terminal closed; the SIGHUP handler is cleaning up.
    }
  };
}

/** hintsUsed: hints the learner asked for during this run (added to the step's saved count); hintsSeen: every
 * hint of the step seen so far, asked for or shown after a failure (where the ladder goes on after a resume). */
export type StepHints = { hintsUsed: number; hintsSeen: number[] };
export type StepEnd =
  | ({ kind: "passed" } & StepHints)
  | ({ kind: "skipped"; problem?: string } & StepHints)
  | ({ kind: "quit" } & StepHints)
  /** A session of the step ended (the learner typed `exit`): start the step again on fresh sessions. */
  | ({ kind: "rebuild" } & StepHints);

export function commandBlocks(step: Step) {
  return step.blocks.filter((b) => b.role === "command");
}

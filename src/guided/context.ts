// What every part of a guided run shares: the lab run, the terminal, and the learner's hint count for a step.
import type { Hint, Lab, Step } from "../format/types.js";
import type { LabRun } from "../exec/lab-run.js";
import type { LiveOutput } from "./live-output.js";
import { hintView, noMoreHints, type View } from "./render.js";

export interface Terminal {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  /** Aborted on Ctrl-C outside a prompt, SIGTERM, or the terminal closing (SIGHUP). */
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

/** The step's hint ladder: each call shows the next hint (nudge → command → answer) and counts it. */
export class HintLadder {
  private shown = 0;
  constructor(private readonly hints: Hint[]) {}

  get used(): number {
    return this.shown;
  }

  get remaining(): number {
    return this.hints.length - this.shown;
  }

  /** The next hint as text, or a note that there are no more. */
  next(view: View): string {
    const hint = this.hints[this.shown];
    if (!hint) return noMoreHints(this.hints.length, view);
    this.shown++;
    return hintView(hint, this.shown, this.hints.length, view);
  }
}

export type StepEnd =
  | { kind: "passed"; hintsUsed: number }
  | { kind: "skipped"; hintsUsed: number; problem?: string }
  | { kind: "quit"; hintsUsed: number };

export function commandBlocks(step: Step) {
  return step.blocks.filter((b) => b.role === "command");
}

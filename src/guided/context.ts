// What every part of a guided run shares: the lab run, the terminal, and the learner's hint count for a step.
import type { Hint, Lab, Step } from "../format/types.js";
import type { LabRun } from "../exec/lab-run.js";
import type { LiveOutput } from "./live-output.js";
import { hintView, noMoreHints, type View } from "./render.js";
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

/**
 * The step's hint ladder: each call shows the next hint (nudge → command → answer) and counts it. A resumed
 * step continues where the learner left it (`alreadyShown` hints seen in an earlier, unfinished attempt).
 */
export class HintLadder {
  private shown: number;
  private readonly before: number;
  constructor(
    private readonly hints: Hint[],
    alreadyShown = 0,
    /** Told each time a hint is shown (the workshop room counts them). */
    private readonly onShown?: () => void,
  ) {
    this.before = Math.max(0, Math.min(alreadyShown, hints.length));
    this.shown = this.before;
  }

  /** Hints of this step the learner has seen, counting an earlier attempt's. */
  get used(): number {
    return this.shown;
  }

  /** Hints shown in this run only (what progress adds up). */
  get added(): number {
    return this.shown - this.before;
  }

  get remaining(): number {
    return this.hints.length - this.shown;
  }

  /** The next hint as text, or a note that there are no more. */
  next(view: View): string {
    const hint = this.hints[this.shown];
    if (!hint) return noMoreHints(this.hints.length, view);
    this.shown++;
    this.onShown?.();
    return hintView(hint, this.shown, this.hints.length, view);
  }
}

/** hintsUsed: hints shown during this run (added to the step's saved count). */
export type StepEnd =
  | { kind: "passed"; hintsUsed: number }
  | { kind: "skipped"; hintsUsed: number; problem?: string }
  | { kind: "quit"; hintsUsed: number };

export function commandBlocks(step: Step) {
  return step.blocks.filter((b) => b.role === "command");
}

// The guided mode's view of the runner's events: block output streamed to the terminal as it arrives, a
// spinner only while a block has printed nothing yet, and silence while earlier steps are replayed.
import type { RunEvent } from "../exec/types.js";
import type { Style } from "../term/style.js";
import { wrapText } from "../term/wrap.js";
import { guardStatusLine } from "../host/net-guard.js";

export interface LiveOutput {
  /** The EventSink to give LabRun. */
  sink: (event: RunEvent) => void;
  /** Quiet: output is collected (for an error report) but not shown; used for replay, skip and setup. */
  setQuiet(quiet: boolean): void;
  /** Output collected while quiet since the last call (for explaining a failed replay). */
  takeQuietOutput(): string;
  /** Stops the spinner, e.g. before a prompt. */
  stopSpinner(): void;
  /** Output is being collected, not shown. */
  quiet(): boolean;
}

const SPINNER_INTERVAL_MS = 100;

export function createLiveOutput(out: NodeJS.WriteStream, style: Style): LiveOutput {
  let quiet = false;
  let collected = "";
  let timer: ReturnType<typeof setInterval> | undefined;
  let frame = 0;
  let spinning = false;
  let endsWithNewline = true;

  const write = (s: string) => {
    try {
      out.write(s);
    } catch {
      // Terminal gone (SIGHUP): the interrupt handler is already cleaning up.
    }
  };
  const stopSpinner = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
    if (spinning) write("\r\x1b[2K");
    spinning = false;
  };
  const startSpinner = () => {
    if (!style.interactive || quiet) return;
    stopSpinner();
    const frames = style.sym.spinnerFrames;
    spinning = true;
    const draw = () => write(`\r${style.chalk.dim(`${frames[frame++ % frames.length]} running${style.sym.ellipsis}`)}`);
    draw();
    timer = setInterval(draw, SPINNER_INTERVAL_MS);
    timer.unref();
  };

  const sink = (event: RunEvent) => {
    switch (event.type) {
      case "block-start":
        endsWithNewline = true;
        startSpinner();
        break;
      case "output": {
        if (quiet) {
          collected += event.chunk;
          break;
        }
        stopSpinner();
        const text = event.stream === "stderr" ? style.chalk.yellow(event.chunk) : event.chunk;
        write(text);
        endsWithNewline = event.chunk.endsWith("\n");
        break;
      }
      case "block-end":
        stopSpinner();
        if (!quiet && !endsWithNewline) write("\n");
        endsWithNewline = true;
        break;
      case "net-guard":
        // Said even while quiet: the learner should know a slip is not kept on the machine.
        if (event.guard.state === "off") write(`${style.chalk.yellow(wrapText(`${style.sym.warn} ${guardStatusLine(event.guard)}`, out.columns || 80))}\n`);
        break;
      case "fixture":
        if (event.status !== "cached") write(`${style.chalk.dim(`${style.sym.bullet} prepared ${event.name} (${event.status})`)}\n`);
        break;
      default:
        break;
    }
  };

  return {
    sink,
    setQuiet(q) {
      quiet = q;
      if (q) stopSpinner();
    },
    takeQuietOutput() {
      const s = collected;
      collected = "";
      return s;
    },
    stopSpinner,
    quiet: () => quiet,
  };
}

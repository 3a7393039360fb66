// The one block a session's shell is running: what it wrote so far (capped), its timers, and how it settles.
// Owned by ./session-shell.ts, watched by ./block-watchdog.ts.
import { statusMarker } from "./block-script.js";
import { StatusScanner } from "./status-line.js";
import type { BlockOutput } from "./block-output.js";
import type { BlockOutputText, ExecuteOptions, ShellOutcome } from "./shell-outcome.js";

/**
 * A block's output kept per stream (characters). Far above what a lab prints; a shell stuck printing the same
 * error forever would otherwise fill rootlab's memory before the timeout.
 */
const OUTPUT_LIMIT = 128 * 1024 * 1024;

export class RunningBlock {
  readonly scanner: StatusScanner;
  /** The status line's marker (`<marker> <status> …`). */
  readonly marker: string;
  stdout = "";
  stderr = "";
  timedOut = false;
  /** Seen stopped (SIGSTOP) while it ran: a timeout then continues the shell. */
  stopped = false;
  /** Timers that end with the block (timeout, watch rounds). */
  readonly timers: NodeJS.Timeout[] = [];
  private settled = false;
  private readonly settleListeners: (() => void)[] = [];
  /** Called with the block's stderr each time it grows past another MiB (a shell stuck complaining forever). */
  onStderrMiB: ((stderr: string) => void) | undefined;

  /**
   * @param output the block's FIFOs; undefined for a raw block (rootlab's own commands on the shell's
   *   stdin/stdout: its stdout is what the shell printed before the status line)
   */
  constructor(
    nonce: string,
    readonly output: BlockOutput | undefined,
    readonly opts: ExecuteOptions,
    private readonly resolve: (outcome: ShellOutcome) => void,
  ) {
    this.marker = statusMarker(nonce);
    this.scanner = new StatusScanner(this.marker);
    output?.onOutput((stream, text) => this.emit(stream === "stdout" ? { stdout: text, stderr: "" } : { stdout: "", stderr: text }));
  }

  get isSettled(): boolean {
    return this.settled;
  }

  /** Ends the block with `outcome` (once): its timers stop and the caller of execute() gets it. */
  settle(outcome: ShellOutcome): void {
    if (this.settled) return;
    this.settled = true;
    for (const t of this.timers) clearTimeout(t);
    for (const listener of this.settleListeners.splice(0)) listener();
    this.resolve(outcome);
  }

  /** Runs `listener` when the block settles (e.g. to remove an abort listener). */
  whenSettled(listener: () => void): void {
    if (this.settled) listener();
    else this.settleListeners.push(listener);
  }

  /** Adds output to the block's (up to OUTPUT_LIMIT per stream) and passes it on live. */
  emit(chunk: { stdout: string; stderr: string }): void {
    for (const stream of ["stdout", "stderr"] as const) {
      let text = chunk[stream];
      if (!text) continue;
      const room = OUTPUT_LIMIT - this[stream].length;
      if (room <= 0) continue;
      if (text.length > room) text = `${text.slice(0, room)}\n[rootlab: more output was dropped: a block keeps at most ${OUTPUT_LIMIT / 1024 / 1024} MiB per stream]\n`;
      const before = this[stream].length;
      this[stream] += text;
      if (stream === "stderr" && before >> 20 !== this.stderr.length >> 20) this.onStderrMiB?.(this.stderr);
      try {
        this.opts.onOutput?.(stream, text);
      } catch {
        // A failing listener must not break the protocol; the output is still in the result.
      }
    }
  }

  /** Everything the block wrote; its FIFOs are handed to late readers. */
  collect(): BlockOutputText {
    if (!this.output) return { stdout: this.scanner.result?.before ?? this.scanner.pending(), stderr: "" };
    const rest = this.output.finish();
    this.emit(rest);
    return { stdout: this.stdout, stderr: this.stderr, ...(rest.line !== undefined ? { line: rest.line } : {}) };
  }
}

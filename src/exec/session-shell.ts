// One long-lived shell on a pseudo-terminal of its own (./pty.ts): writes a block's text to it, waits for the
// block's status line on the terminal (the block's own output goes to FIFOs of its own, ./block-channel.ts), and
// notices timeouts and the shell's end on the way. The end is an event, never a poll: the exit of the process
// rootlab started on the terminal (the shell itself, or the command that became it: nsenter, unshare, nspawn …).
// While the learner types into the shell (./typed-shell.ts), what the terminal prints goes to them instead.
// Knows nothing about other sessions: what to kill on a timeout is decided by the caller through `killBlock`.
import { StatusScanner, statusMarker } from "./block-script.js";
import type { BlockChannel } from "./block-channel.js";
import type { BlockOutput } from "./block-output.js";
import type { PtyProcess } from "./pty.js";
import { isRunning, type ProcId } from "./proc-tree.js";

export interface Ending {
  status: number | null;
  signal: NodeJS.Signals | null;
  /** Whether a block was running when it ended. */
  duringBlock: boolean;
  /** Whether `set -e` was on (a failing command then ends the shell). */
  errexit: boolean;
}

interface Output {
  stdout: string;
  stderr: string;
  /** Offset of the failing command's line in the block, when it stopped at one. */
  line?: number;
}

export type ShellOutcome =
  | ({ kind: "done"; status: number } & Output)
  | ({ kind: "timeout"; survived: boolean; status: number | null } & Output)
  | ({ kind: "died"; ending: Ending } & Output);

export interface ExecuteOptions {
  timeoutMs: number;
  onOutput?: (stream: "stdout" | "stderr", chunk: string) => void;
  /** Kills the block's processes (not the shell); called repeatedly after the timeout until the block ends. */
  killBlock: () => void;
  /** Aborting ends the block the way a timeout does (Ctrl-C on the runner). */
  signal?: AbortSignal;
}

/** After the timeout, how long the block's processes are killed again and again before the shell itself goes. */
const GRACE_AFTER_KILL_MS = 1000;
/** What the shell printed outside blocks is kept, up to this much, to explain an early end. */
const NOISE_LIMIT = 4096;

interface Active {
  scanner: StatusScanner;
  /** The block's FIFOs; undefined for a raw block (rootlab's own commands on the shell's stdin/stdout). */
  output: BlockOutput | undefined;
  stdout: string;
  stderr: string;
  opts: ExecuteOptions;
  timedOut: boolean;
  settle(outcome: ShellOutcome): void;
}

export class SessionShell {
  ended: Ending | undefined;
  /** Called once when the shell is found gone. */
  onEnded: ((ending: Ending) => void) | undefined;
  /** Where blocks write their output; set once the shell's pid is known. */
  channel: BlockChannel | undefined;
  private active: Active | undefined;
  private errexit = false;
  private noise = "";
  /** While the learner types: where the terminal's output goes. */
  private tap: ((text: string) => void) | undefined;
  private readonly endWaiters: (() => void)[] = [];

  /**
   * @param tty the process rootlab started on the session's terminal (its exit is the session's end)
   * @param pid host pid of the shell, when known (entered sessions learn it after the handshake)
   */
  constructor(
    readonly name: string,
    readonly tty: PtyProcess,
    public pid: ProcId | undefined,
  ) {
    tty.onData((chunk) => this.onData(chunk));
    tty.onExit(({ status, signal }) => this.markEnded(status, signal));
  }

  /** Resolves when the shell's end is reported (see markEnded). */
  whenEnded(): Promise<void> {
    if (this.ended) return Promise.resolve();
    return new Promise((resolve) => this.endWaiters.push(resolve));
  }

  alive(): boolean {
    return !this.ended;
  }

  /**
   * Sends `text` (a block script whose status line carries `nonce`) and waits for the block to end. `output`:
   * the block's files (from this shell's channel); without it the block is raw and its stdout is what the shell
   * printed before the status line.
   */
  execute(text: string, nonce: string, opts: ExecuteOptions, output?: BlockOutput): Promise<ShellOutcome> {
    if (!this.alive() || this.active) {
      output?.finish();
      const ending = this.ended ?? { status: null, signal: null, duringBlock: false, errexit: false };
      return Promise.resolve({ kind: "died", ending, stdout: "", stderr: "" });
    }
    return new Promise<ShellOutcome>((resolve) => {
      const timers: NodeJS.Timeout[] = [];
      const onAbort = () => this.onTimeout(active, timers);
      const active: Active = {
        scanner: new StatusScanner(statusMarker(nonce)),
        output,
        stdout: "",
        stderr: "",
        opts,
        timedOut: false,
        settle: (outcome) => {
          if (this.active !== active) return;
          this.active = undefined;
          for (const t of timers) clearTimeout(t);
          opts.signal?.removeEventListener("abort", onAbort);
          resolve(outcome);
        },
      };
      this.active = active;
      output?.onOutput((stream, text) => this.emit(active, stream === "stdout" ? { stdout: text, stderr: "" } : { stdout: "", stderr: text }));
      this.tty.write(text);
      timers.push(setTimeout(() => this.onTimeout(active, timers), opts.timeoutMs));
      if (opts.signal) {
        if (opts.signal.aborted) onAbort();
        else opts.signal.addEventListener("abort", onAbort, { once: true });
      }
    });
  }

  /** The shell ended (its process closed, or its launcher reported the exit). Settles the block in flight. */
  markEnded(status: number | null, signal: NodeJS.Signals | null): void {
    if (this.ended) return;
    const active = this.active;
    this.ended = { status, signal, duringBlock: active !== undefined, errexit: this.errexit };
    for (const wake of this.endWaiters.splice(0)) wake();
    try {
      this.onEnded?.(this.ended);
    } catch {
      // a listener's failure must not keep the block from settling
    }
    if (!active) return;
    const out = this.collect(active);
    if (active.timedOut) active.settle({ kind: "timeout", survived: false, status: null, ...out });
    else active.settle({ kind: "died", ending: this.ended, ...out });
  }

  /** What the terminal showed outside blocks lately (e.g. why an entered command failed), \r\n as \n. */
  takeNoise(): string {
    const noise = this.noise.replace(/\r\n/g, "\n");
    this.noise = "";
    return noise;
  }

  /** Sends what the terminal prints to `listener` (the learner's screen) until called with undefined. */
  setTap(listener: ((text: string) => void) | undefined): void {
    this.tap = listener;
  }

  /** Writes to the terminal as if typed (the learner's keys). */
  type(text: string): void {
    this.tty.write(text);
  }

  private onData(chunk: string): void {
    const active = this.active;
    if (active) {
      active.scanner.push(chunk);
      // Output that is ready in the same turn of the event loop goes first, in its order; finish() drains the rest.
      if (active.scanner.result) setImmediate(() => this.finish(active));
    } else if (this.tap) {
      this.tap(chunk);
    } else {
      this.noise = (this.noise + chunk).slice(-NOISE_LIMIT);
    }
  }

  private emit(active: Active, chunk: { stdout: string; stderr: string }): void {
    for (const stream of ["stdout", "stderr"] as const) {
      const text = chunk[stream];
      if (!text) continue;
      active[stream] += text;
      try {
        active.opts.onOutput?.(stream, text);
      } catch {
        // A failing listener must not break the protocol; the output is still in the result.
      }
    }
  }

  /** Everything the block wrote; its FIFOs are handed to late readers. */
  private collect(active: Active): Output {
    if (!active.output) return { stdout: active.scanner.result?.before ?? active.scanner.pending(), stderr: "" };
    const rest = active.output.finish();
    this.emit(active, rest);
    return { stdout: active.stdout, stderr: active.stderr, ...(rest.line !== undefined ? { line: rest.line } : {}) };
  }

  private finish(active: Active): void {
    const result = active.scanner.result;
    if (!result || this.active !== active) return;
    this.errexit = result.flags.includes("e");
    const out = this.collect(active);
    const line = out.line ?? result.line;
    const full = { ...out, ...(line !== undefined ? { line } : {}) };
    // A failing redirection of the block itself (the session cannot open its FIFOs) is said on the shell's stderr.
    if (result.status !== 0 && active.output && !full.stdout && !full.stderr) full.stderr = this.takeNoise();
    if (active.timedOut) active.settle({ kind: "timeout", survived: true, status: result.status, ...full });
    else active.settle({ kind: "done", status: result.status, ...full });
    // What follows the status line (a prompt after a hand-over) belongs to whoever listens now.
    const after = active.scanner.leftover;
    if (after && this.tap) this.tap(after);
    else if (after) this.noise = after.slice(-NOISE_LIMIT);
  }

  private onTimeout(active: Active, timers: NodeJS.Timeout[]): void {
    if (active.timedOut || this.active !== active) return;
    active.timedOut = true;
    const deadline = Date.now() + GRACE_AFTER_KILL_MS;
    const round = (): void => {
      if (this.active !== active || this.ended) return;
      if (Date.now() < deadline) {
        active.opts.killBlock();
        timers.push(setTimeout(round, 100));
        return;
      }
      // The shell itself is busy (a builtin loop) or stuck: it has to go; its end settles the block (what rootlab
      // started on the terminal exits after it: nsenter, unshare and nspawn wait for their child).
      this.kill();
    };
    round();
  }

  /** SIGKILL the process group of what rootlab started on the terminal; catches stragglers. */
  killGroup(): void {
    try {
      process.kill(-this.tty.pid, "SIGKILL");
    } catch {
      // the group is empty
    }
  }

  /** SIGKILL the shell process itself (and what carries it, so its end is reported). */
  kill(): void {
    for (const pid of [this.pid && isRunning(this.pid) ? this.pid.pid : undefined, this.tty.pid]) {
      try {
        if (pid) process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  }
}

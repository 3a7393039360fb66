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
import { fdTarget, isRunning, readProc, waitsOnTerminal, type ProcId } from "./proc-tree.js";
import { brokenBy, isRestoreLoop, LOST_TERMINAL, NO_OUTPUT_FILES, SKIPPED_END } from "./protocol-breaks.js";

export interface Ending {
  status: number | null;
  signal: NodeJS.Signals | null;
  /** Whether a block was running when it ended. */
  duringBlock: boolean;
  /** Whether `set -e` was on (a failing command then ends the shell). */
  errexit: boolean;
  /** rootlab ended the shell because the block broke what the protocol needs: what the block did, in words. */
  broken?: string;
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
/**
 * A block's output kept per stream (characters). Far above what a lab prints; a shell stuck printing the same
 * error forever would otherwise fill rootlab's memory before the timeout.
 */
const OUTPUT_LIMIT = 128 * 1024 * 1024;
/**
 * How often a running block checks that its shell is not back at waiting for commands without having reported
 * the block's end (see watch()). Twice in a row means it is.
 */
const WATCH_MS = 1000;

interface Active {
  scanner: StatusScanner;
  marker: string;
  /** The block's FIFOs; undefined for a raw block (rootlab's own commands on the shell's stdin/stdout). */
  output: BlockOutput | undefined;
  stdout: string;
  stderr: string;
  opts: ExecuteOptions;
  timedOut: boolean;
  /** Seen stopped (SIGSTOP) while it ran: a timeout then continues the shell. */
  stopped: boolean;
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
  /** What the shell's fd 0 is open on while it waits for commands (its terminal), learnt at the first block. */
  private terminal: string | undefined;
  /** Set when rootlab kills the shell because a block broke the protocol (said in its Ending). */
  private broken: string | undefined;

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
        marker: statusMarker(nonce),
        output,
        stdout: "",
        stderr: "",
        opts,
        timedOut: false,
        stopped: false,
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
      // Before the block is sent: until then the shell waits on its terminal, after it fd 0 is the block's stdin.
      if (output && this.pid) this.terminal ??= fdTarget(this.pid.pid, 0);
      this.tty.write(text);
      timers.push(setTimeout(() => this.onTimeout(active, timers), opts.timeoutMs));
      if (output && this.pid) timers.push(setTimeout(() => this.watch(active, timers, false), WATCH_MS));
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
    const out = active ? this.collect(active) : undefined;
    // The status line in the block's own stdout: the shell could not put its terminal back after the block.
    if (active && out?.stdout.includes(`${active.marker} `)) {
      out.stdout = out.stdout.slice(0, out.stdout.indexOf(`${active.marker} `));
      this.broken ??= LOST_TERMINAL;
    }
    this.ended = { status, signal, duringBlock: active !== undefined, errexit: this.errexit, ...(this.broken ? { broken: this.broken } : {}) };
    for (const wake of this.endWaiters.splice(0)) wake();
    try {
      this.onEnded?.(this.ended);
    } catch {
      // a listener's failure must not keep the block from settling
    }
    if (!active || !out) return;
    if (active.timedOut && !this.broken) active.settle({ kind: "timeout", survived: false, status: null, ...out });
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
      let text = chunk[stream];
      if (!text) continue;
      const room = OUTPUT_LIMIT - active[stream].length;
      if (room <= 0) continue;
      if (text.length > room) text = `${text.slice(0, room)}\n[rootlab: more output was dropped: a block keeps at most ${OUTPUT_LIMIT / 1024 / 1024} MiB per stream]\n`;
      const before = active[stream].length;
      active[stream] += text;
      if (stream === "stderr" && before >> 20 !== active[stream].length >> 20) this.checkRestoreLoop(active);
      try {
        active.opts.onOutput?.(stream, text);
      } catch {
        // A failing listener must not break the protocol; the output is still in the result.
      }
    }
  }

  /**
   * busybox ash that cannot put back a fd it saved (the block closed it: `exec 10>&-`) complains about it forever,
   * to the block's stderr: the session is lost, and waiting for the timeout would only pile up megabytes.
   */
  private checkRestoreLoop(active: Active): void {
    if (this.broken || !isRestoreLoop(active.stderr)) return;
    this.broken = LOST_TERMINAL;
    this.kill();
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
    const broken = brokenBy(result);
    if (broken) {
      // A block disabled what runs blocks: every later block would fail for a reason that is not its own.
      this.broken = broken;
      this.kill(); // its end settles the block, with the reason
      return;
    }
    const out = this.collect(active);
    const line = out.line ?? result.line;
    const full = { ...out, ...(line !== undefined ? { line } : {}) };
    // A failing redirection of the block itself (the session cannot open its FIFOs) is said on the shell's stderr.
    if (result.status !== 0 && active.output && !full.stdout && !full.stderr && result.before.trim()) {
      full.stderr = `${result.before.replace(/^\n+/, "")}rootlab: ${NO_OUTPUT_FILES}\n`;
    }
    if (active.timedOut) active.settle({ kind: "timeout", survived: true, status: result.status, ...full });
    else active.settle({ kind: "done", status: result.status, ...full });
    // What follows the status line (a prompt after a hand-over) belongs to whoever listens now.
    const after = active.scanner.leftover;
    if (after && this.tap) this.tap(after);
    else if (after) this.noise = after.slice(-NOISE_LIMIT);
  }

  /**
   * A block whose status line does not come while its shell waits for commands again broke the protocol: a
   * function named `command`, a DEBUG trap under extdebug, a readonly variable … made the shell skip the line that
   * reports the end. Nothing else tells: the shell prints nothing, so rootlab looks at it, once a second.
   */
  private watch(active: Active, timers: NodeJS.Timeout[], seenOnce: boolean): void {
    if (this.active !== active || this.ended || !this.pid || !this.terminal) return;
    if (readProc(this.pid.pid)?.state === "T") active.stopped = true;
    const waits = waitsOnTerminal(this.pid.pid, this.terminal);
    if (waits && seenOnce) {
      this.broken = SKIPPED_END;
      this.kill();
      return;
    }
    timers.push(setTimeout(() => this.watch(active, timers, waits), WATCH_MS));
  }

  private onTimeout(active: Active, timers: NodeJS.Timeout[]): void {
    if (active.timedOut || this.active !== active) return;
    active.timedOut = true;
    const deadline = Date.now() + GRACE_AFTER_KILL_MS;
    const round = (): void => {
      if (this.active !== active || this.ended) return;
      if (Date.now() < deadline) {
        active.opts.killBlock();
        // A shell that stopped itself (kill -STOP $$) waits for a SIGCONT nobody else will send.
        if (this.pid && (active.stopped || readProc(this.pid.pid)?.state === "T")) {
          active.stopped = true;
          process.kill(this.pid.pid, "SIGCONT");
        }
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


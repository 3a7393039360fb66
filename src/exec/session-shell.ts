// One long-lived shell: writes a block's text to it, waits for the block's status line on the shell's stdout
// (the block's own output goes to FIFOs of its own, ./block-channel.ts), and notices timeouts and the shell's end on
// the way. The end is an event, never a poll: the host shell's `close`, or for an entered session the exit
// record its launcher writes when the command returns (./enter.ts). Knows nothing about other sessions: what
// to kill on a timeout is decided by the caller (sessions.ts) through `killBlock`.
import type { ChildProcess } from "node:child_process";
import type { Readable } from "node:stream";
import { StatusScanner, statusMarker } from "./block-script.js";
import type { BlockChannel, BlockOutput } from "./block-channel.js";
import { isRunning, type ProcId } from "./proc-tree.js";

/** How rootlab talks to a shell: pipes for the host session, FIFOs for entered ones. */
export interface ShellIo {
  write(text: string): void;
  stdout: Readable;
  stderr: Readable;
  /** Closes rootlab's end of the shell's input, so it reads EOF. */
  closeInput(): void;
  /** Closes everything rootlab holds. */
  destroy(): void;
}

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
  private noise = { stdout: "", stderr: "" };
  private readonly exitSeen: { stdout?: number; stderr?: number } = {};
  private readonly partial = { stdout: "", stderr: "" };
  private readonly endWaiters: (() => void)[] = [];

  /**
   * @param pid host pid of the shell, when known (entered sessions learn it after the handshake)
   * @param child the ChildProcess when rootlab spawned the shell itself (its `close` is the end)
   * @param exitMarker for entered sessions: the marker of the exit record the launcher writes on both streams
   */
  constructor(
    readonly name: string,
    readonly io: ShellIo,
    public pid: ProcId | undefined,
    private readonly child?: ChildProcess,
    private readonly exitMarker?: string,
  ) {
    for (const stream of ["stdout", "stderr"] as const) {
      io[stream].setEncoding("utf8");
      io[stream].on("data", (chunk: string) => this.onData(stream, chunk));
      io[stream].on("error", () => undefined);
    }
    child?.on("close", (status, signal) => this.markEnded(status, signal));
  }

  /** Resolves when the shell's end is reported (see markEnded). */
  whenEnded(): Promise<void> {
    if (this.ended) return Promise.resolve();
    return new Promise((resolve) => this.endWaiters.push(resolve));
  }

  alive(): boolean {
    if (this.ended) return false;
    if (!this.child && this.pid && !isRunning(this.pid)) this.markEnded(null, null);
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
      this.noise.stderr = "";
      output?.onOutput((stream, text) => this.emit(active, stream === "stdout" ? { stdout: text, stderr: "" } : { stdout: "", stderr: text }));
      // The FIFOs' reads start with the next turn of the event loop; the block goes after, so the first thing it
      // writes is seen in order too.
      if (output) setImmediate(() => this.active === active && this.io.write(text));
      else this.io.write(text);
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

  /** What the shell printed outside blocks lately (e.g. why an entered command failed). */
  takeNoise(): { stdout: string; stderr: string } {
    const noise = this.noise;
    this.noise = { stdout: "", stderr: "" };
    return noise;
  }

  private onData(stream: "stdout" | "stderr", chunk: string): void {
    const text = this.exitMarker ? this.scanExit(stream, chunk) : chunk;
    const active = this.active;
    if (active && stream === "stdout") {
      active.scanner.push(text);
      // Output that is ready in the same turn of the event loop goes first, in its order; finish() drains the rest.
      if (active.scanner.result) setImmediate(() => this.finish(active));
    } else if (active && !active.output) {
      active.stderr += text;
    } else {
      this.noise[stream] = (this.noise[stream] + text).slice(-NOISE_LIMIT);
    }
    if (this.exitSeen.stdout !== undefined && this.exitSeen.stderr !== undefined) this.markEnded(this.exitSeen.stdout, null);
  }

  /** Takes the launcher's exit record (`<marker> <status>`) out of an entered session's stream. */
  private scanExit(stream: "stdout" | "stderr", chunk: string): string {
    const marker = `${this.exitMarker} `;
    const text = this.partial[stream] + chunk;
    this.partial[stream] = "";
    const at = text.indexOf(marker);
    if (at >= 0) {
      const nl = text.indexOf("\n", at);
      if (nl < 0) {
        this.partial[stream] = text.slice(at);
        return text.slice(0, at);
      }
      this.exitSeen[stream] = Number(text.slice(at + marker.length, nl));
      return text.slice(0, at) + text.slice(nl + 1);
    }
    // Hold back what could be the start of the marker until the next chunk decides.
    for (let k = Math.min(text.length, marker.length - 1); k > 0; k--) {
      if (marker.startsWith(text.slice(text.length - k))) {
        this.partial[stream] = text.slice(text.length - k);
        return text.slice(0, text.length - k);
      }
    }
    return text;
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
    if (!active.output) return { stdout: active.scanner.result?.before ?? active.scanner.pending(), stderr: active.stderr };
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
    if (result.status !== 0 && active.output && !full.stdout && !full.stderr) full.stderr = this.takeNoise().stderr;
    if (active.timedOut) active.settle({ kind: "timeout", survived: true, status: result.status, ...full });
    else active.settle({ kind: "done", status: result.status, ...full });
    if (active.scanner.leftover) this.noise.stdout = active.scanner.leftover.slice(-NOISE_LIMIT);
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
      // The shell itself is busy (a builtin loop) or stuck: it has to go; its end settles the block. An entered
      // shell whose launcher is gone too has no one left to report its end: look for it after the kill.
      this.kill();
      const gone = (): void => {
        if (this.active === active && this.alive()) timers.push(setTimeout(gone, 200));
      };
      if (!this.child) timers.push(setTimeout(gone, 200));
    };
    round();
  }

  /** SIGKILL the process group of a shell rootlab spawned (it is its group's leader); catches stragglers. */
  killGroup(): void {
    try {
      if (this.child?.pid) process.kill(-this.child.pid, "SIGKILL");
    } catch {
      // the group is empty
    }
  }

  /** SIGKILL the shell process itself. */
  kill(): void {
    try {
      if (this.child?.pid) process.kill(this.child.pid, "SIGKILL");
      else if (this.pid && isRunning(this.pid)) process.kill(this.pid.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

// One long-lived shell: writes a block's text to it and reads its stdout/stderr until both sentinels arrive,
// noticing timeouts and the shell's death on the way. Knows nothing about other sessions: what to kill on a
// timeout is decided by the caller (sessions.ts) through `killBlock`.
import type { ChildProcess } from "node:child_process";
import type { Readable } from "node:stream";
import { SentinelScanner, sentinelMarker } from "./block-script.js";
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
}

export type ShellOutcome =
  | { kind: "done"; status: number; stdout: string; stderr: string; records: Map<string, string> }
  | { kind: "timeout"; survived: boolean; status: number | null; stdout: string; stderr: string; records: Map<string, string> }
  | { kind: "died"; ending: Ending; stdout: string; stderr: string; records: Map<string, string> };

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
const POLL_MS = 50;
/** Output a dead shell wrote is already in the pipe; give the event loop a moment to read it. */
const DRAIN_MS = 30;
/** Output that arrives between blocks (background jobs) is kept for the next block, up to this much. */
const CARRY_LIMIT = 1 << 20;

interface Active {
  out: SentinelScanner;
  err: SentinelScanner;
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
  private active: Active | undefined;
  private carry = { stdout: "", stderr: "" };

  /**
   * @param pid host pid of the shell, when known (entered sessions learn it after the handshake)
   * @param child the ChildProcess when rootlab spawned the shell itself (its exit is an event, not a poll)
   */
  constructor(
    readonly name: string,
    readonly io: ShellIo,
    public pid: ProcId | undefined,
    private readonly child?: ChildProcess,
  ) {
    for (const stream of ["stdout", "stderr"] as const) {
      io[stream].setEncoding("utf8");
      io[stream].on("data", (chunk: string) => this.onData(stream, chunk));
      io[stream].on("error", () => undefined);
    }
    child?.on("exit", (status, signal) => this.markEnded(status, signal));
  }

  alive(): boolean {
    if (this.ended) return false;
    if (!this.child && this.pid && !isRunning(this.pid)) this.markEnded(null, null);
    return !this.ended;
  }

  /** Sends `text` (a block script with sentinels for `nonce`) and waits for the block to end. */
  execute(text: string, nonce: string, opts: ExecuteOptions): Promise<ShellOutcome> {
    if (!this.alive() || this.active) {
      const ending = this.ended ?? { status: null, signal: null, duringBlock: false };
      return Promise.resolve({ kind: "died", ending, stdout: "", stderr: "", records: new Map() });
    }
    return new Promise<ShellOutcome>((resolve) => {
      const marker = sentinelMarker(nonce);
      const timers: NodeJS.Timeout[] = [];
      const onAbort = () => this.onTimeout(active, timers);
      const active: Active = {
        out: new SentinelScanner(marker),
        err: new SentinelScanner(marker),
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
      const carried = this.carry;
      this.carry = { stdout: "", stderr: "" };
      if (carried.stdout) this.onData("stdout", carried.stdout);
      if (carried.stderr) this.onData("stderr", carried.stderr);
      this.io.write(text);
      timers.push(setTimeout(() => this.onTimeout(active, timers), opts.timeoutMs));
      if (opts.signal) {
        if (opts.signal.aborted) onAbort();
        else opts.signal.addEventListener("abort", onAbort, { once: true });
      }
      if (!this.child) timers.push(setInterval(() => this.alive(), POLL_MS));
    });
  }

  /** The shell ended (exit event, or found dead by polling). */
  markEnded(status: number | null, signal: NodeJS.Signals | null): void {
    if (this.ended) return;
    const active = this.active;
    this.ended = { status, signal, duringBlock: active !== undefined };
    this.onEnded?.(this.ended);
    if (!active) return;
    setTimeout(() => {
      const records = recordsOf(active);
      const stdout = active.stdout + active.out.flush();
      const stderr = active.stderr + active.err.flush();
      const ending = this.ended as Ending;
      if (active.timedOut) active.settle({ kind: "timeout", survived: false, status: null, stdout, stderr, records });
      else active.settle({ kind: "died", ending, stdout, stderr, records });
    }, DRAIN_MS);
  }

  private onData(stream: "stdout" | "stderr", chunk: string): void {
    const active = this.active;
    if (!active) {
      if (this.carry[stream].length < CARRY_LIMIT) this.carry[stream] += chunk;
      return;
    }
    const scanner = stream === "stdout" ? active.out : active.err;
    const text = scanner.push(chunk);
    if (text) {
      active[stream] += text;
      try {
        active.opts.onOutput?.(stream, text);
      } catch {
        // A failing listener must not break the protocol; the output is still in the result.
      }
    }
    if (active.out.done && active.err.done) this.finish(active);
  }

  private finish(active: Active): void {
    this.carry = { stdout: active.out.leftover, stderr: active.err.leftover };
    const records = recordsOf(active);
    const status = Number(active.out.record("") ?? "1");
    const { stdout, stderr } = active;
    if (active.timedOut) active.settle({ kind: "timeout", survived: true, status, stdout, stderr, records });
    else active.settle({ kind: "done", status, stdout, stderr, records });
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
      // The shell itself is busy (a builtin loop) or stuck: it has to go; markEnded settles the block.
      this.kill();
      timers.push(setTimeout(() => this.alive() && this.markEnded(null, "SIGKILL"), 2000));
    };
    round();
  }

  /** Output that arrived while no block ran (and was not yet given to a block). */
  takeCarry(): { stdout: string; stderr: string } {
    const carried = this.carry;
    this.carry = { stdout: "", stderr: "" };
    return carried;
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

function recordsOf(active: Active): Map<string, string> {
  const records = new Map<string, string>();
  for (const r of active.out.records) {
    const space = r.indexOf(" ");
    records.set(space < 0 ? r : r.slice(0, space), space < 0 ? "" : r.slice(space + 1));
  }
  return records;
}

// One long-lived shell on a pseudo-terminal of its own (./pty.ts): writes a block's text to it, waits for the
// block's status line on the terminal (the block's own output goes to FIFOs of its own, ./block-channel.ts), and
// notices the shell's end on the way. The end is an event, never a poll: the exit of the process rootlab started
// on the terminal (the shell itself, or the command that became it: nsenter, unshare, nspawn …). The block in
// flight is a RunningBlock (./running-block.ts); its timeout and the look for a skipped end are
// ./block-watchdog.ts. While the learner types into the shell (./typed-shell.ts), what the terminal prints goes
// to them instead. Knows nothing about other sessions: what to kill on a timeout is the caller's `killBlock`.
import type { BlockChannel } from "./block-channel.js";
import type { BlockOutput } from "./block-output.js";
import type { PtyProcess } from "./pty.js";
import { fdTarget, isRunning, type ProcId } from "./proc-tree.js";
import { brokenBy, isRestoreLoop, LOST_TERMINAL, NO_OUTPUT_FILES, outputFilesError } from "./protocol-breaks.js";
import { RunningBlock } from "./running-block.js";
import { startWatchdog, type WatchedShell } from "./block-watchdog.js";
import type { Ending, ExecuteOptions, ShellOutcome } from "./shell-outcome.js";

/** What the shell printed outside blocks is kept, up to this much, to explain an early end. */
const NOISE_LIMIT = 4096;

export class SessionShell implements WatchedShell {
  ended: Ending | undefined;
  /** Called once when the shell is found gone. */
  onEnded: ((ending: Ending) => void) | undefined;
  /** Where blocks write their output; set once the shell's pid is known. */
  channel: BlockChannel | undefined;
  /** What the shell's fd 0 is open on while it waits for commands (its terminal), learnt at the first block. */
  terminal: string | undefined;
  private active: RunningBlock | undefined;
  private errexit = false;
  /** `set -v` was on after the last block (its `$-`): the next block's text is built for it (./block-script.ts). */
  verbose = false;
  /** A block unset the session's definitions (./terminal-modes.ts): they are sent again before the next block. */
  lostDefinitions = false;
  /** The last status line said the after-block code is bash's function (./block-script.ts, AFTER_BLOCK_FAST). */
  fast = false;
  private noise = "";
  /** While the learner types: where the terminal's output goes. */
  private tap: ((text: string) => void) | undefined;
  private readonly endWaiters: (() => void)[] = [];
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

  /** Whether `block` is the one in flight and the shell is still there (for the watchdog). */
  isRunning(block: RunningBlock): boolean {
    return this.active === block && !this.ended;
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
      const block = new RunningBlock(nonce, output, opts, resolve);
      block.whenSettled(() => {
        if (this.active === block) this.active = undefined;
      });
      block.onStderrMiB = (stderr) => this.checkRestoreLoop(stderr);
      this.active = block;
      // Before the block is sent: until then the shell waits on its terminal, after it fd 0 is the block's stdin.
      if (output && this.pid) this.terminal ??= fdTarget(this.pid.pid, 0);
      this.tty.write(text);
      startWatchdog(this, block);
    });
  }

  /** The shell ended (its process closed, or its launcher reported the exit). Settles the block in flight. */
  markEnded(status: number | null, signal: NodeJS.Signals | null): void {
    if (this.ended) return;
    const active = this.active;
    const out = active?.collect();
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
      // Output read live that is ready in the same turn of the event loop goes first, in its order; finish() drains
      // the rest. A block that ended before its output went live (most do) has nothing in the event loop: it ends now.
      if (active.scanner.result) {
        if (active.output?.isLive) setImmediate(() => this.finish(active));
        else this.finish(active);
      }
    } else if (this.tap) {
      this.tap(chunk);
    } else {
      this.noise = (this.noise + chunk).slice(-NOISE_LIMIT);
    }
  }

  /**
   * busybox ash that cannot put back a fd it saved (the block closed it: `exec 10>&-`) complains about it forever,
   * to the block's stderr: the session is lost, and waiting for the timeout would only pile up megabytes.
   */
  private checkRestoreLoop(stderr: string): void {
    if (!this.broken && isRestoreLoop(stderr)) this.end(LOST_TERMINAL);
  }

  /** The block's status line arrived: settle it with its status, output and failing line. */
  private finish(active: RunningBlock): void {
    const result = active.scanner.result;
    if (!result || this.active !== active) return;
    this.errexit = result.flags.includes("e");
    this.verbose = result.flags.includes("v");
    if (result.defs === "") this.lostDefinitions = true;
    // Only a script block's status line says (a check's and rootlab's own have no such field); a typed turn, where
    // anything can happen to the shell, forgets it (./typed-shell.ts).
    if (result.defs !== undefined) this.fast = result.defs === "d1";
    const broken = brokenBy(result);
    // A block disabled what runs blocks: every later block would fail for a reason that is not its own.
    if (broken) return this.end(broken); // its end settles the block, with the reason
    const out = active.collect();
    const line = out.line ?? result.line;
    const full = { ...out, ...(line !== undefined ? { line } : {}) };
    // A failing redirection of the block itself (the session cannot open its FIFOs) is said on the shell's stderr.
    const files = active.output?.files;
    const silentFailure = files !== undefined && result.status !== 0 && !full.stdout && !full.stderr;
    const complaint = silentFailure ? outputFilesError(result.before, [files.stdin, files.stdout, files.stderr]) : undefined;
    const notRun = silentFailure && result.ran !== "1";
    if (complaint) full.stderr = `${complaint}rootlab: ${NO_OUTPUT_FILES}\n`;
    if (active.timedOut) active.settle({ kind: "timeout", survived: true, status: result.status, ...full });
    else active.settle({ kind: "done", status: result.status, ...full, ...(notRun ? { notRun } : {}) });
    // What follows the status line (a prompt after a hand-over) belongs to whoever listens now.
    const after = active.scanner.leftover;
    if (after && this.tap) this.tap(after);
    else if (after) this.noise = after.slice(-NOISE_LIMIT);
  }

  /** Ends the shell; with `broken`, because the running block broke the protocol (said in its Ending). */
  end(broken?: string): void {
    if (broken) this.broken ??= broken;
    this.kill();
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

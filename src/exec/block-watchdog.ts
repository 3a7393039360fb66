// What watches a running block besides its status line: the timeout (kill the block's processes, then the shell),
// and a shell that went back to waiting for commands without reporting the block's end. Used by
// ./session-shell.ts; knows the shell only through WatchedShell.
import type { RunningBlock } from "./running-block.js";
import { readProc, waitsOnTerminal, type ProcId } from "./proc-tree.js";
import { SKIPPED_END } from "./protocol-breaks.js";
import { LIVE_AFTER_MS } from "./block-output.js";

export interface WatchedShell {
  readonly pid: ProcId | undefined;
  /** What the shell's fd 0 is open on while it waits for commands, when known. */
  readonly terminal: string | undefined;
  /** Whether `block` is still the one running and the shell has not ended. */
  isRunning(block: RunningBlock): boolean;
  /** Ends the shell (SIGKILL); with `broken`, that is why (the block broke the protocol). */
  end(broken?: string): void;
}

/**
 * After the timeout, how long the block's processes are killed again and again before the shell itself goes. 1 s
 * was too short on a loaded machine (CI with a TCG VM beside it): a busybox shell whose block's processes were
 * killed had not yet reported the block's end, and the still usable session was ended.
 */
const GRACE_AFTER_KILL_MS = 3000;
/**
 * How often a running block checks that its shell is not back at waiting for commands without having reported
 * the block's end (see watchForSkippedEnd). Twice in a row means it is.
 */
const WATCH_MS = 1000;

/**
 * Starts the block's timers and its abort listener. One timer until the block has run LIVE_AFTER_MS (most blocks end
 * before it: a timer per block is what they pay); then its output is read live (./block-output.ts), and its timeout
 * and (for a block with its own output files) the watch for a skipped end are armed.
 */
export function startWatchdog(shell: WatchedShell, block: RunningBlock): void {
  const started = Date.now();
  const { output, opts } = block;
  const armRest = (): void => {
    output?.live();
    block.timers.push(setTimeout(() => onTimeout(shell, block), Math.max(0, opts.timeoutMs - (Date.now() - started))));
    if (output && shell.pid) block.timers.push(setTimeout(() => watchForSkippedEnd(shell, block, false), WATCH_MS - LIVE_AFTER_MS));
  };
  block.timers.push(setTimeout(armRest, Math.min(LIVE_AFTER_MS, opts.timeoutMs)));
  const signal = opts.signal;
  if (!signal) return;
  const onAbort = () => onTimeout(shell, block);
  if (signal.aborted) onAbort();
  else {
    signal.addEventListener("abort", onAbort, { once: true });
    block.whenSettled(() => signal.removeEventListener("abort", onAbort));
  }
}

/**
 * A block whose status line does not come while its shell waits for commands again broke the protocol: a
 * function named `command`, a DEBUG trap under extdebug, a readonly variable … made the shell skip the line that
 * reports the end. Nothing else tells: the shell prints nothing, so rootlab looks at it, once a second.
 */
function watchForSkippedEnd(shell: WatchedShell, block: RunningBlock, seenOnce: boolean): void {
  if (!shell.isRunning(block) || !shell.pid || !shell.terminal) return;
  if (readProc(shell.pid.pid)?.state === "T") block.stopped = true;
  const waits = waitsOnTerminal(shell.pid.pid, shell.terminal);
  if (waits && seenOnce) return shell.end(SKIPPED_END);
  block.timers.push(setTimeout(() => watchForSkippedEnd(shell, block, waits), WATCH_MS));
}

/** Timeout or abort: kill the block's processes for a while (continuing a stopped shell), then the shell. */
function onTimeout(shell: WatchedShell, block: RunningBlock): void {
  if (block.timedOut || !shell.isRunning(block)) return;
  block.timedOut = true;
  const deadline = Date.now() + GRACE_AFTER_KILL_MS;
  const round = (): void => {
    if (!shell.isRunning(block)) return;
    if (Date.now() < deadline) {
      block.opts.killBlock();
      // A shell that stopped itself (kill -STOP $$) waits for a SIGCONT nobody else will send.
      if (shell.pid && (block.stopped || readProc(shell.pid.pid)?.state === "T")) {
        block.stopped = true;
        process.kill(shell.pid.pid, "SIGCONT");
      }
      block.timers.push(setTimeout(round, 100));
      return;
    }
    // The shell itself is busy (a builtin loop) or stuck: it has to go; its end settles the block (what rootlab
    // started on the terminal exits after it: nsenter, unshare and nspawn wait for their child).
    shell.end();
  };
  round();
}

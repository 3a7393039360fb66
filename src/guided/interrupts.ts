// Signals during a guided run (SIGINT, SIGTERM, SIGHUP at a prompt, in a typed shell, during a block): every
// one aborts what is in flight so the run reaches LabRun.finish(). SIGHUP also means the terminal is gone:
// from then on rootlab must not touch it at all — no raw-mode changes, no reads, no writes.
import { closeSync, openSync } from "node:fs";
import { isatty } from "node:tty";
import { trapInterrupts } from "../core/interrupts.js";

export interface GuidedInterrupts {
  /** Aborted on the first signal; its reason is the signal's name. */
  signal: AbortSignal;
  received(): NodeJS.Signals | undefined;
  /** True once the terminal hung up: write nothing more to it. */
  terminalGone(): boolean;
  dispose(): void;
}

interface Io {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
}

export function trapGuidedInterrupts(io: Io, onFirst: (sig: NodeJS.Signals) => void, onRepeat: () => void): GuidedInterrupts {
  const controller = new AbortController();
  let gone = false;
  const restoreRawMode = guardRawMode(io.stdin, () => gone);
  // A dead terminal turns reads and writes into EIO/EPIPE errors. They must not crash the cleanup that
  // follows, so the process-wide "rethrow unexpected stdout errors" listener is set aside during the run.
  const hangUp = () => {
    if (!gone) process.emit("SIGHUP", "SIGHUP");
  };
  const onStreamError = (err: NodeJS.ErrnoException) => {
    if (err.code === "EIO") hangUp();
  };
  // stdin ends only when the terminal hangs up: prompts read it in raw mode, where Ctrl-D is just a key.
  const onInputEnd = () => {
    if (io.stdin.isTTY) hangUp();
  };
  const otherListeners = io.stdout.listeners("error") as ((err: Error) => void)[];
  for (const l of otherListeners) io.stdout.off("error", l);
  io.stdout.on("error", onStreamError);
  io.stdin.on("error", onStreamError);
  io.stdin.on("end", onInputEnd);
  const inner = trapInterrupts(
    (sig) => {
      if (sig === "SIGHUP") gone = true;
      onFirst(sig);
      controller.abort(sig);
      if (sig === "SIGHUP") detachFromDeadTerminal(io);
    },
    () => {
      if (!gone) onRepeat();
    },
  );
  return {
    signal: controller.signal,
    received: inner.received,
    terminalGone: () => gone,
    dispose: () => {
      inner.dispose();
      restoreRawMode();
      io.stdin.off("end", onInputEnd);
      // Once the terminal is gone, writes already queued can still fail later: keep ignoring their errors.
      if (gone) return;
      io.stdout.off("error", onStreamError);
      io.stdin.off("error", onStreamError);
      for (const l of otherListeners) io.stdout.on("error", l);
    },
  };
}

/**
 * readline (inside enquirer) switches raw mode off when stdin ends; on a hung-up terminal that fails with EIO,
 * which readline re-throws as an unhandled error. Once the input ended or the terminal is gone, do nothing.
 */
function guardRawMode(stdin: NodeJS.ReadStream, gone: () => boolean): () => void {
  if (typeof stdin.setRawMode !== "function") return () => undefined;
  const original = stdin.setRawMode;
  stdin.setRawMode = function (this: NodeJS.ReadStream, mode: boolean) {
    if (gone() || this.readableEnded || this.destroyed) return this;
    return original.call(this, mode);
  };
  return () => {
    stdin.setRawMode = original;
  };
}

/**
 * Stops all I/O on the terminal: input is destroyed; descriptors 0–2 that were a terminal which has hung up
 * (isatty() fails on a hung-up tty) are re-opened on /dev/null. That also keeps Node's exit-time terminal reset
 * (ResetStdio) away from the dead tty: it asserts on the EIO it gets there, then crashes in the unwinder
 * (SIGSEGV in libgcc_s), but skips re-opened descriptors. A terminal still alive (a plain `kill -HUP`) keeps
 * its descriptors: closing them would make the terminal emulator think rootlab exited and hang it up.
 */
function detachFromDeadTerminal(io: Io): void {
  try {
    io.stdin.pause();
    io.stdin.destroy();
  } catch {
    // already gone
  }
  // Which descriptors were terminals when rootlab started (isatty() itself fails on a hung-up tty).
  const wasTerminal = [io.stdin.isTTY, io.stdout.isTTY, process.stderr.isTTY];
  for (const fd of [0, 1, 2]) {
    if (wasTerminal[fd] !== true || isatty(fd)) continue;
    try {
      closeSync(fd);
      const reopened = openSync("/dev/null", fd === 0 ? "r" : "w");
      // Something else took the lowest free descriptor in between: give it back rather than hold it twice.
      if (reopened !== fd) closeSync(reopened);
    } catch {
      // fd already closed or /dev/null missing: nothing more to do
    }
  }
}

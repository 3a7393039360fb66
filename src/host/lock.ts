// One lab run per machine at a time: labs share the kernel's global state (links, mounts, firewall).
// The lock file is created with O_EXCL and holds "PID STARTTIME"; a lock whose holder is gone is taken over.
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { RefusedError } from "../core/errors.js";
import { RUN_LOCK_PATH } from "./paths.js";
import { processAlive, readProcStat } from "./proc.js";

export interface RunLockOptions {
  /** How long to wait for another run to finish (default 10 minutes). */
  waitMs?: number;
  /** Called once per holder while waiting, so the CLI can say "waiting for rootlab run PID n". */
  onWait?: (holderPid: number) => void;
  /** Lock file (default /run/lock/rootlab.lock); tests use their own. */
  path?: string;
  /** Poll interval while waiting (default 200 ms). */
  pollMs?: number;
}

type Holder = { kind: "alive"; pid: number } | { kind: "stale"; pid: number } | { kind: "gone" };

/** Lock content written by a process that is still writing it (empty/partial) is given this long to appear. */
const PARTIAL_GRACE_MS = 2_000;

function parseLock(text: string): { pid: number; startTime?: number } | undefined {
  const m = /^(\d+)(?:\s+(\d+))?\s*$/.exec(text);
  if (!m) return undefined;
  return { pid: Number(m[1]), ...(m[2] ? { startTime: Number(m[2]) } : {}) };
}

function readHolder(path: string): Holder {
  let text: string;
  let ageMs: number;
  try {
    text = readFileSync(path, "utf8");
    ageMs = Date.now() - statSync(path).mtimeMs;
  } catch {
    return { kind: "gone" };
  }
  const lock = parseLock(text);
  if (!lock) return ageMs > PARTIAL_GRACE_MS ? { kind: "stale", pid: 0 } : { kind: "alive", pid: 0 };
  return processAlive(lock.pid, lock.startTime) ? { kind: "alive", pid: lock.pid } : { kind: "stale", pid: lock.pid };
}

/** The PID of the live rootlab run holding the run lock, if any (for `rootlab doctor`; no root needed to read it). */
export function liveRunLockHolder(path: string = RUN_LOCK_PATH): number | undefined {
  const holder = readHolder(path);
  return holder.kind === "alive" ? holder.pid : undefined;
}

function tryCreate(path: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, "wx", 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Removes a stale lock. Only one process at a time may do this (a second O_EXCL file guards it), and it
 * re-checks under that guard, so a fresh lock created by a faster process is never removed by mistake.
 */
function takeOverStale(path: string): void {
  const guard = `${path}.takeover`;
  const myLine = `${process.pid}\n`;
  if (!tryCreate(guard, myLine)) {
    if (readHolder(guard).kind === "stale") unlinkQuiet(guard); // a taker-over that died half-way
    return;
  }
  try {
    if (readHolder(path).kind === "stale") unlinkQuiet(path);
  } finally {
    unlinkQuiet(guard);
  }
}

function unlinkQuiet(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    /* already gone */
  }
}

/** Waits for and takes the machine-wide run lock; resolves to an idempotent release function. */
export async function acquireRunLock(opts: RunLockOptions = {}): Promise<() => void> {
  const path = opts.path ?? RUN_LOCK_PATH;
  const waitMs = opts.waitMs ?? 10 * 60_000;
  const pollMs = opts.pollMs ?? 200;
  const me = readProcStat(process.pid);
  const content = `${process.pid}${me ? ` ${me.startTime}` : ""}\n`;
  mkdirSync(dirname(path), { recursive: true });
  const deadline = Date.now() + waitMs;
  let announced = -1;
  for (;;) {
    if (tryCreate(path, content)) return releaser(path, content);
    const holder = readHolder(path);
    if (holder.kind === "stale") {
      takeOverStale(path);
      await new Promise((r) => setTimeout(r, 5)); // another process may be taking it over right now
      continue;
    }
    if (holder.kind === "alive") {
      if (holder.pid === process.pid && parseLock(readFileSync(path, "utf8"))?.startTime === me?.startTime) {
        throw new Error(`rootlab: this process already holds the run lock ${path} (acquireRunLock called twice)`);
      }
      if (holder.pid !== announced) {
        announced = holder.pid;
        opts.onWait?.(holder.pid);
      }
      if (Date.now() >= deadline) {
        throw new RefusedError(
          `another rootlab run (PID ${holder.pid}) holds the run lock ${path}; waited ${Math.round(waitMs / 1000)} s.\n` +
            "Only one lab runs per machine at a time (labs share the kernel's network and mount state). " +
            `Wait for it to finish, or stop it (sudo kill ${holder.pid}).`,
        );
      }
      await new Promise((r) => setTimeout(r, Math.max(1, Math.min(pollMs, deadline - Date.now()))));
    }
  }
}

function releaser(path: string, content: string): () => void {
  let released = false;
  return () => {
    if (released) return;
    released = true;
    try {
      if (readFileSync(path, "utf8") === content) unlinkSync(path); // never remove a lock someone else took over
    } catch {
      /* already gone */
    }
  };
}

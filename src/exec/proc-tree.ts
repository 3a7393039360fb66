// Process trees seen from the host through /proc. Used only on timeouts, enter, background and close, and once a
// second for a block that runs longer than that (never per block): reading /proc costs a few milliseconds.
import { readdirSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { waitSyscalls } from "./syscall-numbers.js";

export interface ProcInfo {
  pid: number;
  ppid: number;
  /** R, S, D, Z, T … */
  state: string;
  /** Start time in clock ticks since boot: with the pid it identifies a process (pids get reused). */
  start: string;
}

/** A process by pid and start time, so we never signal a later process that got the same pid. */
export interface ProcId {
  pid: number;
  start: string;
}

export function readProc(pid: number): ProcInfo | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command name (field 2) may contain spaces and parentheses: parse after the last ")".
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { pid, state: rest[0] ?? "?", ppid: Number(rest[1]), start: rest[19] ?? "" };
}

export function readProcTable(): Map<number, ProcInfo> {
  const table = new Map<number, ProcInfo>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const info = readProc(Number(entry));
    if (info) table.set(info.pid, info);
  }
  return table;
}

/** Running (not a zombie, not gone, not a reused pid). */
export function isRunning(id: ProcId): boolean {
  const info = readProc(id.pid);
  return info !== undefined && info.state !== "Z" && info.state !== "X" && info.start === id.start;
}

export function procId(pid: number): ProcId | undefined {
  const info = readProc(pid);
  return info ? { pid, start: info.start } : undefined;
}

function childrenMap(table: Map<number, ProcInfo>): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const p of table.values()) {
    const list = children.get(p.ppid);
    if (list) list.push(p.pid);
    else children.set(p.ppid, [p.pid]);
  }
  return children;
}

/** All descendants of `root` (not root itself), parents before children. */
export function descendants(table: Map<number, ProcInfo>, root: number): number[] {
  const children = childrenMap(table);
  const out: number[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length) {
    const pid = queue.shift() as number;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Ancestors of `pid`, nearest first. */
export function ancestors(table: Map<number, ProcInfo>, pid: number): number[] {
  const out: number[] = [];
  const seen = new Set<number>();
  let cur = table.get(pid)?.ppid;
  while (cur && !seen.has(cur)) {
    seen.add(cur);
    out.push(cur);
    cur = table.get(cur)?.ppid;
  }
  return out;
}

/**
 * The descendants of `root` that may be killed: everything below it except the trees of `protectedRoots`
 * (other sessions, background blocks) and the processes that carry them (e.g. the `unshare` above an entered
 * shell), so killing a timed-out block never takes another session with it.
 */
export function killableDescendants(table: Map<number, ProcInfo>, root: number, protectedRoots: number[]): number[] {
  const below = descendants(table, root);
  const inside = new Set(below);
  const spared = new Set<number>();
  // Only protected trees inside root's tree matter (the host session is an ancestor of every entered one).
  for (const p of protectedRoots) {
    if (!inside.has(p)) continue;
    spared.add(p);
    for (const d of descendants(table, p)) spared.add(d);
    for (const a of ancestors(table, p)) spared.add(a);
  }
  return below.filter((pid) => !spared.has(pid));
}

/** `NSpid:` of /proc/PID/status: the pid in each nested pid namespace, outermost (host) first. */
export function nsPids(pid: number): number[] {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const line = /^NSpid:\s*(.*)$/m.exec(status)?.[1];
    return line ? line.trim().split(/\s+/).map(Number) : [pid];
  } catch {
    return [];
  }
}

/** Inode of what fd N of a process is open on (a FIFO, for us), if readable. */
export function fdInode(pid: number, fd: number): number | undefined {
  try {
    return statSync(`/proc/${pid}/fd/${fd}`).ino;
  } catch {
    return undefined;
  }
}

/**
 * Whether a shell is waiting for its next command: blocked on fd 0, and fd 0 is `terminal` (what its fd 0 was when
 * it was idle). While a block runs, fd 0 is the block's stdin file instead.
 */
export function waitsOnTerminal(pid: number, terminal: string): boolean {
  try {
    if (!waitsForInput(readFileSync(`/proc/${pid}/syscall`, "utf8"))) return false;
    const fd0 = readlinkSync(`/proc/${pid}/fd/0`);
    // A shell that lost its terminal during a block gets it back through /dev/tty (./block-script.ts).
    return fd0 === terminal || fd0 === "/dev/tty";
  } catch {
    return false;
  }
}

/**
 * Whether /proc/PID/syscall shows a shell waiting for its next line: read(2) on fd 0 (bash, and busybox ash when it
 * reads plainly), or poll(2)/ppoll(2) on one descriptor with no timeout — busybox ash's line editor, where an
 * interrupted ash waits (`kill -INT $$` in a block): it polls fd 0 before each key it reads. The numbers are the
 * architecture's (./syscall-numbers.ts); on one rootlab has no table for, never (no verdict rather than a wrong one).
 */
export function waitsForInput(syscall: string, arch: string = process.arch): boolean {
  const nrs = waitSyscalls(arch);
  if (!nrs) return false;
  const [nr, a0, a1, a2] = syscall.trim().split(" ");
  if (nr === undefined || !/^\d+$/.test(nr)) return false;
  const n = Number(nr);
  if (n === nrs.read) return a0 === "0x0";
  if (n === nrs.poll) return a1 === "0x1" && (a2 === "0xffffffff" || a2 === "0xffffffffffffffff");
  if (n === nrs.ppoll) return a1 === "0x1" && a2 === "0x0";
  return false;
}

/** What fd 0 of a process is open on (e.g. "/dev/pts/3"), if readable. */
export function fdTarget(pid: number, fd: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/fd/${fd}`);
  } catch {
    return undefined;
  }
}

/** Whether the process sees the host's `/` as its root (same device and inode). */
export function seesHostRoot(pid: number): boolean {
  try {
    const mine = statSync("/");
    const theirs = statSync(`/proc/${pid}/root/`);
    return mine.dev === theirs.dev && mine.ino === theirs.ino;
  } catch {
    return false;
  }
}

/** Pids whose environment holds NAME=VALUE (e.g. everything a lab run started carries ROOTLAB_RUN_ID). */
export function pidsWithEnv(name: string, value: string): number[] {
  const needle = Buffer.from(`\0${name}=${value}\0`);
  const out: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const env = Buffer.concat([Buffer.from("\0"), readFileSync(`/proc/${entry}/environ`), Buffer.from("\0")]);
      if (env.includes(needle)) out.push(Number(entry));
    } catch {
      // gone, or a kernel thread
    }
  }
  return out;
}

/** Sends a signal; a process that is already gone is fine. */
export function signal(id: ProcId, sig: NodeJS.Signals): void {
  const info = readProc(id.pid);
  if (!info || info.start !== id.start) return;
  try {
    process.kill(id.pid, sig);
  } catch {
    // exited meanwhile
  }
}

export function toIds(table: Map<number, ProcInfo>, pids: number[]): ProcId[] {
  return pids.flatMap((pid) => {
    const info = table.get(pid);
    return info ? [{ pid, start: info.start }] : [];
  });
}

/** Waits until none of the processes runs any more, polling; true if they all went within the time. */
export async function waitGone(ids: ProcId[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!ids.some(isRunning)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function exeOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return undefined;
  }
}

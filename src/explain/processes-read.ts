// The processes a lab started that hold namespaces of their own — a container runtime's first process made by
// `unshare … &`, a daemon started with `setsid -f`, a `sleep infinity` kept in a new network namespace — found from
// /proc alone, whatever became of their parents. Reading is one pass over /proc (a few ms for a few hundred
// processes); choosing is pure and table-tested.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

export const NS_KINDS = ["user", "mnt", "uts", "ipc", "net", "pid", "cgroup", "time"] as const;
export type NsKind = (typeof NS_KINDS)[number];

export interface ProcInfo {
  pid: number;
  ppid: number;
  /** The kernel's name for it (/proc/PID/comm, at most 15 characters): what it runs now. */
  command: string;
  /** When it started, in clock ticks since boot (/proc/PID/stat field 22). */
  start: number;
  /** Its session (the terminal session it belongs to, /proc/PID/stat field 6): kept when it is reparented. */
  sid?: number;
  /** Its namespaces by kind ("net:[4026532001]"); a kind it could not read is absent. */
  ns: Partial<Record<NsKind, string>>;
}

/** The kernel's clock tick for /proc/PID/stat times: 100 on every Linux architecture rootlab runs on. */
const TICKS_PER_SECOND = 100;

/** Now, in the ticks /proc/PID/stat counts start times in: a process started later has a larger start. */
export function ticksNow(): number {
  try {
    return Math.floor(Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]) * TICKS_PER_SECOND);
  } catch {
    return 0;
  }
}

/** PID, parent, start and name from /proc/PID/stat ("1234 (a b) S 1 …": the name may hold spaces and parentheses). */
export function parseStat(text: string): { pid: number; ppid: number; sid: number; start: number; command: string; state: string } | undefined {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open) return undefined;
  const rest = text.slice(close + 2).split(" ");
  const pid = Number(text.slice(0, open).trim());
  const ppid = Number(rest[1]);
  const sid = Number(rest[3]);
  const start = Number(rest[19]);
  if (!Number.isInteger(pid) || !Number.isInteger(ppid) || !Number.isInteger(sid) || !Number.isFinite(start)) return undefined;
  return { pid, ppid, sid, start, command: text.slice(open + 1, close), state: rest[0] ?? "" };
}

/** A process's namespaces by kind (none when it ended or is on its way out: its mount link goes first). */
export function readNamespaces(pid: number): Partial<Record<NsKind, string>> {
  const ns: Partial<Record<NsKind, string>> = {};
  for (const kind of NS_KINDS) {
    try {
      ns[kind] = readlinkSync(`/proc/${pid}/ns/${kind}`);
    } catch {
      /* gone, or a kernel without that kind */
    }
  }
  return ns.mnt === undefined ? {} : ns;
}

/**
 * Every live process, its namespaces read only where `want` says (reading them costs seven syscalls a process,
 * most of the pass). A zombie, or a process on its way out, has let go of its namespaces and is left out.
 */
export function readProcesses(want: (p: ProcInfo, byPid: ReadonlyMap<number, ProcInfo>) => boolean = () => true): ProcInfo[] {
  let entries: string[] = [];
  try {
    entries = readdirSync("/proc").filter((n) => /^\d+$/.test(n));
  } catch {
    return [];
  }
  const out: ProcInfo[] = [];
  for (const name of entries) {
    let stat;
    try {
      stat = parseStat(readFileSync(`/proc/${name}/stat`, "utf8"));
    } catch {
      continue;
    }
    if (stat && stat.state !== "Z" && stat.state !== "X") out.push({ pid: stat.pid, ppid: stat.ppid, sid: stat.sid, start: stat.start, command: stat.command, ns: {} });
  }
  const byPid = new Map(out.map((p) => [p.pid, p]));
  for (const p of out) if (want(p, byPid)) p.ns = readNamespaces(p.pid);
  return out;
}

/** Every namespace some process is in now: what the machine had before the lab. */
export function namespacesOf(procs: readonly ProcInfo[]): Set<string> {
  return new Set(procs.flatMap((p) => Object.values(p.ns)));
}

export interface HolderPick {
  pid: number;
  /** The namespaces it stands for, by kind: new since the lab began, and no session's or named one. */
  held: Partial<Record<NsKind, string>>;
}

export interface PickOptions {
  /** Namespaces that are not the lab's process's own: the baseline's, the host's, the sessions', named netns. */
  known: ReadonlySet<string>;
  /** The lab's sessions' shells: what descends from them is the lab's. */
  sessions: readonly number[];
  /** rootlab itself: what it starts apart from the sessions (the observer's own nsenter, say) is not the lab's. */
  self: number;
  /** When the lab began (ticks): an orphan started later is the lab's daemon; an older tree is someone else's. */
  since: number;
  /** The run's ROOTLAB_RUN_ID, which what the lab started carries unless it cleared its environment. */
  runId?: string;
  /** Reads a process's environment for the run's id (tests give their own). */
  carriesRunId?: (p: ProcInfo, runId: string) => boolean;
}

/** Where a process's ancestry leads: to a session, to rootlab itself, to PID 1 through processes all started during the lab, or elsewhere. */
function ancestry(p: ProcInfo, byPid: ReadonlyMap<number, ProcInfo>, opts: Omit<PickOptions, "known">): "session" | "rootlab" | "young-orphan" | "other" {
  const sessions = new Set(opts.sessions);
  let young = true;
  let cur: ProcInfo | undefined = p;
  for (let hops = 0; cur && hops < 512; hops++) {
    if (sessions.has(cur.pid)) return "session";
    if (cur.pid === opts.self) return "rootlab";
    young &&= cur.start >= opts.since;
    const parent = byPid.get(cur.ppid);
    if (!parent || cur.ppid <= 1) return young ? "young-orphan" : "other";
    cur = parent;
  }
  return "other";
}

/**
 * Whether a process is the lab's: its ancestry reaches a session, or it was orphaned (reparented to PID 1 or a
 * subreaper that also started during the lab) and started after the lab began. A tree that reaches rootlab
 * outside the sessions, or an older process (another user's shell, a service), is not the lab's — unless the
 * process itself started during the lab and was reparented under such an old subreaper (a double-forked daemon
 * under `systemd --user` or a container's init): then its terminal session, which a daemon that does not call
 * setsid keeps, or the run's ROOTLAB_RUN_ID, which one that keeps its environment carries, says it is the lab's.
 */
export function isLabProcess(p: ProcInfo, byPid: ReadonlyMap<number, ProcInfo>, opts: Omit<PickOptions, "known">): boolean {
  const where = ancestry(p, byPid, opts);
  if (where !== "other") return where !== "rootlab";
  if (p.start < opts.since) return false;
  const own = byPid.get(opts.self)?.sid;
  const sids = new Set(opts.sessions.map((pid) => byPid.get(pid)?.sid).filter((sid) => sid !== undefined && sid > 0 && sid !== own));
  if (p.sid !== undefined && sids.has(p.sid)) return true;
  return opts.runId !== undefined && (opts.carriesRunId ?? carriesRunId)(p, opts.runId);
}

/** Environments already read, by PID and start (a process's initial environment does not change). */
const runIdSeen = new Map<string, boolean>();

/** Whether P's environment (/proc/PID/environ, what it was started with) holds ROOTLAB_RUN_ID=RUNID. */
export function carriesRunId(p: ProcInfo, runId: string): boolean {
  const key = `${p.pid}:${p.start}:${runId}`;
  const known = runIdSeen.get(key);
  if (known !== undefined) return known;
  let found = false;
  try {
    found = `\0${readFileSync(`/proc/${p.pid}/environ`, "latin1")}\0`.includes(`\0ROOTLAB_RUN_ID=${runId}\0`);
  } catch {
    /* gone, or a kernel thread */
  }
  // A bounded memory: a long lab on a busy machine sees many short-lived processes.
  if (runIdSeen.size > 4096) runIdSeen.clear();
  runIdSeen.set(key, found);
  return found;
}

/**
 * For every namespace the lab's processes hold that is not known, the process to name it after: the one in the
 * most such namespaces (a container's PID 1 rather than the `unshare` above it, which is outside the new PID
 * namespace), the oldest on a tie (what a runtime started first), so the name stays the same from step to step.
 */
export function pickHolders(procs: readonly ProcInfo[], opts: PickOptions): HolderPick[] {
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  const unknown = (p: ProcInfo) => NS_KINDS.filter((k) => p.ns[k] !== undefined && !opts.known.has(p.ns[k] as string));
  const members = procs.map((p) => ({ p, kinds: unknown(p) })).filter((m) => m.kinds.length > 0 && isLabProcess(m.p, byPid, opts));
  members.sort((a, b) => b.kinds.length - a.kinds.length || a.p.start - b.p.start || a.p.pid - b.p.pid);
  const taken = new Set<string>();
  const picks = new Map<number, HolderPick>();
  for (const { p, kinds } of members) {
    for (const kind of kinds) {
      const inode = p.ns[kind] as string;
      if (taken.has(inode)) continue;
      taken.add(inode);
      const pick = picks.get(p.pid) ?? { pid: p.pid, held: {} };
      pick.held[kind] = inode;
      picks.set(p.pid, pick);
    }
  }
  return [...picks.values()].sort((a, b) => a.pid - b.pid);
}

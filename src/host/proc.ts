// Small /proc readers shared by the run lock and the leak snapshot.
import { readFileSync } from "node:fs";

export interface ProcStat {
  pid: number;
  comm: string;
  ppid: number;
  /** R, S, D, Z (zombie: exited, waiting to be reaped) … */
  state: string;
  /** Clock ticks since boot when the process started: with the PID it identifies a process (PIDs are reused). */
  startTime: number;
}

/** Parses /proc/PID/stat text. The comm may contain spaces and parentheses: it ends at the LAST ")". */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open) return undefined;
  const rest = text.slice(close + 2).split(" ");
  // rest[0] = state (field 3), so field N is rest[N - 3].
  const ppid = Number(rest[1]);
  const startTime = Number(rest[19]);
  const pid = Number(text.slice(0, open).trim());
  if (!Number.isFinite(pid) || !Number.isFinite(ppid) || !Number.isFinite(startTime)) return undefined;
  return { pid, comm: text.slice(open + 1, close), ppid, state: rest[0] ?? "?", startTime };
}

export function readProcStat(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return undefined;
  }
}

/** True when process PID exists and (if given) is the same process that started at START_TIME. */
export function processAlive(pid: number, startTime?: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  const stat = readProcStat(pid);
  if (!stat || stat.state === "Z" || stat.state === "X") return false;
  return startTime === undefined || stat.startTime === startTime;
}

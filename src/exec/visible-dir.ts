// Folders for rootlab's files that a session can see: created through /proc/PID/root, i.e. in that process's own
// mount namespace and root (a block's output FIFOs, ./block-channel.ts; background logs, ./lifecycle.ts).
import { mkdirSync, readlinkSync, statSync } from "node:fs";
import { seesHostRoot } from "./proc-tree.js";

/** Folders tried, in order, when the starting session has a root of its own (chroot, pivot_root, nspawn). */
const FOREIGN_ROOT_DIRS = ["/tmp", "/dev/shm", "/run", "/var/tmp", ""];

/** Whether the process's root has a usable /dev/null (a bare chroot has none). */
export function hasDevNull(pid: number): boolean {
  try {
    return statSync(`/proc/${pid}/root/dev/null`).isCharacterDevice();
  } catch {
    return false;
  }
}

/** Where rootlab keeps its own files in a lab run's directory. */
export function rootlabDir(labDir: string): string {
  return `${labDir.replace(/\/+$/, "")}/.rootlab`;
}

/**
 * A folder for rootlab's files that `pid` can see: `<labDir>/.rootlab/<leaf>` when it shares the host's root,
 * else `<dir>/.rootlab-<leaf>` in the first writable of FOREIGN_ROOT_DIRS. Returns both views of the path.
 */
export function makeVisibleDir(pid: number, labDir: string, leaf: string): { seen: string; host: string } {
  const root = `/proc/${pid}/root`;
  if (seesHostRoot(pid)) {
    const seen = `${rootlabDir(labDir)}/${leaf}`;
    mkdirSync(root + seen, { recursive: true, mode: 0o700 });
    return { seen, host: seen }; // the same folder, and still reachable after the process has gone
  }
  const failures: string[] = [];
  for (const dir of FOREIGN_ROOT_DIRS) {
    const seen = `${dir}/.rootlab-${leaf}`;
    try {
      mkdirSync(root + seen, { mode: 0o700 });
      return { seen, host: root + seen };
    } catch (err) {
      failures.push(`${dir || "/"}: ${(err as Error).message}`);
    }
  }
  throw new Error(`cannot create a folder for the session's FIFOs inside its root (${failures.join("; ")})`);
}

/** Whether two paths name the same folder (e.g. one by its plain path, one through /proc/PID/root). */
export function sameFolder(a: string, b: string): boolean {
  try {
    const [x, y] = [statSync(a), statSync(b)];
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/** For a chroot: the folder by its path in rootlab's own root, so it can be removed after the shell ended. */
export function lastingPath(pid: number, seen: string): { lasting?: string } {
  try {
    const target = readlinkSync(`/proc/${pid}/root`);
    const a = statSync(target);
    const b = statSync(`/proc/${pid}/root`);
    return a.dev === b.dev && a.ino === b.ino && target !== "/" ? { lasting: `${target}${seen}` } : {};
  } catch {
    return {};
  }
}

// FIFOs that become an entered session's stdin/stdout/stderr. They are created where the session that starts
// the command can see them (through /proc/PID/root, i.e. in that process's own mount namespace and root), and
// opened by rootlab without blocking: O_RDWR never waits for a peer, and net.Socket reads them through libuv's
// event loop (a blocking fs read would tie up the threadpool for as long as the session lives).
import { execFileSync } from "node:child_process";
import { closeSync, constants, mkdirSync, openSync, rmdirSync, statSync, unlinkSync } from "node:fs";
import { Socket } from "node:net";
import type { ShellIo } from "./session-shell.js";
import { seesHostRoot } from "./proc-tree.js";

export interface EnterFifos {
  /** The FIFO paths as the starting session sees them (for its redirections). */
  seen: { input: string; output: string; errors: string };
  io: ShellIo;
  /** Inode of the input FIFO: the entered shell is the process whose fd 0 is this. */
  inputInode: number;
  /** Unlinks the FIFOs and their folder (rootlab keeps its open ends). */
  unlink(): void;
}

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

export function createEnterFifos(pid: number, labDir: string, nonce: string): EnterFifos {
  const dir = makeVisibleDir(pid, labDir, `enter-${nonce}`);
  const names = ["in", "out", "err"] as const;
  const host = names.map((n) => `${dir.host}/${n}`);
  const removeAll = (): void => {
    for (const p of host) {
      try {
        unlinkSync(p);
      } catch {
        // not created or already gone
      }
    }
    try {
      rmdirSync(dir.host);
    } catch {
      // not empty or gone
    }
  };
  const fds: number[] = [];
  try {
    execFileSync("mkfifo", ["-m", "600", ...host], { stdio: ["ignore", "ignore", "pipe"] });
    for (const p of host) fds.push(openSync(p, constants.O_RDWR | constants.O_NONBLOCK));
  } catch (err) {
    for (const fd of fds) closeSync(fd);
    removeAll();
    throw err;
  }
  const [inFd, outFd, errFd] = fds as [number, number, number];
  const input = new Socket({ fd: inFd, readable: false, writable: true });
  const stdout = new Socket({ fd: outFd, readable: true, writable: false });
  const stderr = new Socket({ fd: errFd, readable: true, writable: false });
  input.on("error", () => undefined);
  const io: ShellIo = {
    write: (text) => void input.write(text),
    stdout,
    stderr,
    closeInput: () => input.destroy(),
    destroy: () => {
      input.destroy();
      stdout.destroy();
      stderr.destroy();
    },
  };
  return {
    seen: { input: `${dir.seen}/in`, output: `${dir.seen}/out`, errors: `${dir.seen}/err` },
    io,
    inputInode: statSync(host[0] as string).ino,
    unlink: removeAll,
  };
}

// Where a session's blocks write their output: a folder the session's shell can see (/run/rootlab/… for sessions
// with the host's root, else /tmp/.rootlab-… inside the session's own root), holding two FIFOs per block. The block's redirections open them by path, so nothing a block
// does to its file descriptors reaches another block or rootlab's status line. rootlab reads them through the
// event loop as the block writes (so stdout and stderr keep the order they were written in), drains them once
// more when the block's status line arrives, and then keeps only a read end: a `&` job that still writes there
// later is read and dropped (never SIGPIPEd, never blocked, never mixed into another block), and its FIFO is
// closed when the last writer closes it (end of file).
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, closeSync, constants, existsSync, openSync, readlinkSync, readSync, rmSync, statSync, unlinkSync } from "node:fs";
import { Socket } from "node:net";
import { StringDecoder } from "node:string_decoder";
import type { BlockFiles } from "./block-script.js";
import { makeVisibleDir } from "./visible-dir.js";
import { seesHostRoot } from "./proc-tree.js";

/** Where the FIFOs of sessions that share the host's root live. */
const HOST_ROOT_DIR = "/run/rootlab";

/**
 * FIFOs made at once (one `mkfifo` run; blocks take two each): few for a short lab, more and more for a long one,
 * since each run of mkfifo costs a process start (measured: most of the engine's own time per block at 64).
 */
const FIRST_POOL = 16;
const LARGEST_POOL = 1024;

interface Dir {
  seen: string;
  host: string;
  /** The folder by a path that outlives the session's process (a chroot's directory), when there is one. */
  lasting?: string;
  /** FIFO names made and not used yet. */
  pool: string[];
}

/** One FIFO a block writes to, read as it is written. */
class BlockFifo {
  private text = "";
  private readonly decoder = new StringDecoder("utf8");
  private readonly socket: Socket;
  private readonly buf = Buffer.alloc(64 * 1024);
  /** Called with text as it arrives (live output). */
  onText: ((text: string) => void) | undefined;

  constructor(
    readonly hostPath: string,
    private readonly fd: number,
    private readonly filter: (text: string) => string = (t) => t,
  ) {
    this.socket = new Socket({ fd, readable: true, writable: false });
    this.socket.on("data", (chunk: Buffer) => this.take(chunk));
    this.socket.on("error", () => undefined);
  }

  private take(chunk: Buffer): void {
    const text = this.filter(this.decoder.write(chunk));
    if (!text) return;
    if (this.onText) this.onText(text);
    else this.text += text;
  }

  /**
   * Reads what is still in the pipe (written before the block's end, maybe not yet seen by the event loop), then
   * hands the FIFO to a read-only end that drops what `&` jobs write later and closes at their end.
   */
  finish(): string {
    this.onText = undefined;
    for (;;) {
      let n = 0;
      try {
        n = readSync(this.fd, this.buf, 0, this.buf.length, null);
      } catch {
        break; // EAGAIN: empty
      }
      if (n <= 0) break;
      this.take(Buffer.from(this.buf.subarray(0, n)));
    }
    const rest = this.text + this.decoder.end();
    this.text = "";
    try {
      const late = new Socket({ fd: openSync(this.hostPath, constants.O_RDONLY | constants.O_NONBLOCK), readable: true, writable: false });
      late.on("data", () => undefined);
      late.on("error", () => undefined);
      late.on("end", () => late.destroy());
      unlinkSync(this.hostPath);
    } catch {
      // the folder is gone (the session's root went away): nobody can write there any more
    }
    this.socket.destroy();
    return rest;
  }
}

/** The output FIFOs of one block. */
export class BlockOutput {
  constructor(
    readonly files: BlockFiles,
    private readonly stdout: BlockFifo,
    private readonly stderr: BlockFifo,
    private readonly lineHostPath: string,
  ) {}

  /** Live output, in the order it was written. */
  onOutput(listener: (stream: "stdout" | "stderr", text: string) => void): void {
    this.stdout.onText = (text) => listener("stdout", text);
    this.stderr.onText = (text) => listener("stderr", text);
  }

  /** The rest of the output; the block is over. Returns the check-mode failing line too, if recorded. */
  finish(): { stdout: string; stderr: string; line?: number } {
    const stdout = this.stdout.finish();
    const stderr = this.stderr.finish();
    let line: number | undefined;
    if (existsSync(this.lineHostPath)) {
      try {
        const fd = openSync(this.lineHostPath, "r");
        const buf = Buffer.alloc(32);
        const n = readSync(fd, buf, 0, 32, 0);
        closeSync(fd);
        unlinkSync(this.lineHostPath);
        const parsed = Number(buf.subarray(0, n).toString("utf8").trim());
        if (Number.isInteger(parsed)) line = parsed;
      } catch {
        // unreadable: no line to report
      }
    }
    return { stdout, stderr, ...(line !== undefined ? { line } : {}) };
  }
}

export class BlockChannel {
  private dir: Dir | undefined;
  /** Every folder made (one more after each change of root), removed at close. */
  private readonly dirs: Dir[] = [];
  private made = 0;
  private poolSize = FIRST_POOL;

  /**
   * @param pid host pid of the session's shell: the folder must be inside that process's root
   * @param labDir the lab run's scratch folder (used when the session shares the host's root)
   * @param leaf a name unique to the session
   */
  constructor(
    private readonly pid: number,
    private readonly labDir: string,
    private readonly leaf: string,
  ) {}

  /** FIFOs for one block. The folder is made again when the session's root changed (pivot_root). */
  open(nonce: string): BlockOutput {
    const dir = this.folder();
    if (dir.pool.length < 2) this.refill(dir);
    const [o, e] = dir.pool.splice(0, 2) as [string, string];
    const out = openFifo(`${dir.host}/${o}`);
    let err: BlockFifo;
    try {
      err = openFifo(`${dir.host}/${e}`, withoutJobNotices);
    } catch (x) {
      out.finish();
      throw x;
    }
    return new BlockOutput({ stdout: `${dir.seen}/${o}`, stderr: `${dir.seen}/${e}`, line: `${dir.seen}/${nonce}.l` }, out, err, `${dir.host}/${nonce}.l`);
  }

  private folder(): Dir {
    // Seen through the shell's current root: after a pivot_root the folder must be made again, inside it.
    if (this.dir && existsSync(`/proc/${this.pid}/root${this.dir.seen}`)) return this.dir;
    const leaf = `${this.leaf}-${++this.made}`;
    // The session may run as another user (as_student unshare -Ur bash, nspawn -U maps its root elsewhere), and
    // LAB_DIR's parents need not let it in: with the host's root, the folder goes to /run/rootlab (0711).
    let made: { seen: string; host: string };
    if (seesHostRoot(this.pid)) {
      const seen = `${HOST_ROOT_DIR}/${leaf}`;
      mkdirSync(seen, { recursive: true, mode: 0o700 });
      chmodSync(HOST_ROOT_DIR, 0o711);
      made = { seen, host: seen };
    } else {
      made = makeVisibleDir(this.pid, this.labDir, leaf);
    }
    chmodSync(made.host, 0o733);
    this.dir = { ...made, pool: [], ...lastingPath(this.pid, made.seen) };
    this.dirs.push(this.dir);
    return this.dir;
  }

  private refill(dir: Dir): void {
    const names = Array.from({ length: this.poolSize }, (_v, i) => `f${this.made}-${Date.now().toString(36)}-${i}`);
    this.poolSize = Math.min(this.poolSize * 4, LARGEST_POOL);
    execFileSync("mkfifo", ["-m", "666", ...names.map((n) => `${dir.host}/${n}`)], { stdio: ["ignore", "ignore", "pipe"] });
    dir.pool.push(...names);
  }

  /** Removes the folder (while the session's root is still reachable). */
  close(): void {
    this.dir = undefined;
    for (const dir of this.dirs.splice(0)) {
      for (const path of [dir.host, dir.lasting]) {
        // A FIFO a late reader unlinks meanwhile makes one pass stop half-way: try again.
        for (let pass = 0; pass < 3 && path && existsSync(path); pass++) {
          try {
            rmSync(path, { recursive: true, force: true, maxRetries: 2 });
          } catch {
            // that root is gone
          }
        }
      }
    }
  }
}

/** For a chroot: the folder by its path in rootlab's own root, so it can be removed after the shell ended. */
function lastingPath(pid: number, seen: string): { lasting?: string } {
  try {
    const target = readlinkSync(`/proc/${pid}/root`);
    const a = statSync(target);
    const b = statSync(`/proc/${pid}/root`);
    return a.dev === b.dev && a.ino === b.ino && target !== "/" ? { lasting: `${target}${seen}` } : {};
  } catch {
    return {};
  }
}

/** Opens a FIFO without waiting for a writer: O_RDWR never blocks, and keeps it open until the shell opens it. */
function openFifo(path: string, filter?: (text: string) => string): BlockFifo {
  return new BlockFifo(path, openSync(path, constants.O_RDWR | constants.O_NONBLOCK), filter);
}

/**
 * An interactive bash announces every `cmd &` on its stderr ("[1] 4242"), even without job control; a block's
 * output is what its commands wrote, as when a script runs them. bash writes the notice in one piece.
 */
export function withoutJobNotices(text: string): string {
  return text.includes("] ") ? text.replace(/^\[\d+\] \d+\n/gm, "") : text;
}

// Where a session's blocks write their output: a folder the session's shell can see (/run/rootlab/… for sessions
// with the host's root, else /tmp/.rootlab-… inside the session's own root), holding two FIFOs per block. The block's
// redirections open them by path, so nothing a block does to its file descriptors reaches another block or
// rootlab's status line. rootlab reads them through the event loop as the block writes (so stdout and stderr keep
// the order they were written in) and drains them once more when the block's status line arrives. Then a FIFO
// that nothing holds open any more (the usual case) is reused by a later block; one that a `&` job still writes
// to is handed to a read-only end that reads and drops what it writes (never SIGPIPEd, never blocked, never mixed
// into another block) and closes at its end, and its name is removed so no later block gets it.
// FIFOs are made by `mkfifo` ahead of need, never with a synchronous spawn (one blocked the event loop for tens of
// milliseconds: measured, most of the engine's own cost per block when every block took new FIFOs).
import { execFile } from "node:child_process";
import { chmodSync, mkdirSync, closeSync, constants, existsSync, openSync, readlinkSync, readSync, rmSync, statSync, unlinkSync } from "node:fs";
import { Socket } from "node:net";
import { StringDecoder } from "node:string_decoder";
import type { BlockFiles } from "./block-script.js";
import { makeVisibleDir } from "./visible-dir.js";
import { seesHostRoot } from "./proc-tree.js";

/** Where the FIFOs of sessions that share the host's root live. */
const HOST_ROOT_DIR = "/run/rootlab";

/**
 * FIFOs made at once (one run of mkfifo; blocks take two each). Blocks give theirs back when nothing else holds
 * them, so a session needs more only while `&` jobs keep some; each run asks for more than the one before.
 */
const FIRST_POOL = 8;
const LARGEST_POOL = 256;
/** Below this many free FIFOs, more are made in the background, before a block has to wait for them. */
const LOW_WATER = 4;

interface Dir {
  seen: string;
  host: string;
  /** The folder by a path that outlives the session's process (a chroot's directory), when there is one. */
  lasting?: string;
  /** FIFO names made and free: new, or given back by a block whose FIFO nothing holds open any more. */
  pool: string[];
  /** The mkfifo run under way, if any. */
  refilling?: Promise<void>;
}

/** For the synchronous reads at a block's end (one at a time): allocating 64 KiB per FIFO per block showed up. */
const scratch = Buffer.alloc(64 * 1024);

/**
 * One FIFO a block writes to, read as it is written through a read-only end. Before the shell opens it, that end
 * sees nothing (Linux reports no hang-up on a FIFO no writer has opened yet); end of file means every writer has
 * closed it: the block and any `&` job it started.
 */
class BlockFifo {
  private text = "";
  private readonly decoder = new StringDecoder("utf8");
  private readonly socket: Socket;
  /** Every writer closed it (end of file seen by the event loop). */
  private eof = false;
  /** The block is over: what is written now is a `&` job's, dropped. */
  private over = false;
  /** Called with text as it arrives (live output). */
  onText: ((text: string) => void) | undefined;

  constructor(
    readonly hostPath: string,
    private readonly fd: number,
    private readonly filter: (text: string) => string = (t) => t,
  ) {
    this.socket = new Socket({ fd, readable: true, writable: false });
    this.socket.on("data", (chunk: Buffer) => this.take(chunk));
    this.socket.on("end", () => (this.eof = true));
    this.socket.on("error", () => undefined);
  }

  private take(chunk: Buffer): void {
    if (this.over) return;
    const text = this.filter(this.decoder.write(chunk));
    if (!text) return;
    if (this.onText) this.onText(text);
    else this.text += text;
  }

  /**
   * Reads what is still in the pipe (written before the block's end, maybe not yet seen by the event loop). A FIFO
   * that no writer holds any more is closed and free for another block (`reusable`); one that a `&` job of the
   * block still holds keeps being read, its text dropped, until the job closes it, and its name is removed.
   */
  finish(): { text: string; reusable: boolean } {
    this.onText = undefined;
    // What the stream holds already (read() hands it to the "data" listener, which takes it).
    while (this.socket.readableLength > 0 && this.socket.read() !== null);
    // Once the event loop saw end of file the descriptor may be closed already: never read it then.
    const writersLeft = this.eof || this.socket.destroyed ? false : this.drain();
    const text = this.text + this.decoder.end();
    this.text = "";
    this.over = true;
    if (!writersLeft) {
      this.socket.destroy();
      return { text, reusable: this.eof || !this.socket.errored };
    }
    try {
      unlinkSync(this.hostPath);
    } catch {
      // the folder is gone (the session's root went away): nobody can open it again
    }
    return { text, reusable: false };
  }

  /** Reads the pipe until it is empty; true when a writer still holds it (no end of file yet). */
  private drain(): boolean {
    for (;;) {
      let n: number;
      try {
        n = readSync(this.fd, scratch, 0, scratch.length, null);
      } catch (err) {
        return (err as NodeJS.ErrnoException).code === "EAGAIN"; // empty, and a writer is left
      }
      if (n === 0) return false; // end of file: no writer is left
      this.take(scratch.subarray(0, n)); // decoded at once, so the scratch buffer can be read into again
    }
  }
}

/** The output FIFOs of one block. */
export class BlockOutput {
  constructor(
    readonly files: BlockFiles,
    private readonly stdout: BlockFifo,
    private readonly stderr: BlockFifo,
    /** Where a check-mode block records its failing line; undefined in script mode (it writes none). */
    private readonly lineHostPath: string | undefined,
    /** Takes back a FIFO that nothing holds open any more. */
    private readonly giveBack: (hostPath: string) => void,
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
    if (stdout.reusable) this.giveBack(this.stdout.hostPath);
    if (stderr.reusable) this.giveBack(this.stderr.hostPath);
    const line = this.lineHostPath === undefined ? undefined : readLine(this.lineHostPath);
    return { stdout: stdout.text, stderr: stderr.text, ...(line !== undefined ? { line } : {}) };
  }
}

/** The failing line a check wrote (and the file removed), if it wrote one. */
function readLine(path: string): number | undefined {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return undefined; // no command failed
  }
  try {
    const buf = Buffer.alloc(32);
    const n = readSync(fd, buf, 0, 32, 0);
    unlinkSync(path);
    const parsed = Number(buf.subarray(0, n).toString("utf8").trim());
    return Number.isInteger(parsed) ? parsed : undefined;
  } catch {
    return undefined; // unreadable: no line to report
  } finally {
    closeSync(fd);
  }
}

export class BlockChannel {
  private dir: Dir | undefined;
  /** Every folder made (one more after each change of root), removed at close. */
  private readonly dirs: Dir[] = [];
  private made = 0;
  private poolSize = FIRST_POOL;
  private closed = false;

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

  /**
   * FIFOs for one block (`check`: a check-mode block, which also records its failing line). The folder is made
   * again when the session's root changed (pivot_root). Waits only when no FIFO is free.
   */
  async open(nonce: string, check = false): Promise<BlockOutput> {
    const dir = this.folder();
    if (dir.pool.length < LOW_WATER) this.refill(dir);
    while (dir.pool.length < 2) await this.refill(dir);
    const [o, e] = dir.pool.splice(0, 2) as [string, string];
    const giveBack = (hostPath: string) => dir.pool.push(hostPath.slice(dir.host.length + 1));
    const out = openFifo(`${dir.host}/${o}`);
    let err: BlockFifo;
    try {
      err = openFifo(`${dir.host}/${e}`, withoutJobNotices);
    } catch (x) {
      out.finish();
      throw x;
    }
    const files = { stdout: `${dir.seen}/${o}`, stderr: `${dir.seen}/${e}`, line: `${dir.seen}/${nonce}.l` };
    return new BlockOutput(files, out, err, check ? `${dir.host}/${nonce}.l` : undefined, giveBack);
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

  /** Makes more FIFOs in the background (one mkfifo run at a time per folder); rejects when mkfifo fails. */
  private refill(dir: Dir): Promise<void> {
    dir.refilling ??= new Promise<void>((resolve, reject) => {
      const names = Array.from({ length: this.poolSize }, (_v, i) => `f${this.made}-${Date.now().toString(36)}-${i}`);
      this.poolSize = Math.min(this.poolSize * 4, LARGEST_POOL);
      execFile("mkfifo", ["-m", "666", ...names.map((n) => `${dir.host}/${n}`)], (err, _stdout, stderr) => {
        dir.refilling = undefined;
        // The channel closed while mkfifo ran: what it made goes too.
        if (this.closed) removeDir(dir);
        if (err) return reject(new Error(`mkfifo failed: ${String(stderr).trim() || err.message}`));
        dir.pool.push(...names);
        resolve();
      });
    });
    // A background refill nobody waits for must not be an unhandled rejection; open() sees the failure itself.
    dir.refilling.catch(() => undefined);
    return dir.refilling;
  }

  /** Removes the folder (while the session's root is still reachable). */
  close(): void {
    this.closed = true;
    this.dir = undefined;
    for (const dir of this.dirs.splice(0)) removeDir(dir);
  }
}

function removeDir(dir: Dir): void {
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

/** Opens a FIFO's read end without waiting for a writer (the shell opens the write end when the block starts). */
function openFifo(path: string, filter?: (text: string) => string): BlockFifo {
  return new BlockFifo(path, openSync(path, constants.O_RDONLY | constants.O_NONBLOCK), filter);
}

/**
 * An interactive bash announces every `cmd &` on its stderr ("[1] 4242"), even without job control; a block's
 * output is what its commands wrote, as when a script runs them. bash writes the notice in one piece.
 */
export function withoutJobNotices(text: string): string {
  return text.includes("] ") ? text.replace(/^\[\d+\] \d+\n/gm, "") : text;
}

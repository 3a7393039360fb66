// Where a session's blocks write their output: a folder the session's shell can see (/run/rootlab/… for sessions
// with the host's root, else /tmp/.rootlab-… inside the session's own root), holding two FIFOs per block and the
// empty file every block reads as its stdin (`in`). The block's
// redirections open them by path, so nothing a block does to its file descriptors reaches another block or
// rootlab's status line. Reading them: ./block-output.ts. A FIFO that nothing holds open any more at the block's
// end (the usual case) is reused by a later block; one that a `&` job still writes to is drained and dropped until
// the job closes it, and its name is removed so no later block gets it.
// FIFOs are made by `mkfifo` ahead of need, never with a synchronous spawn (one blocked the event loop for tens of
// milliseconds: measured, most of the engine's own cost per block when every block took new FIFOs).
import { processAlive } from "../core/process-alive.js";
import { execFile } from "node:child_process";
import { chmodSync, closeSync, mkdirSync, existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { BlockOutput, openFifo } from "./block-output.js";
import { lastingPath, makeVisibleDir, sameFolder } from "./visible-dir.js";
import { seesHostRoot } from "./proc-tree.js";

/** The empty file in each folder that blocks read as their stdin. */
const STDIN = "in";

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

/** The next block's two FIFOs, taken from a folder's pool with their read ends open (see prepare). */
interface ReadyPair {
  dir: Dir;
  names: [string, string];
  fds: { stdout: number; stderr: number };
}

export class BlockChannel {
  private dir: Dir | undefined;
  /** Every folder made (one more after each change of root), removed at close. */
  private readonly dirs: Dir[] = [];
  private made = 0;
  /** FIFOs named so far. */
  private fifos = 0;
  private poolSize = FIRST_POOL;
  private closed = false;
  private ready: ReadyPair | undefined;

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
   * again after lost() found that the session's root changed (pivot_root). Waits only when no FIFO is free.
   */
  async open(nonce: string, check = false): Promise<BlockOutput> {
    // A block queued behind the one in flight can get here after close(): a folder made now would be nobody's
    // to remove (close already ran), and a CLI that exits at once leaves it behind.
    if (this.closed) throw new Error("its session is closing");
    const dir = this.folder();
    const ready = this.takeReady(dir);
    if (dir.pool.length < LOW_WATER) this.refill(dir);
    if (!ready) while (dir.pool.length < 2) await this.refill(dir);
    return outputIn(dir, ready?.names ?? (dir.pool.splice(0, 2) as [string, string]), nonce, check, ready?.fds);
  }

  /**
   * open() for a block built ahead of its turn (./block-ahead.ts): only with the pair opened ahead in the folder
   * the shell sees now, so it never waits; undefined otherwise.
   */
  openReady(nonce: string, check = false): BlockOutput | undefined {
    const ready = this.ready;
    if (this.closed || !ready || ready.dir !== this.dir) return undefined;
    this.ready = undefined;
    return outputIn(ready.dir, ready.names, nonce, check, ready.fds);
  }

  /** Whether OUTPUT's files are in the folder the shell sees now (lost() has not given that folder up since). */
  current(output: BlockOutput): boolean {
    return !this.closed && this.dir !== undefined && output.files.stdin === `${this.dir.seen}/${STDIN}`;
  }

  /**
   * Takes the next block's FIFOs from the pool and opens their read ends now, while the shell runs the block just
   * sent: the opens are then off the next block's path (measured: two opens per block). Never waits: nothing is
   * done when the pool is short. Only free FIFOs are taken (no `&` job holds them: those are never given back).
   */
  prepare(): void {
    const dir = this.dir;
    if (this.closed || this.ready || !dir || dir.pool.length < 2) return;
    const names = dir.pool.splice(0, 2) as [string, string];
    let stdout: number | undefined;
    try {
      stdout = openFifo(`${dir.host}/${names[0]}`);
      this.ready = { dir, names, fds: { stdout, stderr: openFifo(`${dir.host}/${names[1]}`) } };
    } catch {
      // The folder went away (the session's root changed or ended): open() makes a new one.
      if (stdout !== undefined) closeSync(stdout);
    }
  }

  /** The pair opened ahead, if it is in `dir` (else it is closed: the session's root changed meanwhile). */
  private takeReady(dir: Dir): ReadyPair | undefined {
    const ready = this.ready;
    this.ready = undefined;
    if (ready?.dir === dir) return ready;
    if (ready) closeReady(ready);
    return undefined;
  }

  /**
   * Whether the shell lost sight of the folder (its root changed: pivot_root, chroot; or a block removed it) and a
   * block could therefore not open its files; the folder is then made again, or its stdin file put back, and true
   * says the block may be sent again. Asked only after a block that failed without running its body: looking
   * through /proc before every block was a good part of the engine's own cost per block (docs/benchmarks.md).
   */
  lost(): boolean {
    const dir = this.dir;
    if (!dir || this.closed) return false;
    // Its stdin file stands for the folder; a block that removed only that file gets it back.
    if (existsSync(`/proc/${this.pid}/root${dir.seen}/${STDIN}`)) return false;
    if (existsSync(`/proc/${this.pid}/root${dir.seen}`) && makeStdin(dir.host)) return true;
    this.dir = undefined; // the next block makes it again, inside the shell's current root
    return true;
  }

  private folder(): Dir {
    if (this.dir) return this.dir;
    const leaf = `${this.leaf}-${++this.made}`;
    // The session may run as another user (as_student unshare -Ur bash, nspawn -U maps its root elsewhere), and
    // LAB_DIR's parents need not let it in: with the host's root, the folder goes to /run/rootlab (0711).
    let made: { seen: string; host: string };
    if (seesHostRoot(this.pid)) {
      sweepDeadOwners();
      // Made through /proc/PID/root, i.e. in the session's own mount namespace: a block may have mounted a tmpfs
      // over /run there (unshare -m, ip netns exec). rootlab reaches it by its plain path when that is the same
      // folder (it then outlives the session, to be removed at close), else only through /proc.
      const seen = `${HOST_ROOT_DIR}/p${process.pid}-${leaf}`;
      const through = `/proc/${this.pid}/root${seen}`;
      mkdirSync(through, { recursive: true, mode: 0o700 });
      chmodSync(`/proc/${this.pid}/root${HOST_ROOT_DIR}`, 0o711);
      made = { seen, host: sameFolder(seen, through) ? seen : through };
    } else {
      made = makeVisibleDir(this.pid, this.labDir, leaf);
    }
    chmodSync(made.host, 0o733);
    makeStdin(made.host);
    this.dir = { ...made, pool: [], ...lastingPath(this.pid, made.seen) };
    this.dirs.push(this.dir);
    return this.dir;
  }

  /** Makes more FIFOs in the background (one mkfifo run at a time per folder); rejects when mkfifo fails. */
  private refill(dir: Dir): Promise<void> {
    dir.refilling ??= new Promise<void>((resolve, reject) => {
      // Short names (they are in every block's text): unique in the channel's folders by a counter.
      const names = Array.from({ length: this.poolSize }, () => `f${(this.fifos++).toString(36)}`);
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
    if (this.ready) closeReady(this.ready);
    this.ready = undefined;
    this.dir = undefined;
    for (const dir of this.dirs.splice(0)) removeDir(dir);
  }
}

/** A block's output in DIR, through FIFOs NAMES (their read ends FDS when opened ahead). */
function outputIn(dir: Dir, [o, e]: [string, string], nonce: string, check: boolean, fds?: ReadyPair["fds"]): BlockOutput {
  const giveBack = (hostPath: string) => dir.pool.push(hostPath.slice(dir.host.length + 1));
  const files = { stdin: `${dir.seen}/${STDIN}`, stdout: `${dir.seen}/${o}`, stderr: `${dir.seen}/${e}`, line: `${dir.seen}/${nonce}.l` };
  const hostPaths = { stdout: `${dir.host}/${o}`, stderr: `${dir.host}/${e}` };
  return new BlockOutput(files, hostPaths, check ? `${dir.host}/${nonce}.l` : undefined, giveBack, fds);
}

/**
 * Folders in /run/rootlab whose rootlab process is gone. Close removes a run's folders, but a process killed
 * with SIGKILL (or a test runner's timeout) cannot: its folders are named after its pid, and the next run on
 * the machine removes those whose process no longer exists. Once per process.
 */
let swept = false;
function sweepDeadOwners(): void {
  if (swept) return;
  swept = true;
  let names: string[] = [];
  try {
    names = readdirSync(HOST_ROOT_DIR);
  } catch {
    return; // no folder yet
  }
  for (const name of names) {
    const pid = Number(/^p(\d+)-ch-/.exec(name)?.[1]);
    if (pid > 0 && pid !== process.pid && !processAlive(pid)) removeDir({ seen: "", host: `${HOST_ROOT_DIR}/${name}`, pool: [] });
  }
}


/** The folder's empty stdin file, readable by the session's user whoever that is; false when it cannot be made. */
function makeStdin(host: string): boolean {
  try {
    writeFileSync(`${host}/${STDIN}`, "", { mode: 0o444 });
    chmodSync(`${host}/${STDIN}`, 0o444);
    return true;
  } catch {
    return false;
  }
}

function closeReady(ready: ReadyPair): void {
  closeSync(ready.fds.stdout);
  closeSync(ready.fds.stderr);
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

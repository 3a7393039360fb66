// Every session's shell lives on a pseudo-terminal of its own from the start, the way a person's shell does:
// rootlab holds the master side, drives the shell through it (echo off, no line editing, no prompts), and can hand
// the very same terminal to the learner. node-pty (@lydell/node-pty: prebuilt, no compiler needed) does the
// forkpty(): the child is a session leader with the terminal as its controlling terminal, so job control, Ctrl-C
// and full-screen programs work when the learner types; its exit is reported by waitpid, never by polling.
import { createRequire } from "node:module";
import { constants } from "node:os";

export interface PtyExit {
  status: number | null;
  signal: NodeJS.Signals | null;
}

/** A process on a terminal of its own. */
export interface PtyProcess {
  /** pid of the process rootlab started (the terminal's session leader). */
  readonly pid: number;
  write(text: string): void;
  onData(listener: (text: string) => void): void;
  onExit(listener: (exit: PtyExit) => void): void;
  resize(cols: number, rows: number): void;
  /** Closes rootlab's side; the kernel hangs up the terminal (SIGHUP to its foreground processes). */
  destroy(): void;
}

export interface PtySpawnOptions {
  cwd: string;
  env: Record<string, string>;
  cols?: number;
  rows?: number;
}

interface NodePtyProcess {
  pid: number;
  onData(cb: (d: string) => void): { dispose(): void };
  onExit(cb: (e: { exitCode: number; signal?: number }) => void): { dispose(): void };
  write(d: string): void;
  resize(cols: number, rows: number): void;
  kill(signal?: string): void;
  destroy?(): void;
}
interface NodePty {
  spawn(file: string, args: string[], opts: { name: string; cols: number; rows: number; cwd: string; env: Record<string, string> }): NodePtyProcess;
}

let loaded: NodePty | undefined;

function nodePty(): NodePty {
  if (loaded) return loaded;
  try {
    // A CommonJS native module: required, not imported, so loading it costs nothing until a session starts.
    loaded = createRequire(import.meta.url)("@lydell/node-pty") as NodePty;
    return loaded;
  } catch (err) {
    throw new Error(
      `rootlab cannot open pseudo-terminals: the package @lydell/node-pty did not load (${(err as Error).message.split("\n")[0]}). ` +
        "Fix: run `npm ci` in the rootlab folder (it installs the prebuilt binary for this machine).",
    );
  }
}

/**
 * Longer text goes to the terminal in pieces this long, one per turn of the event loop. node-pty's write spins
 * until the terminal takes the text, and a shell that echoes its input (busybox ash) stops taking it once its
 * echo fills the terminal's other direction, which rootlab reads only between turns: a 40 KB block hung both.
 */
const PIECE = 1024;

const SIGNAL_NAMES = new Map<number, NodeJS.Signals>(
  Object.entries(constants.signals).map(([name, n]) => [n, name as NodeJS.Signals]),
);

/** Starts `file args` on a new pseudo-terminal. Throws with a reason a person can act on. */
export function spawnOnPty(file: string, args: string[], opts: PtySpawnOptions): PtyProcess {
  const term = nodePty().spawn(file, args, {
    name: opts.env.TERM ?? "xterm-256color",
    cols: opts.cols ?? 80,
    rows: opts.rows ?? 24,
    cwd: opts.cwd,
    env: opts.env,
  });
  const exitListeners: ((exit: PtyExit) => void)[] = [];
  let exited: PtyExit | undefined;
  term.onExit(({ exitCode, signal }) => {
    exited = signal ? { status: null, signal: SIGNAL_NAMES.get(signal) ?? "SIGKILL" } : { status: exitCode, signal: null };
    for (const listener of exitListeners.splice(0)) listener(exited);
  });
  // Text waiting to be written, in order (see PIECE).
  const queue: string[] = [];
  const writeNext = (): void => {
    const piece = queue[0];
    if (piece === undefined) return;
    if (!exited) term.write(piece);
    queue.shift();
    if (queue.length) setImmediate(writeNext);
  };
  return {
    pid: term.pid,
    write: (text) => {
      if (exited) return;
      if (!queue.length && text.length <= PIECE) return term.write(text);
      const start = queue.length === 0;
      for (let i = 0; i < text.length; i += PIECE) queue.push(text.slice(i, i + PIECE));
      if (start) writeNext();
    },
    onData: (listener) => void term.onData(listener),
    onExit: (listener) => {
      if (exited) listener(exited);
      else exitListeners.push(listener);
    },
    resize: (cols, rows) => {
      try {
        if (!exited && cols > 0 && rows > 0) term.resize(cols, rows);
      } catch {
        // the terminal is closing
      }
    },
    destroy: () => {
      try {
        term.destroy?.();
      } catch {
        // closed already
      }
    },
  };
}

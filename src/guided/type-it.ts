// "I'll type it myself": a real interactive shell, in a pseudo-terminal, inside the step's session — its
// namespaces, root, working directory and variables — with the learner's keyboard passed through raw.
// When they leave (Ctrl-D or `exit`), the shell's working directory and variables are carried back into the
// runner's session, so the checks judge what the learner did and later steps continue from there.
import { randomBytes } from "node:crypto";
import { readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { SessionState, Sessions } from "../exec/types.js";
import { parseExportP } from "../exec/export-parse.js";
import { shellQuote, sessionStateAfter } from "./type-it-state.js";

export type TypeItResult =
  | { kind: "returned"; carried: "state" | "nothing"; exitCode: number; note?: string; typed?: string[] }
  | { kind: "unavailable"; reason: string }
  | { kind: "session-dead"; reason: string };

export interface TypeItOptions {
  sessions: Sessions;
  session: string;
  /** Host folder for the state file (LAB_DIR). */
  scratchDir: string;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  /** Ends the shell (SIGHUP to it) when the run is interrupted, e.g. the terminal closed. */
  signal?: AbortSignal;
}

interface PtyModule {
  spawn(file: string, args: string[], opts: { name: string; cols: number; rows: number; cwd: string; env: Record<string, string> }): PtyProcess;
}
interface PtyProcess {
  onData(cb: (d: string) => void): { dispose(): void };
  onExit(cb: (e: { exitCode: number; signal?: number }) => void): { dispose(): void };
  write(d: string | Buffer): void;
  resize(cols: number, rows: number): void;
  kill(signal?: string): void;
}

const PTY_MISSING =
  "typing commands yourself needs the optional package @lydell/node-pty, which is not installed here.\n" +
  "Fix: in the rootlab folder run `npm install --include=optional`, or choose \"run it for me\".";

async function loadPty(): Promise<PtyModule | string> {
  try {
    const mod = (await import("@lydell/node-pty")) as unknown as PtyModule & { default?: PtyModule };
    return typeof mod.spawn === "function" ? mod : (mod.default ?? PTY_MISSING);
  } catch (err) {
    return `${PTY_MISSING}\n(${(err as Error).message.split("\n")[0]})`;
  }
}

async function isDir(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isDirectory(), () => false);
}

async function isExecutableFile(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile() && (s.mode & 0o111) !== 0, () => false);
}

/**
 * The shell to start, as a path inside the session's root: the session's own shell ($0) when that root has it
 * (a bare name is looked up on the session's PATH), else /bin/sh — after pivot_root into a busybox root the
 * session's "bash" may exist only in memory. Undefined when the root has neither.
 */
export async function shellInSession(state: SessionState): Promise<string | undefined> {
  const root = `/proc/${state.pid}/root`;
  const candidates: string[] = [];
  if (state.shell.startsWith("/")) candidates.push(state.shell);
  else if (state.shell) for (const dir of (state.env.PATH ?? "/usr/local/bin:/usr/bin:/bin").split(":")) if (dir.startsWith("/")) candidates.push(join(dir, state.shell));
  candidates.push("/bin/sh");
  for (const path of candidates) if (await isExecutableFile(`${root}${path}`)) return path;
  return undefined;
}

/** The shell's start-up file, written where the session can read it: its own /tmp, else its root. */
async function writeRcFile(state: SessionState, session: string, isBash: boolean): Promise<{ hostPath: string; innerPath: string }> {
  const root = `/proc/${state.pid}/root`;
  const name = `.rootlab-typeit-${randomBytes(4).toString("hex")}.sh`;
  const innerDir = (await isDir(`${root}/tmp`)) ? "/tmp" : "/";
  const innerPath = join(innerDir, name);
  const prompt = isBash ? `(rootlab ${session}) \\w \\$ ` : `(rootlab ${session}) $ `;
  const rc = [
    // Removed at once: the learner's filesystem keeps no trace of rootlab.
    `rm -f ${shellQuote(innerPath)} 2>/dev/null`,
    // Not exported: a shell the learner starts from here (chroot, unshare) must show its own prompt.
    `PS1=${shellQuote(prompt)}`,
    // Same as the runner's sessions: every variable set is exported, so it can be carried back.
    "set -a",
    `cd ${shellQuote(state.cwd)} 2>/dev/null`,
    // bash: this shell's own history only (never ~/.bash_history), kept for "Raise hand" and nowhere else.
    ...(isBash ? ["unset HISTFILE"] : []),
    // fd 3 is a file on the host, opened before entering the namespaces: reachable even inside a chroot.
    `__rootlab_save() { { pwd; echo ::rootlab-exports::; export -p;${isBash ? " echo ::rootlab-history::; fc -ln 1 2>/dev/null;" : ""} } >&3 2>/dev/null; }`,
    "trap __rootlab_save EXIT",
    "",
  ].join("\n");
  await writeFile(`${root}${innerPath}`, rc, { mode: 0o644 });
  return { hostPath: `${root}${innerPath}`, innerPath };
}

/** Marks where the shell's history starts in the state file (after its directory and variables). */
const HISTORY = "\n::rootlab-history::\n";

// Opens fd 3 on the host-side state file, then enters the session's namespaces, root and working directory.
const WRAPPER = 'exec 3>"$1"; shift; exec "$@"';

export async function typeItYourself(opts: TypeItOptions): Promise<TypeItResult> {
  const { sessions, session } = opts;
  if (!sessions.alive(session)) return { kind: "session-dead", reason: `session ${session} is no longer running, so there is no shell to type into` };
  const pty = await loadPty();
  if (typeof pty === "string") return { kind: "unavailable", reason: pty };
  const nsenter = (await stat("/usr/bin/nsenter").then(() => "/usr/bin/nsenter", () => undefined)) ?? "nsenter";

  let state: SessionState;
  try {
    state = await sessions.snapshot(session);
  } catch (err) {
    return { kind: "session-dead", reason: (err as Error).message };
  }
  const shell = await shellInSession(state);
  if (!shell) {
    return { kind: "unavailable", reason: `there is no shell to start in session ${session}: its root has neither ${state.shell || "its shell"} nor /bin/sh. Choose "run it for me" instead.` };
  }
  const isBash = /bash$/.test(shell);
  let rc: { hostPath: string; innerPath: string };
  try {
    rc = await writeRcFile(state, session, isBash);
  } catch (err) {
    return { kind: "unavailable", reason: `rootlab could not prepare a shell in session ${session} (its root has no writable /tmp or /: ${(err as Error).message}). Choose "run it for me" instead.` };
  }
  const stateFile = join(opts.scratchDir, `typeit-state-${randomBytes(4).toString("hex")}`);
  const shellArgv = isBash ? [shell, "--noprofile", "--rcfile", rc.innerPath, "-i"] : [shell, "-i"];
  const env: Record<string, string> = { ...state.env, TERM: process.env.TERM ?? "xterm-256color" };
  if (!isBash) env.ENV = rc.innerPath;
  delete env.BASH_ENV;
  delete env.PS1;
  delete env.PROMPT_COMMAND;
  const args = ["-c", WRAPPER, "rootlab-typeit", stateFile, nsenter, "-t", String(state.pid), "-a", "--root", "--wd", "--", ...shellArgv];

  const { stdin, stdout } = opts;
  let child: PtyProcess;
  try {
    child = pty.spawn("/bin/sh", args, { name: env.TERM!, cols: stdout.columns || 80, rows: stdout.rows || 24, cwd: "/", env });
  } catch (err) {
    await rm(rc.hostPath, { force: true }).catch(() => undefined);
    return { kind: "unavailable", reason: `could not open a pseudo-terminal: ${(err as Error).message}` };
  }
  const onInput = (d: Buffer) => child.write(d);
  const onResize = () => child.resize(stdout.columns || 80, stdout.rows || 24);
  const onAbort = () => child.kill("SIGHUP");
  const wasRaw = stdin.isRaw;
  stdin.setRawMode?.(true);
  stdin.on("data", onInput);
  stdin.resume();
  stdout.on("resize", onResize);
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  const dataSub = child.onData((d) => {
    try {
      stdout.write(d);
    } catch {
      // The terminal went away (SIGHUP); the abort handler ends the shell.
    }
  });
  const exit = await new Promise<{ exitCode: number }>((resolve) => child.onExit((e) => resolve(e)));
  dataSub.dispose();
  stdin.off("data", onInput);
  await discardTypeahead(stdin);
  stdin.setRawMode?.(wasRaw ?? false);
  stdout.off("resize", onResize);
  opts.signal?.removeEventListener("abort", onAbort);
  await rm(rc.hostPath, { force: true }).catch(() => undefined);

  const saved = await readFile(stateFile, "utf8").catch(() => "");
  await rm(stateFile, { force: true }).catch(() => undefined);
  const sep = saved.indexOf("\n::rootlab-exports::\n");
  if (!sessions.alive(session)) return { kind: "session-dead", reason: `session ${session} ended while you were typing` };
  if (sep === -1 && (exit.exitCode === 126 || exit.exitCode === 127)) {
    // nsenter could not execute the shell: the learner typed nothing, so nothing may be checked as theirs.
    return { kind: "unavailable", reason: `the shell ${shell} could not be started in session ${session} (exit status ${exit.exitCode}); nothing you typed ran. Choose "run it for me" instead.` };
  }
  if (sep === -1) {
    return { kind: "returned", carried: "nothing", exitCode: exit.exitCode, note: "rootlab could not read your shell's directory and variables when it ended (was it replaced with exec?); the session keeps what it had." };
  }
  const hist = saved.indexOf(HISTORY, sep);
  const after = { cwd: saved.slice(0, sep), env: parseExportP(saved.slice(sep + "\n::rootlab-exports::\n".length, hist === -1 ? undefined : hist)) };
  const typed = hist === -1 ? [] : saved.slice(hist + HISTORY.length).split("\n").map((l) => l.trim()).filter(Boolean);
  try {
    await sessions.restore(session, sessionStateAfter(state, after));
  } catch (err) {
    return { kind: "returned", carried: "nothing", exitCode: exit.exitCode, note: `Your directory and variables could not be carried back: ${(err as Error).message}.` };
  }
  return { kind: "returned", carried: "state", exitCode: exit.exitCode, typed };
}

/**
 * Keys typed after the shell ended (a second Ctrl-D, Enter) must not answer the next menu: read and drop what
 * the terminal already holds, then stop reading. One poll of the event loop reads everything pending.
 */
async function discardTypeahead(stdin: NodeJS.ReadStream): Promise<void> {
  if (stdin.destroyed || stdin.readableEnded) return;
  const drop = () => undefined;
  stdin.on("data", drop);
  stdin.resume();
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  stdin.off("data", drop);
  stdin.pause();
  while (stdin.read() !== null) {
    // dropped
  }
}

// Long-lived shell sessions that blocks run in (the Sessions interface of ./types.ts). `host` is a bash that rootlab
// spawns; `enter=NAME` blocks turn a command (unshare … bash, chroot DIR /bin/sh, nspawn …) into session NAME.
// Protocol: ./block-script.ts; one shell: ./session-shell.ts; its start and handshake: ./session-start.ts; enter:
// ./enter.ts; background and stopping (a timed-out block's processes too): ./lifecycle.ts; the ROOTLAB_SESSION_*_PID
// exports: ./session-pid-exports.ts.
import { randomBytes } from "node:crypto";
import type { BlockResult, LearnerTerminal, RunRequest, Sessions, SessionState, TypedTurn } from "./types.js";
import { blockScript, rawScript, type BlockMode } from "./block-script.js";
import { BlockChannel } from "./block-channel.js";
import { BlockAhead, splitBlock, type NextBlock, type ReadyBlock } from "./block-ahead.js";
import type { BlockOutput } from "./block-output.js";
import type { ShellCommand } from "../shell/types.js";
import { SessionShell } from "./session-shell.js";
import { SessionPidExports } from "./session-pid-exports.js";
import type { ShellOutcome } from "./shell-outcome.js";
import { endedEarlier, failed, toResult, watchEnding, type SessionEnded } from "./block-result.js";
import { procId } from "./proc-tree.js";
import { parseSnapshot, SNAPSHOT_COMMANDS } from "./session-state.js";
import { typeInto as typeIntoShell } from "./typed-shell.js";
import { enterSession, type SessionContext } from "./enter.js";
import { sessionDefinitions } from "./terminal-modes.js";
import { handshake, spawnHostShell, type Handshake } from "./session-start.js";

import { closeAll, endSessions, killBlockProcesses, startBackground, type Job } from "./lifecycle.js";

export interface SessionsOptions {
  /** The environment of the host session (LAB_DIR, LAB_ID, PATH with shims first, ROOTLAB_RUN_ID …). */
  env: Record<string, string>;
  /** The lab run's scratch folder; rootlab keeps FIFOs and background logs in `<labDir>/.rootlab/`. */
  labDir: string;
  /** Working directory of the host session (default: labDir). */
  cwd?: string;
  /** Told once per session whose shell is gone: by itself (exit, set -e, killed) or closed by rootlab. */
  onEnded?: (ended: SessionEnded) => void;
}

export type { SessionEnded } from "./block-result.js";

export async function openSessions(opts: SessionsOptions): Promise<Sessions> {
  const sessions = new LabSessions(opts);
  await sessions.start();
  return sessions;
}

/** The variable that tells blocks a session's host pid. */
export { sessionPidVar } from "../format/session-var.js";

class LabSessions implements Sessions, SessionContext {
  private readonly shells = new Map<string, SessionShell>();
  private readonly jobs: Job[] = [];
  private readonly pidExports = new SessionPidExports<SessionShell>();
  /** Per session name: the tail of its queue (blocks in one session run one at a time). */
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly noncePrefix = randomBytes(4).toString("hex");
  private counter = 0;
  /** The lab run's next block, made ready while the one before it runs. */
  private readonly ahead = new BlockAhead(() => this.nonce(), (nonce) => this.keyOf(nonce));
  private closing: Promise<string[]> | undefined;
  /** Sessions that end() ended: their end is rootlab's doing, not their own (an ended shell never lives again). */
  private readonly ending = new WeakSet<SessionShell>();
  readonly labDir: string;
  readonly runId: string | undefined;

  constructor(private readonly opts: SessionsOptions) {
    this.labDir = opts.labDir;
    this.runId = opts.env.ROOTLAB_RUN_ID;
  }

  async start(): Promise<void> {
    const { tty } = spawnHostShell(this.opts.cwd ?? this.opts.labDir, this.opts.env);
    const shell = new SessionShell("host", tty, procId(tty.pid));
    this.watch(shell);
    this.shells.set("host", shell);
    const hs = await this.handshake(shell, 10_000);
    if (hs.kind !== "done" || hs.pid === undefined) throw new Error(`the host session did not start: ${hs.output || hs.kind}`);
    shell.channel = new BlockChannel(tty.pid, this.labDir, `ch-host-${this.noncePrefix}`);
  }

  handshake(shell: SessionShell, timeoutMs: number): Promise<Handshake> {
    return handshake(this, shell, timeoutMs);
  }

  names(): string[] {
    return [...this.shells].filter(([, s]) => s.alive()).map(([name]) => name);
  }

  alive(name: string): boolean {
    return this.shells.get(name)?.alive() ?? false;
  }

  pid(name: string): number | undefined {
    const shell = this.shells.get(name);
    return shell?.alive() ? shell.pid?.pid : undefined;
  }

  run(req: RunRequest): Promise<BlockResult> {
    const started = Date.now();
    const shell = this.shells.get(req.session);
    if (this.closing) return Promise.resolve(failed("session-died", started, "the sessions were closed (the lab run is ending)"));
    if (!shell) {
      const reason = `no session named "${req.session}"; live sessions: ${this.names().join(", ") || "none"} (a block with enter=${req.session} creates it)`;
      return Promise.resolve(failed("session-died", started, reason));
    }
    return this.queued(req.session, async () => {
      const ready = this.ahead.take(req.session, req.code, req.mode, shell.channel, shell);
      if (!shell.alive()) return failed("session-died", started, endedEarlier(shell));
      if (req.enter) return this.enter(req, shell, started);
      if (req.background) return startBackground(this, shell, req, started, this.jobs);
      // The block made ready ahead (./block-ahead.ts) is the same block, split and given its nonce already.
      const block = ready ?? { ...splitBlock(req.code), nonce: this.nonce() };
      const outcome = await this.runIn(shell, block.commands, block.nonce, req.mode, req.timeoutMs, req.onOutput, req.signal, req.code, false, ready);
      return toResult(outcome, shell, req, started, block.fallbackLine);
    });
  }

  /** The block the lab run sends next, as far as it knows: it is made ready while the current one runs. */
  expectNext(next: NextBlock | undefined): void {
    this.ahead.expect(next);
  }

  private async enter(req: RunRequest, other: SessionShell, started: number): Promise<BlockResult> {
    const name = req.enter as string;
    const existing = this.shells.get(name);
    if (existing?.alive()) {
      const reason = `session "${name}" already exists and is running (pid ${existing.pid?.pid}); end it first (a block with session=${name} that runs "exit") or choose another name`;
      return failed("enter-failed", started, reason);
    }
    const { result, shell } = await enterSession(this, other, req, started);
    if (shell) {
      this.watch(shell);
      existing?.tty.destroy(); // the dead session's terminal
      existing?.channel?.close();
      this.shells.delete(name); // a re-entered name moves to the end of the creation order
      this.shells.set(name, shell);
    }
    return result;
  }

  /** Runs commands in a session's shell with the usual preamble (ROOTLAB_SESSION_*_PID exports). */
  async runIn(
    shell: SessionShell,
    commands: ShellCommand[],
    nonce: string,
    mode: BlockMode,
    timeoutMs: number,
    onOutput?: RunRequest["onOutput"],
    signal?: AbortSignal,
    source?: string,
    retried = false,
    ready?: ReadyBlock,
  ): Promise<ShellOutcome> {
    let output: BlockOutput;
    try {
      if (!shell.channel) throw new Error("it has no channel yet");
      output = ready?.output ?? (await shell.channel.open(nonce, mode === "check"));
    } catch (err) {
      const reason = `rootlab cannot create the files for a block's output inside session "${shell.name}": ${(err as Error).message}`;
      return { kind: "done", status: 126, stdout: "", stderr: `rootlab: ${reason}\n` };
    }
    // A block unset rootlab's definitions (as a script may unset any name): defined again, before this block.
    const defs = shell.lostDefinitions ? `${sessionDefinitions()}\n` : "";
    shell.lostDefinitions = false;
    const prelude = defs + this.prelude(shell);
    const text = ready ? prelude + ready.text : blockScript({ commands, nonce, key: this.keyOf(nonce), mode, files: output.files, prelude, verbose: shell.verbose, fast: shell.fast, ...(source !== undefined ? { source } : {}) });
    const outcome = shell.execute(text, nonce, { timeoutMs, onOutput, killBlock: () => this.killBlock(shell), ...(signal ? { signal } : {}) }, output);
    // The block is on its way: the next block's FIFOs are opened meanwhile, and the next block made ready if known.
    shell.channel.prepare();
    this.ahead.prepare(shell.name, shell.channel, shell);
    const done = await outcome;
    // The shell could not open the block's files because its root changed (or a block removed them): the block
    // did not run, so it is sent again, once, with files made where the shell sees them now.
    if (done.kind === "done" && done.notRun && !retried && shell.channel.lost()) {
      return this.runIn(shell, commands, this.nonce(), mode, timeoutMs, onOutput, signal, source, true);
    }
    return done;
  }

  /** rootlab's own commands, run on the shell's stdin/stdout before it has a channel (start, handshake). */
  rawIn(shell: SessionShell, commands: string[], timeoutMs: number, oneLine = false): Promise<ShellOutcome> {
    const nonce = this.nonce();
    return shell.execute(rawScript(commands, nonce, oneLine), nonce, { timeoutMs, killBlock: () => this.killBlock(shell) });
  }

  private keyOf(nonce: string): string {
    return nonce.startsWith(this.noncePrefix) ? nonce.slice(this.noncePrefix.length) : nonce;
  }

  nonce(): string {
    return `${this.noncePrefix}${(++this.counter).toString(36)}`;
  }

  /** Exports (and unsets) ROOTLAB_SESSION_<NAME>_PID so every session knows every live session's pid. */
  prelude(shell: SessionShell): string {
    const live: [string, number][] = [];
    for (const [name, s] of this.shells) if (!s.ended && s.pid) live.push([name, s.pid.pid]);
    return this.pidExports.update(shell, live);
  }

  private killBlock(shell: SessionShell): void {
    killBlockProcesses(shell, [...this.shells.values()], this.jobs);
  }

  /** A session's directory, variables and shell program, read with a check block (what `enter=` starts from). */
  async readState(shell: SessionShell): Promise<SessionState> {
    const commands = SNAPSHOT_COMMANDS.map((text) => ({ text, line: 0 }));
    const outcome = await this.runIn(shell, commands, this.nonce(), "check", 10_000);
    if (outcome.kind !== "done" || outcome.status !== 0 || !shell.pid) {
      throw new Error(`cannot read the state of session "${shell.name}": ${outcome.stderr.trim() || outcome.kind}`);
    }
    const parsed = parseSnapshot(outcome.stdout);
    return { pid: shell.pid.pid, cwd: parsed.cwd, env: parsed.env, shell: parsed.shell };
  }

  typeInto(name: string, terminal: LearnerTerminal): Promise<TypedTurn> {
    const shell = this.shells.get(name);
    if (!shell?.alive()) return Promise.resolve({ kind: "ended", reason: shell ? endedEarlier(shell) : `there is no session named "${name}"` });
    return this.queued(name, () => typeIntoShell(this, shell, terminal));
  }

  /** Reports the shell's end once, saying whether rootlab closed it. */
  private watch(shell: SessionShell): void {
    watchEnding(shell, () => (this.ending.has(shell) ? "early" : this.closing ? "closing" : undefined), this.opts.onEnded);
  }


  end(name: string): Promise<string[]> {
    const shell = this.shells.get(name);
    if (name === "host" || !shell || this.closing) return Promise.resolve([]);
    // After the blocks queued in it; the names it frees can then be entered again as new sessions.
    return this.queued(name, async () => {
      const shells = [...this.shells.values()];
      const ended = [shell]; // one at a time: a session entered from it runs on its own terminal, not in its tree
      for (const s of ended) this.ending.add(s);
      const strays = await endSessions(ended, shells, this.jobs).catch(() => []);
      for (const s of ended) if (this.shells.get(s.name) === s) this.shells.delete(s.name);
      return strays;
    });
  }

  close(): Promise<string[]> {
    this.ahead.release();
    this.closing ??= closeAll([...this.shells.values()], this.jobs, this.runId).catch(() => []);
    return this.closing;
  }

  private queued<T>(session: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(session) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    this.queues.set(session, next.catch(() => undefined));
    return next;
  }
}

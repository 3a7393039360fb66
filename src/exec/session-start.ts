// How a session's shell starts: the host session's bash on its terminal, and the first exchange with any new shell
// (the handshake: drive its terminal, allexport, learn its `$$`, define what the block protocol needs).
import { existsSync, statSync } from "node:fs";
import { shellQuote } from "./block-script.js";
import type { SessionShell } from "./session-shell.js";
import type { ShellOutcome } from "./shell-outcome.js";
import { spawnOnPty, type PtyProcess } from "./pty.js";
import { handshakeLine, readPidLine, sessionDefinitions } from "./terminal-modes.js";

/** Starts the line on which a new shell reports its `$$`. */
const PID_PREFIX = "__RLP_";

export interface Handshake {
  kind: ShellOutcome["kind"];
  pid?: number;
  /** What the shell printed meanwhile (its complaints, when it is not a shell rootlab can drive). */
  output: string;
}

/** The host session's bash, interactive as in a terminal, but without line editing while rootlab drives it. */
export function spawnHostShell(cwd: string, env: Record<string, string>): { bash: string; tty: PtyProcess } {
  const bash = existsSync("/bin/bash") ? "/bin/bash" : "bash";
  try {
    // The child would report a missing directory only on its terminal, after the handshake timed out.
    if (!statSync(cwd).isDirectory()) throw new Error("it is not a directory");
    return { bash, tty: spawnOnPty(bash, ["--noediting", "--noprofile", "--norc", "-i"], { cwd, env }) };
  } catch (err) {
    throw new Error(`cannot start the host session (${bash} in ${cwd}): ${(err as Error).message}`);
  }
}

/** What the handshake needs of the sessions: rootlab's own commands run in a shell, and nonces. */
export interface HandshakeContext {
  rawIn(shell: SessionShell, commands: string[], timeoutMs: number, oneLine?: boolean): Promise<ShellOutcome>;
  nonce(): string;
  readonly runId: string | undefined;
}

export async function handshake(ctx: HandshakeContext, shell: SessionShell, timeoutMs: number): Promise<Handshake> {
  const pidNonce = ctx.nonce();
  // One line: what the terminal echoes before the shell turns echo off is this line, which rootlab drops.
  const lines = [handshakeLine(PID_PREFIX, pidNonce), "set -a"];
  if (ctx.runId) lines.push(`export ROOTLAB_RUN_ID=${shellQuote(ctx.runId)}`);
  const hs = await ctx.rawIn(shell, lines, timeoutMs, true);
  // A line of its own: busybox ash's line editor, still on during the handshake, takes lines of up to 1 KiB.
  if (hs.kind === "done") await ctx.rawIn(shell, [sessionDefinitions()], timeoutMs);
  const output = shell.takeNoise() + hs.stdout;
  const found = readPidLine(hs.stdout, PID_PREFIX, pidNonce);
  return { kind: hs.kind, ...(found ? { pid: found.pid } : {}), output };
}

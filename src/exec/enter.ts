// `enter=NAME`: a command started from inside session OTHER becomes session NAME, exactly as if a person had
// typed `unshare … bash` or `chroot DIR /bin/sh` into OTHER's terminal. Its stdin/stdout/stderr are FIFOs that
// rootlab holds; a handshake proves it answers as a shell, and its host pid is found by the FIFO on its fd 0.
import type { BlockResult, RunRequest } from "./types.js";
import type { BlockMode } from "./block-script.js";
import { recordCommand, shellQuote } from "./block-script.js";
import type { ShellCommand } from "../shell/types.js";
import { SessionShell, type ShellOutcome } from "./session-shell.js";
import { createEnterFifos, hasDevNull, type EnterFifos } from "./fifo.js";
import { ancestors, descendants, fdInode, nsPids, procId, readProcTable, signal, toIds, type ProcId } from "./proc-tree.js";
import { failed, toResult } from "./block-result.js";
import { formatLabDuration } from "../format/durations.js";

/** What enter and background need from the session set. */
export interface SessionContext {
  readonly labDir: string;
  readonly runId: string | undefined;
  nonce(): string;
  runIn(
    shell: SessionShell,
    commands: ShellCommand[],
    nonce: string,
    mode: BlockMode,
    timeoutMs: number,
    onOutput?: RunRequest["onOutput"],
  ): Promise<ShellOutcome>;
}

/** bash: forget rootlab's own job, so its end is not announced ("Killed …") in a later block's output. */
export const DISOWN = "disown $! 2>/dev/null || :";

/** A process stand-in that never runs: liveness of a job that was gone before we could look. */
const GONE: ProcId = { pid: 0, start: "gone" };
const DRAIN_MS = 50;

export async function enterSession(
  ctx: SessionContext,
  other: SessionShell,
  req: RunRequest,
  started: number,
): Promise<{ result: BlockResult; shell?: SessionShell }> {
  const name = req.enter as string;
  const remaining = (): number => Math.max(1, started + req.timeoutMs - Date.now());
  if (!other.pid) return { result: failed("enter-failed", started, `session "${other.name}" has no known pid`) };
  if (!hasDevNull(other.pid.pid)) return { result: failed("enter-failed", started, noDevNull(other.name, `start session "${name}"`)) };
  let fifos: EnterFifos;
  try {
    fifos = createEnterFifos(other.pid.pid, ctx.labDir, ctx.nonce());
  } catch (err) {
    return { result: failed("enter-failed", started, `cannot set up session "${name}": ${(err as Error).message}`) };
  }
  let shell: SessionShell | undefined;
  try {
    // 1. Start the command in OTHER's background, its stdio on the FIFOs (paths as OTHER sees them).
    const { input, output, errors } = fifos.seen;
    const launchNonce = ctx.nonce();
    const launch: ShellCommand[] = [
      { text: `{ ${req.code}\n} <${shellQuote(input)} >${shellQuote(output)} 2>${shellQuote(errors)} &`, line: 0 },
      { text: recordCommand(launchNonce, "J", '"$!"'), line: 0 },
      { text: DISOWN, line: 0 },
    ];
    const launched = await ctx.runIn(other, launch, launchNonce, "script", remaining(), req.onOutput);
    if (launched.kind !== "done") return { result: toResult(launched, other, req, started, 0) };
    if (launched.status !== 0) {
      const reason = `could not start the command of session "${name}" in session "${other.name}" (exit status ${launched.status})`;
      return { result: { ...failed("enter-failed", started, reason), stdout: launched.stdout, stderr: launched.stderr } };
    }
    const job = findChild(other.pid.pid, Number(launched.records.get("J")));

    // 2. Handshake: it must answer as a shell. Meanwhile its exit (e.g. chroot: failed to run command) is noticed.
    shell = new SessionShell(name, fifos.io, job ?? GONE);
    const hsNonce = ctx.nonce();
    const handshake: ShellCommand[] = [
      { text: "set -a", line: 0 },
      { text: ctx.runId ? `export ROOTLAB_RUN_ID=${shellQuote(ctx.runId)}` : ":", line: 0 },
      { text: recordCommand(hsNonce, "P", '"$$"'), line: 0 },
    ];
    const hs = job
      ? await ctx.runIn(shell, handshake, hsNonce, "script", remaining(), req.onOutput)
      : await notStarted(shell);
    const stdout = launched.stdout + hs.stdout;
    const stderr = launched.stderr + hs.stderr;
    if (hs.kind !== "done" || hs.status !== 0) {
      killJob(job);
      fifos.io.destroy();
      const what = `"${firstLine(req.code)}" did not become session "${name}"`;
      const why =
        hs.kind === "timeout"
          ? `it did not answer as a shell within ${formatLabDuration(req.timeoutMs)} (is it a shell that reads commands from stdin?)`
          : `it exited before answering as a shell${lastLine(stderr) ? `: ${lastLine(stderr)}` : ""}`;
      return { result: { ...failed("enter-failed", started, `${what}: ${why}`), stdout, stderr } };
    }

    // 3. The session's host pid: the deepest process in the job's tree reading our input FIFO (prefer the one
    //    whose innermost pid is the `$$` it reported).
    shell.pid = findShell(job as ProcId, fifos.inputInode, Number(hs.records.get("P"))) ?? job;
    return { result: { kind: "ok", exitCode: 0, stdout, stderr, durationMs: Date.now() - started }, shell };
  } finally {
    fifos.unlink();
  }
}

/**
 * Without job control, ash and dash open /dev/null as the stdin of every `cmd &` before its own redirections; when
 * that fails, the forked child carries on as a copy of the session's shell (it even reads the session's input).
 * So nothing is started in the background of a session whose root has no /dev/null.
 */
export function noDevNull(session: string, what: string): string {
  return `cannot ${what} from session "${session}": its root has no /dev/null, which a shell needs to start a command in the background (create it first, e.g. mknod -m 666 /dev/null c 1 3 or mount -t devtmpfs devtmpfs /dev inside it)`;
}

/** The job was gone before we looked: collect what it wrote, report it as ended. */
async function notStarted(shell: SessionShell): Promise<ShellOutcome> {
  await new Promise((r) => setTimeout(r, DRAIN_MS));
  const { stdout, stderr } = shell.takeCarry();
  shell.markEnded(null, null);
  return { kind: "died", ending: { status: null, signal: null, duringBlock: true }, stdout, stderr, records: new Map() };
}

/** The child of `parent` whose pid, as its own pid namespace sees it, is `nsPid` (what `$!` said). */
export function findChild(parent: number, nsPid: number): ProcId | undefined {
  const table = readProcTable();
  for (const p of table.values()) {
    if (p.ppid === parent && nsPids(p.pid).at(-1) === nsPid) return { pid: p.pid, start: p.start };
  }
  return undefined;
}

function findShell(job: ProcId, inputInode: number, innerPid: number): ProcId | undefined {
  const table = readProcTable();
  const ranked = [job.pid, ...descendants(table, job.pid)]
    .filter((pid) => fdInode(pid, 0) === inputInode)
    .map((pid) => ({ pid, depth: ancestors(table, pid).length, match: nsPids(pid).at(-1) === innerPid }))
    .sort((a, b) => Number(b.match) - Number(a.match) || b.depth - a.depth);
  return ranked[0] ? procId(ranked[0].pid) : undefined;
}

function killJob(job: ProcId | undefined): void {
  if (!job) return;
  const table = readProcTable();
  for (const id of toIds(table, [job.pid, ...descendants(table, job.pid)])) signal(id, "SIGKILL");
}

function firstLine(code: string): string {
  const line = code.split("\n").find((l) => l.trim() && !l.trim().startsWith("#")) ?? code;
  return line.trim().length > 60 ? `${line.trim().slice(0, 57)}...` : line.trim();
}

function lastLine(text: string): string {
  return text.trim().split("\n").pop()?.trim() ?? "";
}

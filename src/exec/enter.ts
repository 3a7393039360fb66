// `enter=NAME`: a command started from inside session OTHER becomes session NAME, exactly as if a person had
// typed `unshare … bash` or `chroot DIR /bin/sh` into OTHER's terminal. Its stdin/stdout/stderr are FIFOs that
// rootlab holds; a handshake proves it answers as a shell, and its host pid is found by the FIFO on its fd 0.
import type { BlockResult, RunRequest } from "./types.js";
import type { BlockMode } from "./block-script.js";
import { shellQuote } from "./block-script.js";
import { BlockChannel } from "./block-channel.js";
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
  rawIn(shell: SessionShell, commands: string[], timeoutMs: number): Promise<ShellOutcome>;
}

/** bash: forget rootlab's own job, so its end is not announced ("Killed …") in a later block's output. */
export const DISOWN = "disown $! 2>/dev/null || :";

/**
 * The command of an enter= block, started in the background of session OTHER with its stdio on the FIFOs. A
 * subshell waits for it and then writes `<exit marker> <status>` on both FIFOs: that is how rootlab learns the
 * session ended (an event, not a poll), with its status, after everything it wrote. fds 8 and 9 are the
 * launcher's own, closed for the command.
 */
function launchCommand(code: string, seen: { input: string; output: string; errors: string }, exitNonce: string): string {
  const record = `printf '%s%s %s\\n' __RL_ ${exitNonce}X "$__rl_s"`;
  return (
    `( exec 8>${shellQuote(seen.output)} 9>${shellQuote(seen.errors)}; { ${code}\n} <${shellQuote(seen.input)} >&8 2>&9 8>&- 9>&-; ` +
    `__rl_s=$?; ${record} >&8; ${record} >&9 ) &`
  );
}

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
    const exitNonce = ctx.nonce();
    const launch: ShellCommand[] = [
      { text: launchCommand(req.code, fifos.seen, exitNonce), line: 0 },
      { text: `echo "$!"`, line: 0 },
      { text: DISOWN, line: 0 },
    ];
    const launched = await ctx.runIn(other, launch, ctx.nonce(), "script", remaining());
    if (launched.kind !== "done") return { result: toResult(launched, other, req, started, 0) };
    if (launched.status !== 0) {
      const reason = `could not start the command of session "${name}" in session "${other.name}" (exit status ${launched.status})`;
      return { result: { ...failed("enter-failed", started, reason), stderr: launched.stderr } };
    }
    const job = findChild(other.pid.pid, Number(launched.stdout.trim()));

    // 2. Handshake: it must answer as a shell. Meanwhile its exit (e.g. chroot: failed to run command) is reported
    //    by the launcher.
    shell = new SessionShell(name, fifos.io, job, undefined, `__RL_${exitNonce}X`);
    const handshake = ["set -a", ctx.runId ? `export ROOTLAB_RUN_ID=${shellQuote(ctx.runId)}` : ":", `echo "$$"`];
    const hs = await ctx.rawIn(shell, handshake, remaining());
    const noise = shell.takeNoise();
    const shown = hs.stdout.replace(/[^\n]*\n?$/, "");
    const stdout = noise.stdout + (hs.kind === "done" ? shown : hs.stdout);
    const stderr = noise.stderr + hs.stderr;
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
    //    whose innermost pid is the `$$` it reported). Its blocks' output goes to a folder inside its root.
    const innerPid = Number(hs.stdout.trim().split("\n").pop());
    shell.pid = (job && findShell(job, fifos.inputInode, innerPid)) ?? job;
    if (!shell.pid) return { result: failed("enter-failed", started, `session "${name}" answered, but rootlab cannot find its process`) };
    shell.channel = new BlockChannel(shell.pid.pid, ctx.labDir, `ch-${name}-${exitNonce}`);
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

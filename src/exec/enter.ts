// `enter=NAME`: a command started from session OTHER becomes session NAME (unshare … bash, chroot DIR /bin/sh,
// systemd-nspawn …). It runs on a pseudo-terminal of its own, as in a terminal of its own: the learner can later
// type into that very shell (./typed-shell.ts). It starts with what a child of OTHER's shell would have — OTHER's
// namespaces, root, working directory, user and variables (nsenter -t OTHER), run by OTHER's shell (`sh -c`) — and
// a handshake proves it answers as a shell and tells its `$$`. A bash session's functions are defined for the
// command too. Not carried over: an ash session's functions, non-exported variables (sessions export every
// variable), OTHER's cgroup and its capability limits (the labs enter new sessions from root shells only).
import { readFileSync, statSync } from "node:fs";
import type { BlockResult, RunRequest, SessionState } from "./types.js";
import type { BlockMode } from "./block-script.js";
import { BlockChannel } from "./block-channel.js";
import type { ShellCommand } from "../shell/types.js";
import { SessionShell } from "./session-shell.js";
import type { ShellOutcome } from "./shell-outcome.js";
import { descendants, ancestors, nsPids, procId, readProcTable, signal, toIds, type ProcId } from "./proc-tree.js";
import { failed } from "./block-result.js";
import { formatLabDuration } from "../format/durations.js";
import { spawnOnPty, type PtyProcess } from "./pty.js";
import { shellInRoot } from "./shell-path.js";
import { plainText } from "../term/screen-text.js";

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
  /** A session's directory, variables and shell, read right now (the caller holds its queue). */
  readState(shell: SessionShell): Promise<SessionState>;
  handshake(shell: SessionShell, timeoutMs: number): Promise<{ kind: ShellOutcome["kind"]; pid?: number; output: string }>;
}

/** bash: forget rootlab's own job, so its end is not announced ("Killed …") in a later block's output. */
export const DISOWN = "disown $! 2>/dev/null || :";

/** Columns of a session's terminal until a learner's terminal gives it a size: wide, so no echo gets wrapped. */
const DRIVING_COLS = 1000;

export async function enterSession(
  ctx: SessionContext,
  other: SessionShell,
  req: RunRequest,
  started: number,
): Promise<{ result: BlockResult; shell?: SessionShell }> {
  const name = req.enter as string;
  const remaining = (): number => Math.max(1, started + req.timeoutMs - Date.now());
  if (!other.pid) return { result: failed("enter-failed", started, `session "${other.name}" has no known pid`) };
  let state: SessionState;
  try {
    state = await ctx.readState(other);
  } catch (err) {
    return { result: failed("enter-failed", started, `cannot start session "${name}" from session "${other.name}": ${(err as Error).message}`) };
  }
  const sh = shellInRoot(other.pid.pid, state) ?? "/bin/sh";
  // bash: the functions defined in OTHER (a lab's `as_student() { …; }`) are defined for the command too. Not
  // rootlab's own (`__rl_after`): the new session defines its own, and bash's syntax in them (`[[ … @(…) ]]`) would
  // stop a busybox ash there before it ever answered.
  const listFunctions = 'if [ -n "${BASH_VERSION:-}" ]; then for __rl_f in $(compgen -A function); do case $__rl_f in __rl_*) ;; *) declare -f "$__rl_f";; esac; done; unset __rl_f; fi';
  const defs = await ctx.runIn(other, [{ text: listFunctions, line: 0 }], ctx.nonce(), "check", remaining());
  const code = defs.kind === "done" && defs.status === 0 && defs.stdout.trim() ? `${defs.stdout}\n${req.code}` : req.code;
  const args = ["-t", String(other.pid.pid), "-a", "--root", "--wd", ...credentialArgs(other.pid.pid), "--", sh, "-c", code];
  let tty: PtyProcess;
  try {
    tty = spawnOnPty(nsenterPath(), args, { cwd: "/", env: { ...state.env, TERM: state.env.TERM ?? "xterm-256color" }, cols: DRIVING_COLS });
  } catch (err) {
    return { result: failed("enter-failed", started, `cannot start session "${name}": ${(err as Error).message}`) };
  }
  const shell = new SessionShell(name, tty, undefined);
  const hs = await ctx.handshake(shell, remaining());
  const shown = terminalText(hs.output);
  if (hs.kind !== "done" || hs.pid === undefined) {
    killTree(tty.pid);
    tty.destroy();
    const what = `"${firstLine(req.code)}" did not become session "${name}"`;
    const why =
      hs.kind === "timeout"
        ? `it did not answer as a shell within ${formatLabDuration(req.timeoutMs)} (is it a shell that reads commands from its terminal?)`
        : `it exited before answering as a shell${lastLine(shown) ? `: ${lastLine(shown)}` : ""}`;
    return { result: { ...failed("enter-failed", started, `${what}: ${why}`), stdout: "", stderr: shown } };
  }
  shell.pid = findShell(tty.pid, hs.pid) ?? procId(tty.pid);
  if (!shell.pid) return { result: failed("enter-failed", started, `session "${name}" answered, but rootlab cannot find its process`) };
  shell.channel = new BlockChannel(shell.pid.pid, ctx.labDir, `ch-${name}-${ctx.nonce()}`);
  return { result: { kind: "ok", exitCode: 0, stdout: shown, stderr: "", durationMs: Date.now() - started }, shell };
}

function nsenterPath(): string {
  for (const path of ["/usr/bin/nsenter", "/bin/nsenter", "/usr/sbin/nsenter"]) {
    try {
      if (statSync(path).isFile()) return path;
    } catch {
      // not there
    }
  }
  return "nsenter";
}

/**
 * nsenter gives uid 0 in the entered user namespace; a session that runs as another user passes its ids on,
 * as that namespace sees them.
 */
export function credentialArgs(pid: number): string[] {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const uid = Number(/^Uid:\s+\d+\s+(\d+)/m.exec(status)?.[1]);
    const gid = Number(/^Gid:\s+\d+\s+(\d+)/m.exec(status)?.[1]);
    const inner = (id: number, map: string): number => mapInside(id, readFileSync(`/proc/${pid}/${map}`, "utf8")) ?? id;
    const u = inner(uid, "uid_map");
    const g = inner(gid, "gid_map");
    return u === 0 && g === 0 ? [] : ["-S", String(u), "-G", String(g)];
  } catch {
    return [];
  }
}

/** An id as seen from outside, mapped into a user namespace by its uid_map/gid_map text. */
export function mapInside(outside: number, mapText: string): number | undefined {
  for (const line of mapText.trim().split("\n")) {
    const [inside, lower, count] = line.trim().split(/\s+/).map(Number) as [number, number, number];
    if (outside >= lower && outside < lower + count) return inside + (outside - lower);
  }
  return undefined;
}

/** The terminal's text as a person would read it, without rootlab's own protocol lines. */
export function terminalText(raw: string): string {
  return plainText(raw)
    .split("\n")
    .filter((line) => !/__RLP?_/.test(line))
    .join("\n")
    .replace(/^\n+/, "");
}

/** The process in the tree on the terminal whose own pid (innermost namespace) is the `$$` it reported. */
function findShell(root: number, innerPid: number): ProcId | undefined {
  const table = readProcTable();
  const ranked = [root, ...descendants(table, root)]
    .filter((pid) => nsPids(pid).at(-1) === innerPid)
    .sort((a, b) => ancestors(table, b).length - ancestors(table, a).length);
  return ranked[0] ? procId(ranked[0]) : undefined;
}

function killTree(root: number): void {
  const table = readProcTable();
  for (const id of toIds(table, [root, ...descendants(table, root)])) signal(id, "SIGKILL");
}

function firstLine(code: string): string {
  const line = code.split("\n").find((l) => l.trim() && !l.trim().startsWith("#")) ?? code;
  return line.trim().length > 60 ? `${line.trim().slice(0, 57)}...` : line.trim();
}

function lastLine(text: string): string {
  return text.trim().split("\n").pop()?.trim() ?? "";
}

// Background blocks, and stopping everything at the end of a lab run: background processes first, then the
// sessions newest first, then a sweep for anything that still carries this run's ROOTLAB_RUN_ID.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import type { BlockResult, RunRequest } from "./types.js";
import { shellQuote } from "./block-script.js";
import type { SessionShell } from "./session-shell.js";
import { hasDevNull, rootlabDir } from "./visible-dir.js";
import { DISOWN, type SessionContext } from "./enter.js";
import { toResult } from "./block-result.js";
import {
  ancestors, descendants, killableDescendants, isRunning, nsPids, pidsWithEnv, readProcTable, seesHostRoot, signal, toIds, waitGone, type ProcId,
} from "./proc-tree.js";

export interface Job {
  id: ProcId;
  session: string;
  /** Where its output goes, as the session sees it (undefined: discarded). */
  log?: string;
}

/** Kills what a timed-out block started in `shell`, sparing the other sessions (`shells`) and background blocks. */
export function killBlockProcesses(shell: SessionShell, shells: SessionShell[], jobs: Job[]): void {
  if (!shell.pid) return;
  const spared = shells.filter((s) => s !== shell && s.pid).map((s) => s.pid?.pid as number);
  spared.push(...jobs.map((j) => j.id.pid));
  for (const pid of killableDescendants(readProcTable(), shell.pid.pid, spared)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone already
    }
  }
}

/** PID 1 of a namespace and `unshare --fork` ignore SIGTERM: after this, SIGKILL. */
const TERM_GRACE_MS = 1500;
/** How long a session gets to end by itself once its input is closed (most end at once). */
const EOF_GRACE_MS = 3000;

/** Background blocks started by this process: their logs' numbers. */
let backgroundLogs = 0;

export async function startBackground(
  ctx: SessionContext,
  shell: SessionShell,
  req: RunRequest,
  started: number,
  jobs: Job[],
): Promise<BlockResult> {
  const pid = shell.pid?.pid as number;
  if (!hasDevNull(pid)) {
    const stderr = `rootlab: ${noDevNull(shell.name, "start a background block")}\n`;
    return { kind: "ok", exitCode: 1, stdout: "", stderr, durationMs: Date.now() - started, failedLine: req.codeLine };
  }
  let log: string | undefined;
  let out = ">/dev/null 2>&1";
  if (seesHostRoot(pid)) {
    const dir = rootlabDir(ctx.labDir);
    mkdirSync(`/proc/${pid}/root${dir}`, { recursive: true, mode: 0o700 });
    // Numbered in start order across the run: the list of jobs shrinks when a session ends, and a number taken
    // from its length could name the log of a job still running.
    log = `${dir}/bg-${++backgroundLogs}.log`;
    // Created here, before the job starts: the job's own `>log` is opened in the forked child, which may run only
    // after the block has returned, and the learner is told to read the file at once.
    try {
      writeFileSync(`/proc/${pid}/root${log}`, "");
    } catch {
      // Not a file that can be written (a folder of that name): the job's redirection fails the same way.
    }
    out = `>${shellQuote(log)} 2>&1`;
  }
  const commands = [
    { text: `{ ${req.code}\n} </dev/null ${out} &`, line: 0 },
    // The block's stdout is the job's pid alone: the job writes to its log.
    { text: `echo "$!"`, line: 0 },
    { text: DISOWN, line: 0 },
  ];
  const outcome = await ctx.runIn(shell, commands, ctx.nonce(), "script", req.timeoutMs);
  if (outcome.kind === "done" && outcome.status === 0) {
    const id = findChild(pid, Number(outcome.stdout.trim()));
    if (id) jobs.push({ id, session: shell.name, ...(log ? { log } : {}) });
  }
  const result = toResult({ ...outcome, stdout: "" }, shell, req, started, 0);
  return log && result.kind === "ok" && result.exitCode === 0 ? { ...result, log } : result;
}

/**
 * Without job control, ash and dash open /dev/null as the stdin of every `cmd &` before its own redirections; when
 * that fails, the forked child carries on as a copy of the session's shell (it even reads the session's input).
 * So nothing is started in the background of a session whose root has no /dev/null.
 */
function noDevNull(session: string, what: string): string {
  return `cannot ${what} from session "${session}": its root has no /dev/null, which a shell needs to start a command in the background (create it first, e.g. mknod -m 666 /dev/null c 1 3 or mount -t devtmpfs devtmpfs /dev inside it)`;
}

/** The child of `parent` whose pid, as its own pid namespace sees it, is `nsPid` (what `$!` said). */
function findChild(parent: number, nsPid: number): ProcId | undefined {
  const table = readProcTable();
  for (const p of table.values()) {
    if (p.ppid === parent && nsPids(p.pid).at(-1) === nsPid) return { pid: p.pid, start: p.start };
  }
  return undefined;
}

/**
 * Stops processes and everything below them: SIGTERM in the given order, one shared grace period, then SIGKILL
 * for whatever is left.
 */
export async function stopTrees(roots: ProcId[], graceMs = TERM_GRACE_MS): Promise<void> {
  const table = readProcTable();
  const trees = roots.filter(isRunning).map((root) => [root, ...toIds(table, descendants(table, root.pid))]);
  for (const tree of trees) for (const id of tree) signal(id, "SIGTERM");
  const all = trees.flat();
  if (await waitGone(all, graceMs)) return;
  for (const id of all) signal(id, "SIGKILL");
  await waitGone(all, 1000);
}

/** Closes a session: EOF on its input, a short wait, then SIGKILL for its whole tree (taken before the EOF). */
async function closeShell(shell: SessionShell): Promise<void> {
  const root = shell.pid;
  const table = readProcTable();
  const tree = root ? [root, ...toIds(table, descendants(table, root.pid))] : [];
  try {
    shell.channel?.close(); // while the session's root can still be reached
  } catch {
    // its root is gone already
  }
  // `exit`, as a person would type it: nspawn and rootlab's shim then remove what they made on the way out. Its
  // end is an event: the exit of what rootlab started on the session's terminal.
  shell.type("\nexit\n");
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([shell.whenEnded(), new Promise((r) => (timer = setTimeout(r, EOF_GRACE_MS)))]);
  clearTimeout(timer);
  for (const id of tree) signal(id, "SIGKILL");
  shell.killGroup();
  await waitGone(tree, 1000);
  shell.tty.destroy();
}

/**
 * Everything a lab run started still carrying its ROOTLAB_RUN_ID (double-forked daemons, reparented orphans).
 * Stopped first, then killed: processes that fork while they are being killed (a fork bomb held by `ulimit -u`)
 * would otherwise leave children made between one look at /proc and the kills; a stopped process cannot fork,
 * so looking again until no new one appears finds them all.
 */
async function sweepRun(runId: string, found: Set<string>): Promise<void> {
  const spare = new Set([process.pid, ...ancestors(readProcTable(), process.pid)]);
  for (let round = 0; round < 3; round++) {
    const stopped = new Map<number, ProcId>();
    for (let look = 0; look < MAX_LOOKS; look++) {
      const table = readProcTable();
      const pids = pidsWithEnv("ROOTLAB_RUN_ID", runId).filter((p) => !spare.has(p) && !stopped.has(p) && table.get(p)?.state !== "Z");
      if (!pids.length) break;
      for (const id of toIds(table, pids)) {
        found.add(describe(id.pid));
        signal(id, "SIGSTOP");
        stopped.set(id.pid, id);
      }
    }
    const ids = [...stopped.values()];
    if (!ids.length) return;
    for (const id of ids) signal(id, "SIGKILL");
    await waitGone(ids, 1000);
  }
}

/** Looks at /proc per sweep round while new processes of the run keep appearing (each look stops what it finds). */
const MAX_LOOKS = 50;

function describe(pid: number): string {
  let comm = "?";
  try {
    comm = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    /* gone meanwhile */
  }
  return `${pid} ${comm}`;
}

/**
 * Processes the lab left running in its sessions: below a session's shell, but neither another session (nor
 * what carries it, e.g. the `unshare` above an entered shell) nor a background block, which rootlab owns.
 */
function strays(shells: SessionShell[], jobs: Job[], all: SessionShell[] = shells): Set<string> {
  const table = readProcTable();
  const owned = [...all.map((s) => s.pid?.pid), ...jobs.map((j) => j.id.pid)].filter((p): p is number => p !== undefined);
  const found = new Set<string>();
  for (const shell of shells) {
    if (!shell.pid || !shell.alive()) continue;
    for (const pid of killableDescendants(table, shell.pid.pid, owned)) if (table.get(pid)?.state !== "Z") found.add(describe(pid));
  }
  return found;
}

/**
 * Background blocks newest first, then sessions newest first, then the run-id sweep. Never throws.
 * Returns the processes the lab had left running (they are stopped too), e.g. "4242 sleep".
 */
export async function closeAll(shells: SessionShell[], jobs: Job[], runId: string | undefined): Promise<string[]> {
  let found = new Set<string>();
  try {
    found = strays(shells, jobs);
  } catch {
    /* /proc unreadable: nothing to report, the kills below still happen */
  }
  await stopTrees([...jobs].reverse().map((j) => j.id)).catch(() => undefined);
  for (const shell of [...shells].reverse()) await closeShell(shell).catch(() => undefined);
  if (runId) await sweepRun(runId, found).catch(() => undefined);
  return [...found];
}

/**
 * Ends sessions before the run ends (Sessions.end), newest first, each as closeAll()
 * ends it: their background blocks, then `exit` typed on the session's terminal, then SIGKILL for what is left of
 * its tree. Their jobs leave JOBS. Never throws. Returns the processes the lab had left running in them (stopped
 * too), e.g. "4242 sleep".
 */
export async function endSessions(ended: SessionShell[], shells: SessionShell[], jobs: Job[]): Promise<string[]> {
  let found = new Set<string>();
  try {
    found = strays(ended, jobs, shells);
  } catch {
    /* nothing to report; the kills below still happen */
  }
  const names = new Set(ended.map((s) => s.name));
  const theirs = jobs.filter((j) => names.has(j.session));
  for (const job of theirs) jobs.splice(jobs.indexOf(job), 1);
  await stopTrees(theirs.reverse().map((j) => j.id)).catch(() => undefined);
  for (const s of [...ended].reverse()) await closeShell(s).catch(() => undefined);
  return [...found];
}

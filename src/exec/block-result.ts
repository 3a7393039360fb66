// Turning what happened in a shell into the BlockResult the runner sees, with reasons a person can act on.
import type { BlockResult, RunRequest } from "./types.js";
import type { SessionShell } from "./session-shell.js";
import type { Ending, ShellOutcome } from "./shell-outcome.js";
import { formatLabDuration } from "../format/durations.js";
import { splitShell } from "../shell/split.js";
import { simpleCommands } from "../shell/commands.js";
import { likelyEndingCause, type EndingCause } from "./ending-causes.js";

export function failed(kind: BlockResult["kind"], started: number, reason: string): BlockResult {
  return { kind, exitCode: null, stdout: "", stderr: "", durationMs: Date.now() - started, reason };
}

/** A top-level `exec COMMAND` in a block (not `exec` with redirections only): it replaces the session's shell. */
export function execReplacing(code: string): { command: string; line: number } | undefined {
  for (const cmd of splitShell(code).commands) {
    if (!/^\s*exec\s/.test(cmd.text)) continue;
    const words = simpleCommands(cmd.text)[0]?.words ?? [];
    let i = 1;
    while (words[i]?.startsWith("-")) i += words[i] === "-a" ? 2 : 1;
    if (i < words.length) return { command: words.slice(i).join(" "), line: cmd.line };
  }
  return undefined;
}

/**
 * Why a session ended, in words. `replaced`: the block ended it by `exec COMMAND` (execReplacing), with the file
 * line of that command: the likely cause when a session ends during such a block, and its fix. `cause`: another
 * line of the block that likely ended it (./ending-causes.ts), its line counted in the file.
 */
/**
 * A shell killed by SIGXFSZ outside the block that lowered the limit: BusyBox ash's line editor appends each line it
 * reads to its history file (tried: Alpine's ash in a chroot, after `ulimit -Sf 0`, dies reading the next line).
 */
const XFSZ_HINT =
  " (the kernel ends a process that writes to a file beyond its file size limit: a block lowered it with `ulimit -f`, and the shell itself then wrote to a file — BusyBox ash's line editor adds every line it reads to its history file, ~/.ash_history. Lower the limit for one command in a subshell instead: `( ulimit -f 0; … )`)";

export function describeEnding(name: string, ending: Ending, replaced?: { command: string; line: number }, cause?: EndingCause): string {
  if (ending.broken) return `rootlab ended session "${name}": ${ending.broken}${cause ? `; it was line ${cause.line} (\`${cause.command}\`)` : ""}`;
  if (replaced && ending.duringBlock && !ending.errexit) {
    const how = ending.signal ? `was killed by ${ending.signal}` : ending.status === null ? "ended" : `exited with status ${ending.status}`;
    return (
      `session "${name}" ${how} while running the block: the block replaced the session's shell with \`exec ${replaced.command}\` (line ${replaced.line}), ` +
      `so the session ended when that program did (a shell started this way reads the block's empty stdin and ends at once). ` +
      `For a shell that later blocks run in, start it on a block of its own with enter=NAME instead of exec, and give those blocks session=NAME ` +
      `(docs/lab-format.md, "Sessions: enter= and session=")`
    );
  }
  if (cause && ending.duringBlock) {
    const how = ending.signal ? `was killed by ${ending.signal}` : ending.status === null ? "ended" : `exited with status ${ending.status}`;
    return `session "${name}" ${how} while running the block: line ${cause.line} (\`${cause.command}\`) ${cause.why}`;
  }
  const what = ending.signal
    ? `was killed by ${ending.signal}`
    : ending.status === null
      ? "ended"
      : `exited with status ${ending.status}`;
  const hint = ending.signal === "SIGHUP" && ending.duringBlock
    ? " (its terminal hung up: the block closed every file descriptor the shell had on it, fds 0-2 and the copies at 10 and up)"
    : ending.signal === "SIGXFSZ"
    ? XFSZ_HINT
    : ending.signal
    ? ""
    : ending.errexit
      ? " (`set -e` was on in it: a failing command ends the shell, as in a terminal)"
      : ` (a block ends its session with "exit", or by exec-ing another program)`;
  return ending.duringBlock ? `session "${name}" ${what} while running the block${hint}` : `session "${name}" ${what}${hint}`;
}

export function endedEarlier(shell: SessionShell): string {
  const e = shell.ended;
  if (e?.broken) {
    const again = shell.name === "host" ? "later host blocks fail, but cleanups still run in a fresh host shell" : `a block with enter=${shell.name} can start it again`;
    return `session "${shell.name}" is not running any more: rootlab ended it because ${e.broken}; ${again}`;
  }
  const how = !e ? "ended" : e.signal ? `was killed by ${e.signal}` : e.status === null ? "ended" : `exited with status ${e.status}`;
  const when = e?.duringBlock ? " during an earlier block" : "";
  const again = shell.name === "host" ? "the host session cannot be entered again; later host blocks fail, but cleanups still run in a fresh host shell" : `a block with enter=${shell.name} can start it again`;
  return `session "${shell.name}" is not running any more (it ${how}${when}); ${again}`;
}

export function toResult(
  outcome: ShellOutcome,
  shell: SessionShell,
  req: RunRequest,
  started: number,
  fallbackLine: number,
): BlockResult {
  const { stdout, stderr } = outcome;
  const durationMs = Date.now() - started;
  const line = outcome.line;
  const failedLine = req.codeLine + (line !== undefined ? line : fallbackLine);
  switch (outcome.kind) {
    case "done":
      return outcome.status === 0
        ? { kind: "ok", exitCode: 0, stdout, stderr, durationMs }
        : { kind: "ok", exitCode: outcome.status, stdout, stderr, durationMs, failedLine };
    case "timeout": {
      const after = req.signal?.aborted ? "interrupted" : `timed out after ${formatLabDuration(req.timeoutMs)}`;
      const reason = outcome.survived
        ? `${after}; its processes were killed, session "${shell.name}" is still usable`
        : `${after}; the shell of session "${shell.name}" did not respond (busy in a shell loop?) and was killed, so the session has ended`;
      return { kind: "timeout", exitCode: null, stdout, stderr, durationMs, reason, ...(line !== undefined ? { failedLine } : {}) };
    }
    case "died": {
      const replaced = execReplacing(req.code);
      const cause = likelyEndingCause(req.code, outcome.ending);
      const reason = describeEnding(
        shell.name,
        outcome.ending,
        replaced && { command: replaced.command, line: req.codeLine + replaced.line },
        cause && { ...cause, line: req.codeLine + cause.line },
      );
      return { kind: "session-died", exitCode: null, stdout, stderr, durationMs, reason };
    }
  }
}

export interface SessionEnded {
  session: string;
  status: number | null;
  signal: string | null;
  closedBy: "rootlab" | "itself";
  reason: string;
}

/**
 * Tells ON_ENDED once, when SHELL is gone, how it ended and whether rootlab closed it: `byRootlab` says "early"
 * (rootlab ended it before the end of the run), "closing" (the run is ending) or undefined (it ended by itself).
 */
export function watchEnding(shell: SessionShell, byRootlab: () => "early" | "closing" | undefined, onEnded?: (ended: SessionEnded) => void): void {
  shell.onEnded = (ending) => {
    const how = byRootlab();
    const closedBy = how ? "rootlab" : "itself";
    const reason = how ? `session "${shell.name}" ${how === "early" ? "ended by rootlab before" : "closed by rootlab at"} the end of the run` : describeEnding(shell.name, ending);
    try {
      onEnded?.({ session: shell.name, status: ending.status, signal: ending.signal, closedBy, reason });
    } catch {
      // A failing listener must not break the sessions.
    }
  };
}

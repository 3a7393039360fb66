// Which line of a block most likely ended its session, and why, for the reason rootlab gives when a session's
// shell dies during a block (./block-result.ts). Pure: the block's text and how the shell ended. Only what a
// block can do that ends a plain script the same way (or crashes bash, or takes the shell's terminal away) is
// named here; `exec COMMAND` has its own, longer explanation (execReplacing).
import { splitShell } from "../shell/split.js";
import { LOST_TERMINAL, SKIPPED_END } from "./protocol-breaks.js";
import type { Ending } from "./shell-outcome.js";

export interface EndingCause {
  /** Offset of the command's first line in the block. */
  line: number;
  /** The command, shortened to its first line. */
  command: string;
  /** What it did, completing "line N (`command`) …". */
  why: string;
}

type How = Pick<Ending, "status" | "signal" | "errexit" | "broken">;

/** [applies to this ending, matches the command, what it did] — the first match, in block order, wins. */
const CAUSES: [(how: How) => boolean, RegExp, string][] = [
  [
    // First: rootlab ends (SIGKILL) the shell it found waiting, which the next cause would blame on `kill … $$`.
    (h) => h.broken === SKIPPED_END,
    /\bkill\b[^\n]*\s-(s\s*)?(SIG)?(INT|2)\b[^\n]*\$(\$|\{\$\}|BASHPID\b)/,
    "sent SIGINT to the session's own shell: a shell reading commands from a terminal then drops the rest of the line it is running (as Ctrl-C at a prompt does; a script would die of it), rootlab's end of the block included, so the session cannot go on; interrupt a command of its own instead (`sleep 9 & kill -INT $!`)",
  ],
  [
    (h) => h.signal !== null,
    /\bulimit\b[^\n]*\s-[a-zA-Z]*f/,
    "lowered the file size limit, and the shell itself then wrote to a file beyond it: the kernel ends such a process with SIGXFSZ, as it would end a script (bash as PID 1 of a PID namespace, which ignores that signal, crashes instead); lower it for one command in a subshell: `( ulimit -f 0; … )`",
  ],
  [
    (h) => h.signal !== null,
    /\bkill\b[^\n]*\$(\$|\{\$\}|PPID\b|BASHPID\b)/,
    "killed the session's own shell (`$$` is that shell, also in a subshell, as in a script)",
  ],
  [
    (h) => !h.errexit,
    /\b(set\b[^\n]*\s[-+][a-zA-Z]*o\s*|shopt\b[^\n]*\s-[a-z]*o\b[^\n]*\s)(vi|emacs)\b/,
    "turned line editing on or off, which bash cannot do inside a block (it crashes, or reads rootlab's own input), and a script ignores: rootlab keeps `set -o vi` (or emacs) written alone on its line for the shell you type into, but not this spelling (write `set -o vi` on a line of its own)",
  ],
  [
    // Alone on its terminal, the host shell that lost it may see the hang-up, or wait for input it can no longer
    // get, or rootlab finds it waiting without the protocol's line (a race): the same cause each time.
    (h) => h.signal === "SIGHUP" || (h.signal === null && !h.errexit) || h.broken === LOST_TERMINAL || h.broken === SKIPPED_END,
    /(\b[1-9]\d+|\{\w+\}|\$\{?\w+\}?)[<>]&-/,
    "closed file descriptors the shell keeps its terminal on while a block runs (fds 0-2 are moved to 10 and up): with no way back to its terminal, the shell ended",
  ],
  [
    (h) => h.signal === null && !h.errexit && !h.broken,
    /\btrap\b[^\n]*\b(exit|logout)\b[^\n]*\b(DEBUG|RETURN|ERR)\b/,
    "set a trap that runs `exit`; it ran at the block's next command, as it would in a script",
  ],
  [
    (h) => h.signal === null && !h.errexit && !h.broken,
    /\bulimit\b[^\n]*\s-[a-zA-Z]*n/,
    "lowered the open files limit below what the shell needs to run a block: it keeps its terminal on fds 10 and up while a block runs, and busybox ash that cannot save them there exits (a script would go on); lower it for one command in a subshell: `( ulimit -n 9; … )`",
  ],
  [(h) => h.signal === null && !h.errexit && !h.broken, /(^|[;&|{]\s*|\bthen\s+|\bdo\s+)(exit|logout)\b/, "ran `exit`, which ends the shell it runs in"],
  [
    // A top-level command that starts with `return` (inside a function's definition it is the function's).
    (h) => h.signal === null && !h.errexit && !h.broken,
    /^\s*return\b/,
    "ran `return` outside a function: busybox ash then ends the shell, as it ends a script (bash only complains); to stop a block early, let a command fail (`false`)",
  ],
];

export function likelyEndingCause(code: string, how: How): EndingCause | undefined {
  const causes = CAUSES.filter(([applies]) => applies(how));
  if (causes.length === 0) return undefined;
  const commands = splitShell(code).commands;
  for (const [, pattern, why] of causes) {
    for (const cmd of commands) {
      // `( … exit … )` ends only the subshell.
      if (why.startsWith("ran `exit`") && /^\s*\(/.test(cmd.text)) continue;
      if (!pattern.test(cmd.text)) continue;
      const first = cmd.text.split("\n")[0] ?? "";
      return { line: cmd.line, command: first.length > 80 ? `${first.slice(0, 77)}...` : first, why };
    }
  }
  return undefined;
}

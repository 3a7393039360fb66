// What a block can do to its session that the block protocol (./block-script.ts) cannot survive, how rootlab
// tells, and the words it says then (Ending.broken). Pure. A plain `bash script` would go on after most of these;
// a session cannot, and rootlab must say so instead of hanging or reporting every later block as failing.
import type { StatusLine } from "./status-line.js";

export const EVAL_GONE =
  "a block disabled or removed the shell's `eval` (e.g. `enable -n eval`), which rootlab runs every block with; no later block could run in it";
export const SKIPPED_END =
  "the block ran, but the shell went back to waiting for commands without running rootlab's end-of-block line: the block redefined what that line uses (a function named `command`, `enable -n command`, `enable -n printf` with another `printf` first on PATH, a DEBUG trap that skips commands under `shopt -s extdebug`, a readonly variable of rootlab's …), or a `&` job of an earlier block read the session's terminal (`read x </dev/tty &`) and took the block's text, as it would take keys typed into a script's terminal";
export const LOST_TERMINAL =
  "the block closed the file descriptors where the shell keeps its terminal while a block runs (bash and ash move fds 0-2 to 10 and up, e.g. `exec 10>&-` or a loop closing every fd), so the shell could not get its terminal back and ended";
export const NO_OUTPUT_FILES =
  "the session's shell could not open this block's output files, so the block did not run (did an earlier block lower `ulimit -n`, fill the disk, or mount something over the folder rootlab keeps them in, `/run/rootlab` or `/tmp` in the session's root?)";

/**
 * From a block's status line: whether the body did not run because `eval` is gone (not run, status 127; not run
 * with another status means a syntax error, or the block's own redirections failed: NO_OUTPUT_FILES).
 */
export function brokenBy(result: Pick<StatusLine, "ran" | "status">): string | undefined {
  if (result.ran === "0" && result.status === 127) return EVAL_GONE;
  return undefined;
}

/**
 * busybox ash that cannot put back a fd it saved (the block closed it: `exec 10>&-`) says so forever, to the
 * block's stderr: "sh: 10: Bad file descriptor". True when the last 64 KiB of stderr are only that.
 */
export function isRestoreLoop(stderr: string): boolean {
  const tail = stderr.slice(-65536);
  return /^(?:[^\n]*: \d+: Bad file descriptor\n)+$/.test(tail.slice(tail.indexOf("\n") + 1));
}

/**
 * The shell's own complaint that it could not open a block's output files (`ulimit -n` too low, a full disk), from
 * what it printed on its terminal before the status line; undefined when there is none. Only lines naming one of
 * the files as the shell names a file it cannot open (`PATH: …`): a shell that echoes its input (busybox ash) has
 * the block's text there too, where the paths are quoted.
 */
export function outputFilesError(before: string, files: readonly string[]): string | undefined {
  const lines = before.replace(/\r/g, "").split("\n").filter((l) => files.some((f) => l.includes(`${f}: `)));
  return lines.length ? `${lines.join("\n")}\n` : undefined;
}

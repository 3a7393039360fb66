// Reading and writing a session's state as shell text: `export -p` of bash (`declare -x K="v"`), dash and
// busybox ash (`export K='v'`), and the commands that carry a state back. Pure.
import { shellQuote } from "./block-script.js";
import { parseExportP } from "./export-parse.js";

/** Commands whose output `parseSnapshot` reads: cwd, $0, then the variables. */
export const SNAPSHOT_COMMANDS = ["pwd", `printf '%s\\n' "$0"`, "export -p"];

export interface ParsedSnapshot {
  cwd: string;
  shell: string;
  env: Record<string, string>;
}

export function parseSnapshot(stdout: string): ParsedSnapshot {
  const first = stdout.indexOf("\n");
  const second = stdout.indexOf("\n", first + 1);
  const cwd = stdout.slice(0, first);
  const shell = stdout.slice(first + 1, second).replace(/^-/, "");
  return { cwd, shell, env: parseExportP(stdout.slice(second + 1)) };
}


/**
 * Variables a restore never touches: the shell's own bookkeeping, an interactive shell's furniture, and what
 * rootlab itself maintains.
 */
const UNTOUCHED = new Set([
  "_", "PWD", "OLDPWD", "SHLVL", "PPID", "UID", "EUID", "GROUPS", "SHELLOPTS", "BASHOPTS", "BASH", "BASHPID",
  "BASH_VERSION", "BASH_VERSINFO", "BASH_ARGV0", "RANDOM", "SRANDOM", "SECONDS", "LINENO", "EPOCHSECONDS",
  "EPOCHREALTIME", "HISTFILE", "HISTSIZE", "HISTFILESIZE", "HISTCONTROL", "HISTCMD", "PS1", "PS2", "PS3", "PS4",
  "PROMPT_COMMAND", "TERM", "COLUMNS", "LINES", "IFS", "OPTIND", "OPTARG", "ROOTLAB_RUN_ID",
]);

function touchable(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !UNTOUCHED.has(name) && !/^(ROOTLAB_SESSION_|__rl_)/.test(name);
}

/** Commands that turn `current` into `wanted`: cd when the directory differs, export what changed, unset what went. */
export function restoreCommands(
  current: { cwd: string; env: Record<string, string> },
  wanted: { cwd: string; env: Record<string, string> },
): string[] {
  const out: string[] = [];
  if (wanted.cwd && wanted.cwd !== current.cwd) out.push(`cd -- ${shellQuote(wanted.cwd)}`);
  for (const [name, value] of Object.entries(wanted.env)) {
    if (touchable(name) && current.env[name] !== value) out.push(`export ${name}=${shellQuote(value)}`);
  }
  for (const name of Object.keys(current.env)) {
    if (touchable(name) && !(name in wanted.env)) out.push(`unset ${name} || :`);
  }
  return out;
}

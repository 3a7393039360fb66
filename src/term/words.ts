// Numbers people should not have to decode: exit statuses and durations, in words.
import { constants } from "node:os";
import { splitShell } from "../shell/split.js";

/** What a signal usually means to someone reading a failed lab step. */
const SIGNAL_NOTES: Record<string, string> = {
  SIGINT: "Ctrl-C",
  SIGKILL: "often the OOM killer or a timeout",
  SIGSEGV: "segmentation fault",
  SIGTERM: "asked to stop",
  SIGPIPE: "its reader went away",
  SIGABRT: "aborted",
  SIGHUP: "its terminal went away",
};

/** Signal number → its first name (SIGABRT rather than its alias SIGIOT). */
function signalName(n: number): string | undefined {
  for (const [name, num] of Object.entries(constants.signals)) if (num === n) return name;
  return undefined;
}

function killedBy(name: string): string {
  const note = SIGNAL_NOTES[name];
  return note === undefined ? `killed by ${name}` : `killed by ${name} (${note})`;
}

/**
 * An exit status (or the signal that ended a process) in words: 0 "success", 1 "general failure",
 * 127 "command or program not found", 137 "killed by SIGKILL (often the OOM killer or a timeout)", …
 * Shells report death by signal N as status 128+N, so those are named too.
 */
export function exitCodeInWords(code: number | null, signal?: string): string {
  if (code === null) return signal ? killedBy(signal) : "no exit status";
  switch (code) {
    case 0:
      return "success";
    case 1:
      return "general failure";
    case 2:
      // Only the shell means "misuse" by 2; ls, grep, ping, ip … each mean their own thing (exitStatusInWords).
      return "the command's own meaning: see its man page";
    case 126:
      return "could not execute it";
    case 127:
      return "command or program not found";
  }
  if (code > 128 && code <= 128 + 64) {
    const name = signalName(code - 128);
    return name ? killedBy(name) : `killed by signal ${code - 128}`;
  }
  return `exited with status ${code}`;
}

/** Bash builtins (and `[[`): bash itself returns 2 when one is misused (a bad option, a bad `[ ]` expression). */
const SHELL_BUILTINS = new Set([".", ":", "[", "[[", "alias", "bg", "bind", "break", "builtin", "cd", "command", "continue", "declare", "dirs", "disown", "echo", "enable", "eval", "exec", "exit", "export", "fc", "fg", "getopts", "hash", "help", "history", "jobs", "kill", "let", "local", "mapfile", "popd", "printf", "pushd", "pwd", "read", "readarray", "readonly", "return", "set", "shift", "shopt", "source", "test", "times", "trap", "type", "typeset", "ulimit", "umask", "unalias", "unset", "wait"]);

/** What status 2 means for common tools, from their man pages (and, for ip, its source: RTNETLINK errors). */
const STATUS_2: Record<string, string> = {
  ls: "ls: serious trouble, e.g. a path it was given cannot be accessed",
  ping: "ping: an error other than no reply, e.g. network unreachable or unknown host",
  grep: "grep: an error, e.g. a file it cannot read (no match would be 1)",
  egrep: "grep: an error, e.g. a file it cannot read (no match would be 1)",
  fgrep: "grep: an error, e.g. a file it cannot read (no match would be 1)",
  ip: "ip: the kernel refused the request (its RTNETLINK answers line says why)",
  diff: "diff: trouble, e.g. a file it cannot read (differences would be 1)",
  cmp: "cmp: trouble, e.g. a file it cannot read (differences would be 1)",
};

/** Reserved words that open a compound command: its status is some inner command's. */
const COMPOUND = new Set(["if", "while", "until", "for", "case", "select", "function"]);

/** Programs that run another command and return its status (with options of their own that are not read here). */
const RUNS_ANOTHER = new Set(["env", "nsenter", "unshare", "timeout", "xargs", "setsid", "sudo", "doas", "busybox", "systemd-run", "machinectl"]);

/** Words before the program that do not name it: `! grep …`, `time ls`, `exec ping …`. */
const PREFIXES = new Set(["!", "time", "command", "exec", "nohup"]);

/**
 * The program whose status a command line ends with, when the line says so plainly: the last command of a lone
 * pipeline, its name without a path. Undefined for `a && b`, `a; b`, substitutions, subshells and quoted `|`,
 * where the status may be another command's. Pure.
 */
export function statusProgram(line: string): string | undefined {
  const text = line.replace(/\\\n/g, " ").replace(/(^|\s)#.*$/s, "").trim();
  if (text === "" || /\n|&&|\|\||;|\$\(|`|[(){}]|[<>]\(/.test(text)) return undefined;
  if (/["']/.test(text) && text.includes("|")) return undefined;
  const last = text.split("|").at(-1) ?? "";
  const words = last.trim().split(/\s+/);
  while (words.length > 0 && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!) || PREFIXES.has(words[0]!))) words.shift();
  const name = (word: string | undefined): string | undefined =>
    word === undefined || word === "" || word.startsWith("-") || COMPOUND.has(word) ? undefined : word.split("/").at(-1);
  const first = name(words[0]);
  // Commands that run another: its status is that one's. The two forms the labs use are read; others are not.
  if (first === "ip" && words[1] === "netns" && words[2] === "exec") return name(words[4]);
  if (first === "chroot") return name(words[1]) === undefined ? undefined : name(words[2]);
  return first === undefined || RUNS_ANOTHER.has(first) ? undefined : first;
}

/**
 * An exit status in words for the command line (or block) that returned it: like exitCodeInWords, but status 2
 * is said honestly — "misuse of a shell builtin" only where the shell returned it, the tool's own meaning for
 * common tools, else a pointer to the man page. A block's status is its failing command's: FAILED_LINE (0-based
 * within the code) picks it; without it, only a block of one top-level command names its program.
 */
export function exitStatusInWords(code: number | null, command?: string, failedLine?: number): string {
  if (code !== 2 || command === undefined) return exitCodeInWords(code);
  const { commands } = splitShell(command);
  // Two commands on the failing line (`a; b`): which one failed is not known, so neither is named.
  const onLine = failedLine === undefined ? [] : commands.filter((c) => c.line === failedLine);
  // Without the failing line, only a block of one command says whose status it is.
  const candidates = failedLine === undefined ? commands : onLine;
  const picked = candidates.length === 1 ? candidates[0] : undefined;
  const program = picked === undefined ? undefined : statusProgram(picked.text);
  if (program === undefined) return exitCodeInWords(code);
  if (SHELL_BUILTINS.has(program)) return `misuse of a shell builtin (${program}: a bad option or expression)`;
  return STATUS_2[program] ?? `${program}'s own meaning: see man ${program}`;
}

/** "12 ms", "1.4 s", "2 m 03 s", "1 h 05 m". */
export function formatElapsed(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) ms = 0;
  if (ms < 999.5) return `${Math.round(ms)} ms`;
  const tenths = Math.round(ms / 100);
  if (tenths < 600) return `${(tenths / 10).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} m ${String(seconds % 60).padStart(2, "0")} s`;
  const minutes = Math.round(ms / 60_000);
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} m`;
}

// Reading and writing a session's state as shell text: `export -p` of bash (`declare -x K="v"`), dash and
// busybox ash (`export K='v'`), and the commands that carry a state back. Pure.
import { shellQuote } from "./block-script.js";

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

/** Variables from `export -p` output. Variables exported without a value and arrays are left out. */
export function parseExportP(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
    const head = /^(?:declare -([A-Za-z-]+)|export) +([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(i, i + 300));
    if (!head) {
      // Not a declaration: skip the line.
      const nl = text.indexOf("\n", i);
      i = nl < 0 ? text.length : nl + 1;
      continue;
    }
    const flags = head[1] ?? "";
    const name = head[2] as string;
    i += head[0].length;
    if (text[i] !== "=") continue;
    const [value, end] = readWord(text, i + 1);
    i = end;
    if (!/[aA]/.test(flags) && !name.startsWith("__rl_")) env[name] = value; // not rootlab's protocol variables
  }
  return env;
}

/** One shell word starting at `i` (quotes removed); returns it and the index after it. */
function readWord(text: string, i: number): [string, number] {
  let out = "";
  while (i < text.length) {
    const c = text[i] as string;
    if (c === " " || c === "\n" || c === "\t") break;
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      const end = close < 0 ? text.length : close;
      out += text.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === "\\" && /[\\"$`\n]/.test(text[i + 1] ?? "")) {
          if (text[i + 1] !== "\n") out += text[i + 1];
          i += 2;
        } else out += text[i++];
      }
      i++;
    } else if (c === "$" && text[i + 1] === "'") {
      i += 2;
      while (i < text.length && text[i] !== "'") {
        if (text[i] === "\\") {
          out += ansiEscape(text[i + 1] ?? "");
          i += 2;
        } else out += text[i++];
      }
      i++;
    } else if (c === "\\") {
      out += text[i + 1] ?? "";
      i += 2;
    } else {
      out += c;
      i++;
    }
  }
  return [out, i];
}

function ansiEscape(c: string): string {
  const map: Record<string, string> = { n: "\n", t: "\t", r: "\r", e: "\x1b", a: "\x07", b: "\b", f: "\f", v: "\v" };
  return map[c] ?? c;
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

/** A duration as a lab author writes it: 500ms, 5s, 1m30s, 2h. */
export function formatDuration(ms: number): string {
  if (ms % 1000 !== 0 || ms < 1000) return `${ms}ms`;
  let s = ms / 1000;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${h ? `${h}h` : ""}${m ? `${m}m` : ""}${s ? `${s}s` : ""}`;
}

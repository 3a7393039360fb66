// The shell text that switches a session's interactive shell between rootlab driving it and the learner typing
// into it. Pure; POSIX sh, so bash, dash and busybox ash all run it.
//
// Driving: no prompts and no job control. bash also gets no line editing, no history, no aliases and a raw
// terminal without echo (no line-length limit, no special characters). Other shells keep their terminal as it is: busybox ash
// reads an interactive terminal through its line editor, whose fallback for a terminal without echo treats a
// read interrupted by SIGCHLD as end of input (the shell would exit when a `&` job ends); its echo is only noise
// to rootlab, and ./block-script.ts keeps lines short and free of control characters for the editor. The
// learner's terminal settings are kept in __rl_tty and given back at the hand-over. Assignments are made with
// allexport off so PS1 and rootlab's variables never reach the environment of what the session starts; every
// session runs with allexport on (a variable set in a block is seen by the sessions it starts).

import { shellQuote } from "./block-script.js";
import { AFTER_BLOCK_FAST, ASIDE_CODE, ASIDE_CODE_BASH, ASIDE_LOOP, ASIDE_LOOP_BASH, BACK_CODE, BACK_CODE_BASH } from "./after-block.js";

/** The shell's option to restore after assignments that must not be exported. */
function unexported(assignments: string): string {
  return `set +a; ${assignments}; set -a`;
}

// bash expands no aliases while driven, as in a script (an `alias if=…` would break rootlab's own commands).
const DRIVE_SHELL =
  'if [ -n "${BASH_VERSION:-}" ]; then set +o emacs +o vi +H +o history; shopt -u expand_aliases; stty raw -echo 2>&-; else stty echo icanon 2>&-; fi; set +m';

/**
 * The first line a new session's shell reads (with whatever editing and echo it starts with): keep the
 * learner's terminal settings, drive, and print `<pidMarker> $$`. `pidMarker` is printed as two printf arguments
 * so the echoed line itself never contains it.
 */
export function handshakeLine(pidPrefix: string, pidNonce: string): string {
  // No aliases from a start-up file (an interactive bash reads ~/.bashrc): `rm` must not become `rm -i` in blocks.
  const keep = unexported("unalias -a 2>&-; unset PS1 PS2 PROMPT_COMMAND HISTFILE 2>&-; __rl_tty=$(stty -g 2>&-); PS1=; PS2=");
  return `${keep}; ${DRIVE_SHELL}; \\command printf '%s%s %s\\n' ${pidPrefix} ${pidNonce} "$$"`;
}

/**
 * What the block protocol needs defined once in each session (./block-script.ts: putting aside what an interactive
 * shell does between commands), not exported. Plain variables, not readonly: a script may unset any name, and a
 * block that unsets these (`unset __rl_away …`) goes on as a script would; the block's status line then says they
 * are gone and rootlab defines them again before the next block (./sessions.ts). In bash (4.4 and
 * later) what runs after each block is a function, `__rl_after`: its commands are parsed once, not at every block
 * (parsing is most of what the protocol costs the shell: docs/benchmarks.md). A block that removes every function
 * (`unset -f $(compgen -A function)`) must not fail as it would not in a script; without it the same code runs
 * from its variable. Defined through `eval` of a quoted string, so other shells never parse
 * bash's syntax in it.
 */
export function sessionDefinitions(): string {
  // One assignment each: a name a block made readonly (then its value is rootlab's already) does not stop the others.
  const define = (away: string, loop: string, back: string, extra = "") =>
    [`__rl_away=${shellQuote(away)}`, `__rl_loop=${shellQuote(loop)}`, `__rl_back=${shellQuote(back)}`, ...(extra ? [extra] : [])].map((a) => `${a} 2>&-`).join("; ");
  // The after-block code's fast path: one `[[ ]]` (a tenth of what its ten commands cost the shell: measured,
  // docs/benchmarks.md) finds nothing to do in the usual case; anything it does not vouch for takes the full code.
  const fn = `\\command eval ${shellQuote(`${AFTER}() {\n${AFTER_FAST_TEST} || ${AFTER}_full\n}\n${AFTER}_full() {\n${ASIDE_CODE_BASH}\n}`)}`;
  // Called with the terminal as it is (its first command looks at fds 0-2); when a block removed it, bash says so
  // on the terminal (not in any block's output) and the code runs from the variable; when that is gone too, the
  // status line says so (no __rl_away) and rootlab defines them again. `__rl_fast` tells rootlab (the status line's
  // last field) that blocks may call the function without going through `eval` (./block-script.ts, AFTER_BLOCK_FAST).
  const bashAway = AFTER_BLOCK_FAST;
  return unexported(
    `case "\${BASH_VERSION:-}" in ""|[1-3].*|4.[0-3]*) ${define(ASIDE_CODE, ASIDE_LOOP, BACK_CODE)};; *) ${fn}; ${define(bashAway, ASIDE_LOOP_BASH, BACK_CODE_BASH, `__rl_after_code=${shellQuote(ASIDE_CODE_BASH)}; __rl_fast=1`)};; esac`,
  );
}

/** bash: the function that runs after each block. */
const AFTER = "__rl_after";
/**
 * True when the after-block code has nothing to do: the terminal on fds 0-2, none of TMOUT, PROMPT_COMMAND, PS0-2
 * set to anything, alias expansion off (BASHOPTS is readonly: a block cannot hide it), the code that brings them
 * back still there.
 */
export const AFTER_FAST_TEST = "[[ -t 0 && -t 1 && -t 2 && -z ${TMOUT[*]-}${PROMPT_COMMAND[*]-}${PS0[*]-}${PS1[*]-}${PS2[*]-} && $BASHOPTS != *expand_aliases* && -v __rl_back ]]";

/** The OSC sequence a take-back ends with: terminals ignore it; rootlab cuts it out of the stream. */
export function checkSignal(token: string): string {
  return `\x1b]777;rootlab-check;${token}\x07`;
}

/**
 * Ends the learner's turn: keep their terminal settings, drive again, then print the check signal. It is the body
 * of the `check` command and what rootlab types for the learner on the hand-back key, so it must work even after
 * they replaced the shell with `exec`.
 */
export function takeBackLine(token: string): string {
  const keep = unexported('__rl_tty=$(stty -g 2>&-); __rl_ps1=$PS1; __rl_ps2=$PS2; PS1=; PS2=');
  // First, the exit status of the learner's last command (a command meant to fail is then "as expected"): `$?`
  // is expanded before eval runs, so the assignment is made with allexport already off.
  return `\\command eval "set +a; __rl_rc=$?"; ${keep}; ${DRIVE_SHELL}; \\command printf '\\033]777;%s;%s\\007' rootlab-check ${token}`;
}

export interface HandOverInput {
  /** Give a shell back as it was (a shell the learner started, caught by `check`): its own prompt, no `check`. */
  resume?: boolean;
  /** The prompt, e.g. "(rootlab box)"; the shell adds its directory and $ or #. */
  label: string;
  token: string;
  term: string;
}

/** bash prompt text: $PWD with the lab's folder replaced by ~lab (a pattern no path starts with when it is unset). */
const PROMPT_DIR = '${PWD/#"${LAB_DIR:-/nonexistent/rootlab}"/"~lab"}';

/** Commands (run as a raw block) that hand the shell to the learner: their prompt, editing, job control, `check`. */
export function handOverCommands({ label, token, term, resume }: HandOverInput): string[] {
  const safe = label.replace(/[^A-Za-z0-9 ()_.:-]/g, "");
  if (resume) {
    return [
      unexported('PS1=${__rl_ps1-"$ "}; PS2=${__rl_ps2-"> "}'),
      `stty "$__rl_tty" 2>&- || stty sane 2>&-`,
      'if [ -n "${BASH_VERSION:-}" ]; then set -o "${__rl_mode:-emacs}" -H -o history; shopt -s expand_aliases; fi; set -m 2>&-',
    ];
  }
  return [
    // bash: the directory, with the lab's folder ($LAB_DIR, long: /var/tmp/rootlab/LAB-XXXXXX) shown as ~lab.
    unexported(`if [ -n "\${BASH_VERSION:-}" ]; then PS1='${safe} ${PROMPT_DIR} \\$ '; else PS1='${safe} $ '; fi; PS2='> '`),
    `check() { ${takeBackLine(token)}; }`,
    `stty "$__rl_tty" 2>&- || stty sane 2>&-`,
    // bash: a mark in the history, so the take-back lists what was typed after it (Up still recalls older turns).
    // bash: the editing mode a block asked for (`set -o vi`, kept by ./block-script.ts) or the learner's last one.
    `if [ -n "\${BASH_VERSION:-}" ]; then set -o "\${__rl_mode:-emacs}" -H -o history; shopt -s expand_aliases; history -s '${TURN_MARK}'; fi; set -m 2>&-`,
    // The learner's terminal type, set once line editing is on: bash tells its line editor of a new TERM only then.
    // A shell a block started (`unshare … bash`) set its editor up for the blocks' TERM=dumb when it began, and
    // would scroll a long line sideways ("<…") instead of wrapping it.
    `TERM=${term.replace(/[^A-Za-z0-9._-]/g, "") || "xterm"}`,
  ];
}

/** Marks the line with the learner's last exit status in the take-back's output. */
const STATUS_PREFIX = "__RLS_";

/** Commands (raw block) after a take-back: what the learner typed (bash keeps it), then `$$`, then the
 * exit status of their last command. */
export function afterTakeBackCommands(pidPrefix: string, pidNonce: string): string[] {
  return [
    'if [ -n "${BASH_VERSION:-}" ]; then HISTTIMEFORMAT= history 2>&-; fi',
    `\\command printf '%s%s %s\\n' ${pidPrefix} ${pidNonce} "$$"`,
    `\\command printf '%s%s %s\\n' ${STATUS_PREFIX} ${pidNonce} "\${__rl_rc:-}"`,
    "unset -f check 2>&- || :",
  ];
}

/** The exit status of the learner's last command before they gave the shell back, from the take-back's output. */
export function readLastStatus(text: string, pidNonce: string): number | undefined {
  const m = new RegExp(`${STATUS_PREFIX}${pidNonce} (\\d+)\\n`).exec(text);
  return m ? Number(m[1]) : undefined;
}

/** The history entry that starts a turn. */
export const TURN_MARK = "# rootlab: your turn";

/** The commands typed since the last turn mark, from bash's `history` listing ("  12  cmd"). */
export function typedSinceMark(history: string): string[] {
  const lines = historyEntries(history).map((l) => l.trim());
  const mark = lines.lastIndexOf(TURN_MARK);
  // No mark: no history listing (ash, whose terminal echoes rootlab's own commands into this text), or history off.
  // Then nothing is known from here, and guided mode reads the prompts on the screen instead.
  if (mark < 0) return [];
  return lines.slice(mark + 1).filter((l) => l && l !== "check" && !l.includes("rootlab-check"));
}

/**
 * bash's `history` listing as its entries: each starts with its number ("%5d" then "*" or a space, then a space);
 * an entry of several lines (a here-document, a loop typed over lines) goes on, unnumbered, on the lines after
 * it. Those lines are part of it, not commands of their own: a here-document's `echo` line is not an `echo` run.
 * Only the next number in sequence starts an entry, so a line of the body that begins with digits does not.
 */
function historyEntries(listing: string): string[] {
  const entries: string[] = [];
  let last: number | undefined;
  for (const line of listing.split("\n")) {
    const m = /^\s*(\d+)[* ] ?/.exec(line);
    const n = m ? Number(m[1]) : undefined;
    if (m && n !== undefined && (last === undefined || n === last + 1)) {
      entries.push(line.slice(m[0].length));
      last = n;
    } else if (entries.length > 0) entries[entries.length - 1] += `\n${line}`;
    else entries.push(line);
  }
  return entries;
}

/** Finds `<prefix><nonce> <pid>` in a raw block's output. */
export function readPidLine(text: string, pidPrefix: string, pidNonce: string): { pid: number; before: string } | undefined {
  const marker = `${pidPrefix}${pidNonce} `;
  const at = text.lastIndexOf(marker);
  if (at < 0) return undefined;
  const pid = Number.parseInt(text.slice(at + marker.length), 10);
  return Number.isInteger(pid) ? { pid, before: text.slice(0, at) } : undefined;
}

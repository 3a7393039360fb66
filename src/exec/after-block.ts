// What runs around each block in a session's shell (./block-script.ts): after it, what an interactive shell would
// do between commands is put aside; before the next, it is brought back. Pure: shell text only. Defined once per
// session in variables and, in bash, functions (./terminal-modes.ts, sessionDefinitions).

/**
 * What an interactive shell does on its own between the commands it reads, which a script never does: exit after
 * TMOUT seconds without a command (between blocks rootlab's shell waits as long as the lab needs), run
 * PROMPT_COMMAND, expand PS0, PS1 and PS2 (command substitutions included: `PROMPT_COMMAND=exit` or
 * `PS0='$(kill $$)'` would end the session), and expand aliases in rootlab's own `if`, `then`, `else`, `fi`, `{`
 * and `}` (an `alias if=…` would break every later block; a script expands no aliases). So after each block these
 * variables are put aside, alias expansion is off again (bash) and the aliases of those words are removed (ash);
 * the variables come back before the next block, where a script sees them (`read` uses TMOUT as its default
 * timeout). bash (4.4 and later) saves each as the declaration `${NAME[@]@A}` gives, so an array PROMPT_COMMAND
 * (bash 5.1) comes back whole, with its attributes; other shells have scalars only. A readonly one stays where it is.
 * The code is defined once per session, in variables (./terminal-modes.ts, sessionDefinitions), so each block's
 * text stays short (most blocks fit in one write to the terminal); a block that unset them gets them back.
 */
/**
 * The shell keeps its terminal (fds 0-2) on fds 10 and up while the eval runs; a block that closed those (a loop
 * closing every fd) leaves the shell on the block's files after it: this goes first in what runs after each block. Its controlling terminal, reopened, is the same
 * terminal: the session goes on, as a shell at a prompt would (without /dev/tty in its root, rootlab says why).
 */
export const TERMINAL_BACK = "\\command [ -t 0 -a -t 1 -a -t 2 ] || \\command exec 0</dev/tty 1>/dev/tty 2>/dev/tty || :";
const PUT_ASIDE = "TMOUT PROMPT_COMMAND PS0 PS1 PS2";
/** Their values one after the other: not empty when one of them is set and not empty (bash: any element of it). */
const ANY_SET = (all: string) => PUT_ASIDE.split(" ").map((v) => `\${${v}${all}-}`).join("");
// Only when an alias exists (`alias` then fails to print it to a closed stdout; 0 when there is none): the
// unalias complains about each of its nine words, which cost the shell more than the rest of a block's protocol.
const UNALIAS = "\\command alias >&- 2>&- || \\command unalias if then else fi for do done { } 2>&- || :";
// A block that unset the loop or the code that brings them back: `__rl_away` goes too, which the status line
// reports (DEFINITIONS_FIELD), and rootlab defines them all again.
const LOOP = "${__rl_loop-\\command unset __rl_away}";
const BACK_THERE = '\\command [ -n "${__rl_back+x}" ] || \\command unset __rl_away';
/**
 * Puts them aside (each block, after it ran): the reserved words' aliases go first, before `for` is parsed. The loop
 * that saves them is parsed only when one is set (`__rl_loop`): most blocks set none, and parsing is most of what
 * the protocol costs the shell (docs/benchmarks.md).
 */
export const ASIDE_CODE = [
  TERMINAL_BACK,
  UNALIAS,
  '\\command [ -z "${BASH_VERSINFO+x}" ] || \\command shopt -u expand_aliases',
  `\\command [ -z "${ANY_SET("")}" ] || \\command eval "${LOOP}"`,
  BACK_THERE,
].join("\n");
export const ASIDE_LOOP = `for __rl_v in ${PUT_ASIDE}; do \\command eval "\\command [ -z \\"\\\${$__rl_v:+x}\\" ] || { __rl_a_$__rl_v=\\$$__rl_v; \\command unset $__rl_v 2>&- && __rl_aside=1 || \\command unset __rl_a_$__rl_v; }"; done; \\command unset __rl_v`;
/** Brings them back (before a block, when __rl_aside says some were put aside). */
export const BACK_CODE =
  `for __rl_v in ${PUT_ASIDE}; do \\command eval "\\command [ -z \\"\\\${__rl_a_$__rl_v+x}\\" ] || { $__rl_v=\\$__rl_a_$__rl_v; \\command unset __rl_a_$__rl_v; }"; done; \\command unset __rl_v __rl_aside`;
/** The same for bash: no alias expansion while driven, and each saved as its declaration. */
export const ASIDE_CODE_BASH = [
  TERMINAL_BACK,
  UNALIAS,
  "\\command shopt -u expand_aliases",
  `\\command [ -z "${ANY_SET("[*]")}" ] || \\command eval "${LOOP}"`,
  BACK_THERE,
].join("\n");
export const ASIDE_LOOP_BASH = `for __rl_v in ${PUT_ASIDE}; do \\command eval "\\command [ -z \\"\\\${$__rl_v[*]:+x}\\" ] || { __rl_a_$__rl_v=\\\${$__rl_v[@]@A}; \\command unset $__rl_v 2>&- && __rl_aside=1 || \\command unset __rl_a_$__rl_v; }"; done; \\command unset __rl_v`;
export const BACK_CODE_BASH =
  `for __rl_v in ${PUT_ASIDE}; do \\command eval "\\command [ -z \\"\\\${__rl_a_$__rl_v+x}\\" ] || { \\command eval \\"\\$__rl_a_$__rl_v\\"; \\command unset __rl_a_$__rl_v; }"; done; \\command unset __rl_v __rl_aside`;
export const SHELL_PARTS_AWAY = '\\command eval "${__rl_away-}"';
/**
 * What `__rl_away` holds in bash 4.4 and later, written into the block itself once the status line said so: the
 * `eval` of it cost the shell more than the function it calls (docs/benchmarks.md). A block that removed the
 * function gets bash's complaint on the terminal and the same code from its variable.
 */
export const AFTER_BLOCK_FAST = '__rl_after || \\command eval "${__rl_after_code-\\command unset __rl_away}"';
export const SHELL_PARTS_BACK = '\\command [ -z "${__rl_aside+x}" ] || \\command eval "$__rl_back"';
/** The same in bash once AFTER_BLOCK_FAST is in use (alias expansion is off when the block is read): a third of it. */
export const SHELL_PARTS_BACK_FAST = '[[ ! -v __rl_aside ]] || \\command eval "$__rl_back"';

// The text rootlab sends to a session's shell for one block (the status line that ends it is read by ./status-line.ts).
// Pure. POSIX sh: bash, dash and busybox ash all run it.
//
// Shape (script mode):
//   { <bring back>; command eval '<body>' <'<dir>/in' >'<dir>/<f>' 2>'<dir>/<f>'
//   __rl_ev<n>=$?; command eval "${__rl_away-}"   (after the block: terminal back, then put aside: see ASIDE_CODE)
//   printf '%s%s %s %s %s %s %s\n' __RL_ <nonce> "$__rl_ev<n>,${__rl_rc<n>-}" "${__rl_L<n>-}" "$-" "${__rl_L<n>+1}" …; unset …; }
// (<n> the block's key) where <body> is each top-level command followed by `__rl_rc<n>=$? __rl_u<n>=${_-}; if
// [ $__rl_rc<n> -eq 0 ]; then : "$__rl_u<n>"`, closed by `else __rl_L<n>=<line>; fi` for each, last first, and the
// last command by `__rl_rc<n>=$? __rl_L<n>=<line>` (see body()). Why this shape:
// - it runs in the shell itself (not a function, not a subshell, not a loop), so variables, cwd and namespaces
//   carry on, and `break`, `continue` and `return` behave exactly as typed at a prompt (a complaint, then on);
// - the block's stdout and stderr are files of its own (the channel, ./block-channel.ts), opened by the
//   redirections of the eval: whatever the block does to fds 0–9 (`exec 2>&1`, `exec >file`, `exec 3>&1`,
//   closing them) is undone by the shell when the eval ends, so the status line always reaches rootlab on the
//   shell's own stdout, and output a `&` job writes later lands in its own block's file, never in another's;
// - `command eval` turns a syntax error in the block into exit status 2 instead of ending the shell, and an
//   unterminated quote cannot swallow the protocol;
// - the block's stdin is an empty file of the channel's folder (`in`, inside the session's own root, so it is
//   there after a chroot or pivot_root, where /dev/null may not be): commands see end of file (`cat`, `read`)
//   instead of eating the protocol, and rootlab needs no builtin of the shell for it (`enable -n read` is harmless);
// - the status line carries `$-`, so rootlab knows when `set -e` is on (a failing command then ends the shell,
//   as it would in a terminal, and rootlab says why);
// - the marker is printed as two printf arguments, so the text sent never contains it literally (a session
//   that echoes its input cannot fake the end of a block).
// - the protocol's variables carry the block's key, so a `readonly` or `declare -i` an earlier block left on
//   them cannot break the next block; none is set before the block's first command, so a session that exports
//   everything (`set -a`, as rootlab's sessions do) passes none of them to what the block starts;
// - the status line also says whether the body ran (`1`) or not (`0`: `eval` disabled by `enable -n` or
//   missing): rootlab can then say what the block did to the session instead of reporting every later block as
//   failing.
// Check mode runs the eval in a subshell `( … )` as an `if` condition, so a check never changes the session and
// a failing check never trips the session's `set -e`; its failing line goes to a third file.
// What this costs the shell per block is measured in docs/benchmarks.md: bash parses text slowly (hundreds of
// instructions a byte), so the text a block adds is kept short and rarely-needed parts are not parsed at all.

import type { ShellCommand } from "../shell/types.js";
import { shellQuote } from "./shell-quote.js";
import { mayTurnVerboseOn, readLines, verboseEcho, type Verbose } from "./verbose-echo.js";
import { editingMode, noExec } from "./set-options.js";
import { AFTER_BLOCK_FAST, SHELL_PARTS_AWAY, SHELL_PARTS_BACK, SHELL_PARTS_BACK_FAST } from "./after-block.js";

export type BlockMode = "script" | "check";

/** Where a block's output goes, as paths the session's shell sees. */
export interface BlockFiles {
  /** An empty file: the block's stdin. */
  stdin: string;
  stdout: string;
  stderr: string;
  /** check mode: the failing command's line. */
  line: string;
}

export interface BlockScriptInput {
  commands: ShellCommand[];
  nonce: string;
  mode: BlockMode;
  files: BlockFiles;
  /** Shell text run in the session before the block, outside it (e.g. `export ROOTLAB_SESSION_C_PID=…`). */
  prelude?: string;
  /**
   * A short name no other block of this shell gets (default: the nonce): it suffixes the protocol's variables,
   * which need only be new to the shell, not unguessable like the status marker.
   * Short, because a block's text longer than a terminal write piece (./pty.ts) goes in two writes, each waking
   * the shell: measured, see docs/benchmarks.md.
   */
  key?: string;
  /** Verbose (`set -v`) was on after the session's last block (its `$-`): see verboseEcho. */
  verbose?: boolean;
  /** The block's text as written (the lines a script's shell echoes under `set -v`). */
  source?: string;
  /** The session's last status line said its bash has the after-block function (AFTER_BLOCK_FAST). */
  fast?: boolean;
}

const PREFIX = "__RL_";

/** What starts the status line of the block with this nonce on the shell's stdout. */
export function statusMarker(nonce: string): string {
  return PREFIX + nonce;
}

/**
 * A shell command that prints `<marker> <status> <line> <flags> <ran>` (and, after a script block, `<defs>`);
 * `status` is shell text (e.g. "$?").
 */
function statusCommand(nonce: string, status: string, line: string, ran = "-", defs = ""): string {
  return `\\command printf '%s%s %s %s %s %s${defs ? " %s" : ""}\\n' ${PREFIX} ${nonce} ${status} ${line} "$-" ${ran}${defs ? ` ${defs}` : ""}`;
}

/**
 * `d` while the session's definitions (./terminal-modes.ts, sessionDefinitions) are all there: they are plain
 * variables, so a block can unset them as a script unsets any name (`unset __rl_away …`, `unset $(compgen -v)`);
 * an empty field tells rootlab to define them again before the next block (./session-shell.ts, ./sessions.ts).
 */
export const DEFINITIONS_FIELD = '"${__rl_away+d${__rl_fast-}}"';

/** The protocol's variables for one block (see the header: they carry its key). */
function blockVars(key: string): { rc: string; L: string; ev: string; u: string } {
  return { rc: `__rl_rc${key}`, L: `__rl_L${key}`, ev: `__rl_ev${key}`, u: `__rl_u${key}` };
}

export { shellQuote } from "./shell-quote.js";

/**
 * The block's commands, each checked: the first failing one records its line and the rest are skipped. A command
 * that follows a successful one runs in the `then` branch of the check, after `: "$_"`, so it sees `$?` 0 and the
 * `$_` the command before it left, as in a script; the failing lines are recorded in the `else` branches. The
 * body marks that it ran at its end, in every branch, by setting `L` (the line it stopped at; the last command's
 * when it ran, whatever its status: rootlab reads the line only of a failing block): nothing of the protocol is set
 * before the block's first command, so nothing of it is in that command's environment. The status line carries
 * `ev` (the eval's own status: 2 for a syntax error, or an expansion error that ended the eval half-way) and `rc`
 * (the status of the command that stopped the block, if one did): rootlab takes a failing `rc`, else `ev`
 * (./status-line.ts). `verbose`: see verboseEcho.
 */
function body(commands: ShellCommand[], mode: BlockMode, lineFile: string, v: ReturnType<typeof blockVars>, verbose: Verbose): string {
  // The protocol's own commands run with stdout and stderr closed: `set -x` must not trace them into the block's
  // stderr (a script's trace shows only its commands), and a DEBUG trap that prints (bash runs it before every
  // simple command, rootlab's too) prints only before the block's own commands, as in a script. Each such group
  // costs the shell a save, close and restore of fds 1 and 2 (16 system calls): as few groups as can be.
  const quiet = (text: string) => `{ ${text}; } >&- 2>&-`;
  const record = (cmd: ShellCommand) => (mode === "check" ? `\\command echo ${cmd.line} >${shellQuote(lineFile)}` : `${v.L}=${cmd.line}`);
  const shown = verbose.echo ? readLines(commands, verbose.source) : [];
  // `: "$_"` gives the next command the `$_` the block's last command left; the empty `case` then gives it `$?` 0
  // even when `:` fails (`enable -n :`), without touching `$_` (no simple command).
  const echo = (i: number) => (shown[i] !== undefined ? `${verboseEcho(shown[i])}; ` : "");
  const lines: string[] = verbose.wasOn ? [quiet("\\command set -v")] : [];
  commands.forEach((cmd, i) => {
    const text = noExec(editingMode(cmd.text));
    if (i === 0 && shown[0] !== undefined) lines.push(verboseEcho(shown[0]));
    // A trailing backslash would join the command with our check line.
    lines.push(/(^|[^\\])(\\\\)*\\$/.test(text) ? `${text}\n` : text);
    const next = commands[i + 1];
    if (next) {
      lines.push(`if ${quiet(`${v.rc}=$? ${v.u}=\${_-}; \\command [ "$${v.rc}" -eq 0 ]`)}; then ${echo(i + 1)}${quiet(`\\command : "$${v.u}"; case 0 in esac`)}`);
    } else {
      // The last command: no command follows that could see `$_` or run only after it succeeded.
      lines.push(quiet(mode === "check" ? `${v.rc}=$?; \\command [ "$${v.rc}" -eq 0 ] || ${record(cmd)}` : `${v.rc}=$? ${record(cmd)}`));
    }
  });
  for (const cmd of commands.slice(0, -1).reverse()) lines.push(`else ${quiet(record(cmd))}; fi`);
  if (mode === "check") lines.push(`\\command exit "\${${v.rc}:-0}"`);
  else if (commands.length === 0) lines.push(quiet(`${v.L}=`));
  // Read whole before any of it runs: a `set -v` among the commands must not make bash echo rootlab's lines.
  return verbose.echo ? `{\n${lines.join("\n")}\n}` : lines.join("\n");
}

/**
 * Like shellQuote, but fit for a terminal's line editor: no physical line longer than FOLD_AT characters of `s`
 * (long runs are cut into single-quoted pieces joined by `"\<newline>"`, a line continuation that adds nothing to
 * the word), and no control character other than newline (each becomes a command substitution of printf).
 */
export function foldedQuote(s: string, max = FOLD_AT): string {
  const pieces: string[] = [];
  let start = 0;
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "\n") run = 0;
    else if (++run >= max) {
      pieces.push(s.slice(start, i + 1));
      start = i + 1;
      run = 0;
    }
  }
  pieces.push(s.slice(start));
  // NUL bytes are dropped, as bash drops them reading a script (one sent to busybox ash ends its line early).
  return pieces.map((piece) => shellQuote(piece.replace(/\0/g, "")).replace(CONTROL, (c) => `'"$(printf '\\${c.charCodeAt(0).toString(8).padStart(3, "0")}')"'`)).join('"\\\n"');
}

/**
 * Characters of a block's line per physical line sent: quoting may make one up to four times longer, and busybox
 * ash's line editor takes lines of up to 1024 bytes.
 */
const FOLD_AT = 200;
/** Control characters a line editor would act on (Tab completes, Ctrl-U erases …): sent as `$(printf '\ooo')`. */
const CONTROL = /[\x01-\x09\x0b-\x1f\x7f]/g;

export function blockScript({ commands, nonce, mode, files, prelude, key = nonce, verbose = false, source, fast = false }: BlockScriptInput): string {
  const v = blockVars(key);
  // A check is not a script's line: with verbose on, its text is not echoed at all.
  const echo = mode === "script" && (verbose || mayTurnVerboseOn(commands));
  const quietly = verbose ? "\\command set +v; " : "";
  const evalCmd = `${quietly}\\command eval ${foldedQuote(body(commands, mode, files.line, v, { echo, wasOn: echo && verbose, ...(source !== undefined ? { source } : {}) }))}`;
  const redirect = `<${shellQuote(files.stdin)} >${shellQuote(files.stdout)} 2>${shellQuote(files.stderr)}`;
  // `u` is set only between two commands.
  const unset = `\\command unset ${v.rc} ${v.ev} ${v.L}${commands.length > 1 ? ` ${v.u}` : ""}`;
  if (mode === "check") {
    // The body runs in a subshell: whether it ran is not known here ("-"), and its failing line is in a file.
    const done = `${statusCommand(nonce, `"$${v.ev}"`, "-")}; ${unset}`;
    return [prelude ?? "", `if ( ${evalCmd} ) ${redirect}; then ${v.ev}=0; else ${v.ev}=$?; fi; ${done}`, ""].join("\n");
  }
  const done = `${statusCommand(nonce, `"$${v.ev},\${${v.rc}-}"`, `"\${${v.L}-}"`, `"\${${v.L}+1}"`, DEFINITIONS_FIELD)}; ${unset}`;
  // One brace group: the shell reads the whole block before it runs any of it, so nothing an interactive shell
  // does between two commands it reads (PROMPT_COMMAND, PS0, PS1) runs in the middle of the protocol.
  return [
    prelude ?? "",
    `{ ${fast ? SHELL_PARTS_BACK_FAST : SHELL_PARTS_BACK}; ${evalCmd} ${redirect}`,
    `${v.ev}=$?; ${fast ? AFTER_BLOCK_FAST : SHELL_PARTS_AWAY}`,
    `${done}; }`,
    "",
  ].join("\n");
}



/**
 * A block sent before a session has a channel (the handshake of a new session): its commands run on the shell's
 * own stdin/stdout, one after the other, and the status line follows. Only for rootlab's own commands.
 */
export function rawScript(commands: string[], nonce: string, oneLine = false): string {
  // One line when the commands change how the shell reads its terminal (a hand-over): nothing of the script may
  // still wait in the terminal's input when they take effect.
  if (oneLine) return `${commands.join("; ")}; ${statusCommand(nonce, "$?", "-")}\n`;
  return `${commands.join("\n")}\n${statusCommand(nonce, "$?", "-")}\n`;
}

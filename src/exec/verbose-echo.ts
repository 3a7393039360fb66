// `set -v` in a block as a script shows it (used by ./block-script.ts, which says why the body is read whole). Pure.
import type { ShellCommand } from "../shell/types.js";
import { shellQuote } from "./shell-quote.js";

/**
 * `set -v` (verbose): a script's shell echoes each line it reads, on stderr, before running it. A block's lines are
 * read at once, inside an eval (bash echoes the eval's whole text, rootlab's lines included; busybox ash echoes
 * nothing of an eval), so when verbose may be on (it was after the last block, or a line mentions it) the body is
 * read as one brace group with verbose off, and each command's text is printed before it runs while `$-` says
 * verbose is on: what a script shows. Other blocks pay nothing for it.
 */
export interface Verbose {
  /** Print each command's text while verbose is on. */
  echo: boolean;
  /** Verbose was on when the block started: off while the shell reads the body, back on first thing. */
  wasOn: boolean;
  /** The block's text, whose lines are echoed (without it, the commands' own text). */
  source?: string;
}

/**
 * What a script's shell echoes before each command: the lines it reads for it, only for the first command that
 * starts on a line (`set +v; false` is echoed whole, once).
 */
export function readLines(commands: ShellCommand[], source: string | undefined): (string | undefined)[] {
  const src = source?.split("\n");
  return commands.map((cmd, i) => {
    if (i > 0 && commands[i - 1]?.line === cmd.line) return undefined;
    const same = commands.slice(i).filter((c) => c.line === cmd.line);
    if (!src) return same.map((c) => c.text).join("; ");
    const last = Math.max(...same.map((c) => c.line + c.text.split("\n").length - 1));
    return src.slice(cmd.line, last + 1).join("\n");
  });
}

/** A line that may turn verbose on: `set -v`, `set -xv`, `set -o verbose` … (a false match only costs text). */
const VERBOSE_ON = /\bset\b[^\n]*\s-[A-Za-z]*v|\bverbose\b/;

export function mayTurnVerboseOn(commands: ShellCommand[]): boolean {
  return commands.some((c) => VERBOSE_ON.test(c.text));
}

/** Prints a command's text on the block's stderr when verbose is on; fd 9 carries stderr past the quiet closing. */
export function verboseEcho(text: string): string {
  return `{ case $- in *v*) \\command printf '%s\\n' ${shellQuote(text)} >&9;; esac; } 9>&2 >&- 2>&-`;
}


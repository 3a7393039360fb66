// A block's top-level commands, each with the line it starts on, so the engine can run a block command by
// command, stop at the first that fails (like `bash -e`) and name its line. Pure: string in, commands out.
// When the text is incomplete, everything from the last safe boundary on stays one command; the shell itself
// then reports the syntax error.
import { ShellLexer } from "./lexer.js";
import { Incomplete } from "./scanner.js";
import type { ShellCommand, SplitResult } from "./types.js";

export function splitShell(code: string): SplitResult {
  const commands: ShellCommand[] = [];
  let start = -1;
  const finish = (end: number): void => {
    if (start < 0) return;
    const text = code.slice(start, end).replace(/[ \t\n]+$/, "");
    if (text) commands.push({ text, line: lexer.lineOf(start) });
    start = -1;
  };
  const lexer = new ShellLexer(code, {
    commandStart: (at) => {
      if (start < 0) start = at;
    },
    boundary: (end) => finish(end),
  });
  try {
    lexer.run();
    finish(code.length);
    return { commands };
  } catch (err) {
    if (!(err instanceof Incomplete)) throw err;
    finish(code.length);
    return { commands, incomplete: { line: lexer.lineOf(err.at), what: err.what } };
  }
}

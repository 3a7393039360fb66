// A block's top-level commands, each with the line it starts on, so the engine can run a block command by
// command, stop at the first that fails (like `bash -e`) and name its line. Pure: string in, commands out.
// When the text is incomplete, everything from the last safe boundary on stays one command; the shell itself
// then reports the syntax error (an open here-document is closed instead, as the end of a script closes it).
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
    // A here-document the block leaves open would read on into what the engine sends after the block (bash and
    // ash take everything up to the end of their input as its body): its end word closes it where the block ends,
    // which is where a script's shell stops reading it.
    const last = commands[commands.length - 1];
    if (err.closers?.length && last) last.text = `${last.text}\n${err.closers.join("\n")}`;
    return { commands, incomplete: { line: lexer.lineOf(err.at), what: err.what } };
  }
}

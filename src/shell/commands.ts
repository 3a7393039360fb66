// Every simple command in shell text, as words, for lint's rules: top-level ones and those inside $( ), <( ),
// backticks, ${ … } and unquoted here-documents. Pure; never throws. Built on the same lexer the engine splits
// blocks with, so what lint reads as data is exactly what bash takes as data.
import { ShellLexer, TOO_DEEP } from "./lexer.js";
import { Incomplete } from "./scanner.js";
import type { Redirect, Separator, ShellFacts, SimpleCommand } from "./types.js";
import { unquoteWord } from "./words.js";

export { unquoteWord } from "./words.js";

/** Reserved words the lexer reports before a command (closers like `done`/`fi` it never reports as words). */
const RESERVED = new Set(["if", "then", "else", "elif", "do", "while", "until", "!", "{", "time", "coproc"]);
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)(\[[^\]]*\])?\+?=/;
/** A word with a quote, an escape or an expansion: not a literal name, and unquoted by unquoteWord(). */
const QUOTED_OR_EXPANDED = /["'\\$`]/;

interface Pending {
  /** The words as written. */
  words: string[];
  redirects: Redirect[];
  heredocs: SimpleCommand["heredocs"];
  start: number;
  /** The separator that ended the previous command of this list, and that command's index in the output. */
  after?: Separator;
  previous?: number;
  /** This list is a process substitution of the command below it on the stack, whose commands start at `firstOut`. */
  process?: boolean;
  firstOut?: number;
  /** The last commands of its own process substitutions. */
  substituted?: number[];
}

// Every field set (no spread, no missing keys): one object shape for all of them, which V8 keeps fast.
const fresh = (after?: Separator, previous?: number, process?: boolean, firstOut?: number): Pending => ({ words: [], redirects: [], heredocs: [], start: -1, after, previous, process, firstOut, substituted: undefined });

/** The simple commands of the text; `facts` (when given) receives its assignments and `for NAME in …` loops. */
export function simpleCommands(code: string, facts?: ShellFacts): SimpleCommand[] {
  const out: SimpleCommand[] = [];
  const stack: Pending[] = [fresh()];
  const docs = new Map<number, SimpleCommand["heredocs"]>();
  /** Functions whose bodies are open, innermost last. */
  const functions: string[] = [];
  const current = (): Pending => stack[stack.length - 1] as Pending;
  const end = (sep: Separator | undefined): void => {
    const p = current();
    let first = 0;
    for (; first < p.words.length; first++) {
      const raw = p.words[first] ?? "";
      if (RESERVED.has(raw)) continue;
      // `time -p CMD`: -p is the reserved word's option, CMD the command.
      if ((raw === "-p" || raw === "--") && first > 0 && p.words[first - 1] === "time") continue;
      const m = ASSIGNMENT.exec(raw);
      if (!m) break;
      facts?.assignments.push({ name: m[1] as string, raw: raw.slice(m[0].length), ...(m[0].endsWith("+=") ? { append: true } : {}), ...(p.start >= 0 ? { line: lexer.lineOf(p.start) } : {}) });
    }
    let index: number | undefined;
    if (p.start >= 0 && (p.words.length > first || p.redirects.length > 0)) {
      index = out.length;
      const raw = first === 0 ? p.words : p.words.slice(first);
      const words: string[] = [];
      const literal: boolean[] = [];
      for (const w of raw) {
        const plain = !QUOTED_OR_EXPANDED.test(w);
        words.push(plain ? w : unquoteWord(w));
        literal.push(plain);
      }
      // Every field set (the optional ones too): one object shape for all commands.
      const cmd: SimpleCommand = { words, literal, redirects: p.redirects, line: lexer.lineOf(p.start), column: lexer.columnOf(p.start), background: sep === "&", heredocs: p.heredocs, raw, processSubst: undefined, group: undefined, pipeFrom: undefined, fn: undefined, defines: undefined };
      if ((p.after === "|" || p.after === "|&") && p.previous !== undefined) cmd.pipeFrom = p.previous;
      if (p.words[0] === "{") cmd.group = true;
      if (p.substituted) cmd.processSubst = p.substituted;
      if (functions.length > 0) cmd.fn = functions[functions.length - 1];
      out.push(cmd);
    }
    // A list's next command: it stays in the same process substitution, if any. A list that collected nothing
    // (the newline after a command, say) is reused rather than made again.
    if (index === undefined && p.start < 0 && p.words.length === 0 && p.redirects.length === 0 && p.heredocs.length === 0 && p.substituted === undefined) {
      p.after = sep;
      p.previous = undefined;
    } else stack[stack.length - 1] = p.process ? fresh(sep, index, true, p.firstOut) : fresh(sep, index);
  };
  const lexer = new ShellLexer(code, {
    word: (raw, start) => {
      const p = current();
      if (p.start < 0) p.start = start;
      p.words.push(raw);
    },
    redirect: (op, target, start, slot) => {
      const p = current();
      if (p.start < 0) p.start = start;
      if (target !== undefined) p.redirects.push({ op, target: unquoteWord(target), raw: target });
      if (slot !== undefined) docs.set(slot, p.heredocs);
    },
    separator: (sep) => end(sep),
    functionName: (given) => {
      // `NAME()`: NAME was read as the command's word; it names the function, it runs nothing.
      const p = current();
      const name = given ?? p.words.pop() ?? "";
      if (p.words.length === 0 && p.redirects.length === 0) p.start = -1;
      functions.push(name);
    },
    functionEnd: () => {
      functions.pop();
    },
    heredocBody: (slot, body, start) => docs.get(slot)?.push({ body, line: lexer.lineOf(start) }),
    forList: facts && ((name, values, start) => facts.loops.push({ name, values, line: lexer.lineOf(start) })),
    nestedStart: (kind) => stack.push(fresh(undefined, undefined, kind === "process", out.length)),
    nestedEnd: () => {
      const inner = current();
      end(undefined);
      if (stack.length > 1) stack.pop();
      // `sh <(echo …)`: the substitution's (last) command is what the outer command reads as a file.
      if (inner.process && out.length > (inner.firstOut ?? out.length)) (current().substituted ??= []).push(out.length - 1);
    },
  });
  try {
    lexer.run();
  } catch (err) {
    if (!(err instanceof Incomplete)) throw err;
    if (facts && err.what === TOO_DEEP) facts.unreadable = { line: lexer.lineOf(err.at), what: err.what };
  }
  while (stack.length > 1) {
    end(undefined);
    stack.pop();
  }
  end(undefined);
  return out;
}

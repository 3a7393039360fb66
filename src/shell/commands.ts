// Every simple command in shell text, as words, for lint's rules: top-level ones and those inside $( ), <( ),
// backticks, ${ … } and unquoted here-documents. Pure; never throws. Built on the same lexer the engine splits
// blocks with, so what lint reads as data is exactly what bash takes as data.
import { ShellLexer } from "./lexer.js";
import { Incomplete } from "./scanner.js";
import type { Redirect, SimpleCommand } from "./types.js";

const RESERVED = new Set(["if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}", "time", "in", "esac", "case", "for", "select", "function", "coproc"]);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;

interface Pending {
  words: { raw: string; start: number }[];
  redirects: Redirect[];
  heredocs: SimpleCommand["heredocs"];
  start: number;
}

const fresh = (): Pending => ({ words: [], redirects: [], heredocs: [], start: -1 });

export function simpleCommands(code: string): SimpleCommand[] {
  const out: SimpleCommand[] = [];
  const stack: Pending[] = [fresh()];
  const docs = new Map<number, SimpleCommand["heredocs"]>();
  const current = (): Pending => stack[stack.length - 1] as Pending;
  const end = (background: boolean): void => {
    const p = current();
    let first = 0;
    while (first < p.words.length && (RESERVED.has(p.words[first]?.raw ?? "") || ASSIGNMENT.test(p.words[first]?.raw ?? ""))) first++;
    const words = p.words.slice(first);
    if (p.start >= 0 && (words.length > 0 || p.redirects.length > 0)) {
      out.push({
        words: words.map((w) => unquoteWord(w.raw)),
        literal: words.map((w) => !/["'\\$`]/.test(w.raw)),
        redirects: p.redirects,
        line: lexer.lineOf(p.start),
        column: lexer.columnOf(p.start),
        background,
        heredocs: p.heredocs,
      });
    }
    stack[stack.length - 1] = fresh();
  };
  const lexer = new ShellLexer(code, {
    word: (raw, start) => {
      const p = current();
      if (p.start < 0) p.start = start;
      p.words.push({ raw, start });
    },
    redirect: (op, target, start, slot) => {
      const p = current();
      if (p.start < 0) p.start = start;
      if (target !== undefined) p.redirects.push({ op, target: unquoteWord(target) });
      if (slot !== undefined) docs.set(slot, p.heredocs);
    },
    separator: (sep) => end(sep === "&"),
    heredocBody: (slot, body, start) => docs.get(slot)?.push({ body, line: lexer.lineOf(start) }),
    nestedStart: () => stack.push(fresh()),
    nestedEnd: () => {
      end(false);
      if (stack.length > 1) stack.pop();
    },
  });
  try {
    lexer.run();
  } catch (err) {
    if (!(err instanceof Incomplete)) throw err;
  }
  while (stack.length > 1) {
    end(false);
    stack.pop();
  }
  end(false);
  return out;
}

/** A word as its command sees it, quotes removed; `$…` and `…` stay as written (they are not literal). */
export function unquoteWord(raw: string): string {
  return raw.replace(/\\\n|\\(.)|\$'((?:[^'\\]|\\.)*)'|'([^']*)'|"((?:[^"\\]|\\.)*)"/gs, (_m, esc?: string, ansi?: string, sq?: string, dq?: string) => {
    if (esc !== undefined) return esc;
    if (ansi !== undefined) return ansi.replace(/\\(.)/g, "$1");
    if (sq !== undefined) return sq;
    if (dq !== undefined) return dq.replace(/\\([$`"\\\n])/g, "$1");
    return "";
  });
}

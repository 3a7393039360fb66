// Redirections and the here-documents they open: where a redirection's target ends, which `<<` delimiters are
// pending on the current line, and where each body ends once that line is over. A layer between the word scanner
// (./scanner.ts) and the command-list grammar (./lexer.ts), because a here-document body is read at the next
// newline, wherever the grammar is then, and an unquoted body's $( ) and backticks run like any others.
import { Incomplete, META, Scanner } from "./scanner.js";

interface PendingDoc {
  delim: string;
  stripTabs: boolean;
  /** Any part of the delimiter was quoted: the body is data, with no expansion at all. */
  quoted: boolean;
  at: number;
  slot: number;
}

export abstract class RedirectionScanner extends Scanner {
  /** Here-documents whose bodies start after the next newline. */
  protected pending: PendingDoc[] = [];
  /** Each here-document's number, so the hooks can pair its body with its `<<`. */
  private slots = 0;

  protected redirection(): void {
    const src = this.src;
    const at = this.i;
    if ((src[this.i] === "<" || src[this.i] === ">") && src[this.i + 1] === "(") {
      this.i += 2; // process substitution: its commands run
      this.nestedList("process");
      return;
    }
    const fd = /^(\d+|\{[A-Za-z_][A-Za-z0-9_]*\})(?=[<>])/.exec(src.slice(this.i, this.i + 40))?.[0] ?? "";
    this.i += fd.length;
    const op = /^(<<<|<<-|<<|>>|>\||>&|<&|<>|>|<)/.exec(src.slice(this.i, this.i + 3))?.[0] ?? (src[this.i] as string);
    this.i += op.length;
    this.skipBlanks();
    const targetAt = this.i;
    const c = src[this.i];
    const target = c !== undefined && !META.has(c) ? this.word() : undefined;
    if (op === "<<" || op === "<<-") {
      if (!target) throw new Incomplete(targetAt, "here-document delimiter");
      const slot = this.slots++;
      this.pending.push({ delim: unquoteDelimiter(target), stripTabs: op === "<<-", quoted: /["'\\]/.test(target), at: targetAt, slot });
      this.hooks.redirect?.(op, target, at, slot);
      return;
    }
    this.hooks.redirect?.(op, target, at);
  }

  /**
   * Bodies of the here-documents opened on the line just ended. An unquoted body is expanded by the shell:
   * `\` + newline joins lines (so a delimiter can hide there) and $( ) and backticks run.
   */
  protected readHeredocBodies(): void {
    const src = this.src;
    for (const [n, doc] of this.pending.entries()) {
      const start = this.i;
      let logical = "";
      let lineAt = this.i;
      for (;;) {
        if (this.i >= src.length) throw new Incomplete(doc.at, "here-document", this.pending.slice(n).map((d) => d.delim));
        const eol = src.indexOf("\n", this.i);
        const end = eol < 0 ? src.length : eol;
        let line = src.slice(this.i, end);
        this.i = eol < 0 ? src.length : eol + 1;
        if (!doc.quoted && /(^|[^\\])(\\\\)*\\$/.test(line) && eol >= 0) {
          logical += line.slice(0, -1);
          continue;
        }
        line = logical + line;
        logical = "";
        if ((doc.stripTabs ? line.replace(/^\t+/, "") : line) === doc.delim) break;
        lineAt = this.i;
      }
      const bodyEnd = lineAt;
      if (!doc.quoted) this.expansionsIn(start, bodyEnd);
      this.hooks.heredocBody?.(doc.slot, src.slice(start, bodyEnd), start, doc.quoted);
    }
    this.pending = [];
  }

  /** $( ), backticks and ${ } in text that is otherwise data (an unquoted here-document body). */
  private expansionsIn(start: number, end: number): void {
    const resume = this.i;
    this.i = start;
    while (this.i < end) {
      const c = this.src[this.i];
      if (c === "\\") this.i += 2;
      else if (c === "`") this.backtick();
      else if (c === "$") this.dollar();
      else this.i++;
    }
    this.i = resume;
  }
}

/** The delimiter of a here-document as the shell compares it: quotes and backslashes removed. */
export function unquoteDelimiter(word: string): string {
  return word.replace(/\\(.)|'([^']*)'|"((?:[^"\\]|\\.)*)"|\$'((?:[^'\\]|\\.)*)'/gs, (_m, esc?: string, sq?: string, dq?: string, ansi?: string) =>
    esc ?? sq ?? ansi ?? (dq ?? "").replace(/\\(.)/g, "$1"),
  );
}

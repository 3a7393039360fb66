// The simple commands of a block, as words, for lint rules. Pure. Not a shell parser: it tracks quotes,
// escapes, comments, line continuations, here-documents (whose bodies are data, not commands), redirections,
// and the operators that separate commands (; & && || | ( ) $( ` and newlines). Quotes are removed from
// words; `$VAR` text is kept, so a rule can tell a literal from a variable.

export interface Redirect {
  op: string;
  target: string;
}

export interface SimpleCommand {
  /** Words after leading `VAR=value` assignments and reserved words (if, then, do, !, …). */
  words: string[];
  /** Whether each word was (partly) quoted or held a `$` expansion: such a word is not a literal name. */
  literal: boolean[];
  redirects: Redirect[];
  /** 0-based line (within the code) and 1-based column of the command's first character. */
  line: number;
  column: number;
  /** Ended by a single `&`: the shell runs it in the background. */
  background: boolean;
}

const RESERVED = new Set(["if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}", "time", "in", "esac"]);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;

class Builder {
  readonly out: SimpleCommand[] = [];
  private words: string[] = [];
  private literal: boolean[] = [];
  private redirects: Redirect[] = [];
  private word: string | undefined;
  private wordLiteral = true;
  private pendingRedirect: string | undefined;
  private start: { line: number; column: number } | undefined;

  addChar(ch: string, at: { line: number; column: number }, literal = true): void {
    this.start ??= at;
    this.word = (this.word ?? "") + ch;
    if (!literal) this.wordLiteral = false;
  }

  atWordStart(): boolean {
    return this.word === undefined;
  }

  /** An empty quoted word ("") still counts as a word. */
  touchWord(at: { line: number; column: number }): void {
    this.start ??= at;
    this.word ??= "";
    this.wordLiteral = false;
  }

  endWord(): void {
    if (this.word === undefined) return;
    if (this.pendingRedirect !== undefined) {
      this.redirects.push({ op: this.pendingRedirect, target: this.word });
      this.pendingRedirect = undefined;
    } else {
      this.words.push(this.word);
      this.literal.push(this.wordLiteral);
    }
    this.word = undefined;
    this.wordLiteral = true;
  }

  /** The current word, when it is all digits and directly precedes `>`/`<` (a file descriptor number). */
  takeFdPrefix(): boolean {
    if (this.word !== undefined && /^\d+$/.test(this.word)) {
      this.word = undefined;
      return true;
    }
    return false;
  }

  redirect(op: string, at: { line: number; column: number }): void {
    this.endWord();
    this.start ??= at;
    this.pendingRedirect = op;
  }

  endCommand(background = false): void {
    this.endWord();
    this.pendingRedirect = undefined;
    let first = 0;
    while (first < this.words.length && (RESERVED.has(this.words[first] ?? "") || ASSIGNMENT.test(this.words[first] ?? ""))) first++;
    const words = this.words.slice(first);
    if (this.start && (words.length > 0 || this.redirects.length > 0)) {
      this.out.push({ words, literal: this.literal.slice(first), redirects: this.redirects, line: this.start.line, column: this.start.column, background });
    }
    this.words = [];
    this.literal = [];
    this.redirects = [];
    this.start = undefined;
  }
}

/** Split shell text into simple commands with their positions. Never throws. */
export function simpleCommands(code: string): SimpleCommand[] {
  const b = new Builder();
  const lines = code.split("\n");
  let line = 0;
  let lineStart = 0;
  const heredocs: { delim: string; stripTabs: boolean }[] = [];
  let i = 0;
  const at = () => ({ line, column: i - lineStart + 1 });
  const newline = () => {
    b.endCommand();
    line++;
    lineStart = i + 1;
    // Here-document bodies start on the next line and are data: skip them.
    while (heredocs.length > 0) {
      const doc = heredocs.shift() as { delim: string; stripTabs: boolean };
      while (line < lines.length) {
        const text = lines[line] ?? "";
        const next = lineStart + text.length + 1;
        line++;
        lineStart = next;
        if ((doc.stripTabs ? text.replace(/^\t+/, "") : text) === doc.delim) break;
      }
    }
    i = lineStart - 1;
  };
  while (i < code.length) {
    const ch = code[i] as string;
    const next = code[i + 1];
    if (ch === "\\" && next === "\n") {
      b.endWord();
      i++;
      line++;
      lineStart = i + 1;
    } else if (ch === "\\" && next !== undefined) {
      b.addChar(next, at(), false);
      i++;
    } else if (ch === "'") {
      b.touchWord(at());
      const end = code.indexOf("'", i + 1);
      const stop = end === -1 ? code.length : end;
      for (let k = i + 1; k < stop; k++) {
        b.addChar(code[k] as string, at(), false);
        if (code[k] === "\n") {
          line++;
          lineStart = k + 1;
        }
      }
      i = stop;
    } else if (ch === '"') {
      b.touchWord(at());
      let k = i + 1;
      while (k < code.length && code[k] !== '"') {
        if (code[k] === "\\" && k + 1 < code.length) k++;
        if (code[k] === "\n") {
          line++;
          lineStart = k + 1;
        }
        b.addChar(code[k] as string, at(), false);
        k++;
      }
      i = k;
    } else if (ch === "#" && b.atWordStart()) {
      while (i + 1 < code.length && code[i + 1] !== "\n") i++;
    } else if (ch === "$" && next === "(" && code[i + 2] !== "(") {
      b.endCommand();
      i++;
    } else if (ch === "$") {
      b.addChar(ch, at(), false);
    } else if (ch === "\n") {
      newline();
    } else if (ch === ";" || ch === "(" || ch === ")" || ch === "`") {
      b.endCommand();
      if (ch === ";" && next === ";") i++;
    } else if (ch === "&") {
      if (next === "&") {
        b.endCommand();
        i++;
      } else if (next === ">") {
        b.redirect(code[i + 2] === ">" ? "&>>" : "&>", at());
        i += code[i + 2] === ">" ? 2 : 1;
      } else b.endCommand(true);
    } else if (ch === "|") {
      b.endCommand();
      if (next === "|" || next === "&") i++;
    } else if (ch === ">" || ch === "<") {
      b.takeFdPrefix();
      if (ch === "<" && next === "<" && code[i + 2] !== "<") {
        const m = /^<<(-?)[ \t]*(?:'([^']*)'|"([^"]*)"|\\?([^\s;&|<>()]+))/.exec(code.slice(i));
        if (m) {
          heredocs.push({ delim: m[2] ?? m[3] ?? m[4] ?? "", stripTabs: m[1] === "-" });
          i += m[0].length - 1;
        } else i++;
        b.endWord();
      } else {
        const op = /^(>>|>\||>&|<&|<<<|<>|>|<)/.exec(code.slice(i))?.[0] ?? ch;
        b.redirect(op, at());
        i += op.length - 1;
      }
    } else if (ch === " " || ch === "\t") {
      b.endWord();
    } else {
      b.addChar(ch, at());
    }
    i++;
  }
  b.endCommand();
  return b.out;
}


// Splits shell text into its top-level commands, each with the line it starts on, so a block can stop at the
// first failing command and name its line (like `bash -e`). Pure: string in, commands out.
// It is a lexer, not a full parser: it tracks quotes, escapes, $( ), backticks, ${ }, $(( )), here-documents,
// comments, line continuations, trailing | && ||, and compound commands (if/case/loops/{ }/( )). When the text
// is incomplete or it gets confused, everything from the last safe boundary on stays one command; the shell
// itself then reports any syntax error.

export interface ShellCommand {
  /** The command's text, without the newline or `;` that ended it. */
  text: string;
  /** 0-based line of the command's first character within the code. */
  line: number;
}

export interface SplitResult {
  commands: ShellCommand[];
  /** Set when the text ends inside a quote, here-document or compound command: where that construct began. */
  incomplete?: { line: number; what: string };
}

/** An open compound command; `at` is where it began (for "incomplete" reports). */
type Frame =
  | { kind: "if" | "loop" | "brace" | "paren"; at: number }
  | { kind: "case"; phase: "subject" | "in" | "pattern" | "body"; at: number };

const UNCLOSED: Record<Frame["kind"], string> = {
  if: "if without fi",
  loop: "loop without done",
  brace: "{ without }",
  paren: "( without )",
  case: "case without esac",
};

const CLOSERS: Record<string, Frame["kind"]> = { fi: "if", done: "loop", "}": "brace", esac: "case" };
const OPENERS: Record<string, "if" | "loop" | "brace"> = { if: "if", for: "loop", select: "loop", while: "loop", until: "loop", "{": "brace" };
/** Reserved words after which a command (and so another reserved word) may follow. */
const LEAD_INS = new Set(["then", "else", "elif", "do", "!", "time", "if", "while", "until", "{"]);
const META = new Set([" ", "\t", "\n", ";", "&", "|", "<", ">", "(", ")"]);

class Incomplete extends Error {
  constructor(readonly at: number, readonly what: string) {
    super(what);
  }
}

class Lexer {
  private i = 0;
  private readonly lineStarts: number[] = [0];
  /** Here-documents whose bodies start after the next newline. */
  private pending: { delim: string; stripTabs: boolean; at: number }[] = [];

  constructor(private readonly src: string) {
    for (let k = 0; k < src.length; k++) if (src[k] === "\n") this.lineStarts.push(k + 1);
  }

  lineOf(index: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Top level: returns the commands. */
  split(): SplitResult {
    const commands: ShellCommand[] = [];
    let start = -1;
    const finish = (end: number): void => {
      if (start < 0) return;
      const text = this.src.slice(start, end).replace(/[ \t\n]+$/, "");
      if (text) commands.push({ text, line: this.lineOf(start) });
      start = -1;
    };
    try {
      this.list(false, {
        onStart: (at) => {
          if (start < 0) start = at;
        },
        onBoundary: (end) => finish(end),
      });
      if (this.pending.length) throw new Incomplete(this.pending[0]?.at ?? 0, "here-document");
      finish(this.src.length);
      return { commands };
    } catch (err) {
      if (!(err instanceof Incomplete)) throw err;
      finish(this.src.length);
      return { commands, incomplete: { line: this.lineOf(err.at), what: err.what } };
    }
  }

  /**
   * A command list. Nested (stopAtParen) lists end at their unmatched `)`; the top level reports where commands
   * start and end through the hooks.
   */
  private list(stopAtParen: boolean, hooks?: { onStart(at: number): void; onBoundary(end: number): void }): void {
    const src = this.src;
    const stack: Frame[] = [];
    const listStart = this.i;
    let cmdPos = true;
    /** The line ended in `|`, `&&`, `||` or a function header: the command goes on. */
    let continued = false;
    for (;;) {
      while (src[this.i] === " " || src[this.i] === "\t") this.i++;
      if (src[this.i] === "\\" && src[this.i + 1] === "\n") {
        this.i += 2;
        continue;
      }
      const c = src[this.i];
      const frame = stack[stack.length - 1];
      if (c === undefined) {
        if (frame) throw new Incomplete(frame.at, UNCLOSED[frame.kind]);
        if (stopAtParen) throw new Incomplete(listStart, "$( … )");
        return;
      }
      if (c === "#") {
        while (this.i < src.length && src[this.i] !== "\n") this.i++;
        continue;
      }
      if (c === "\n") {
        this.i++;
        this.readHeredocBodies();
        if (!continued && !stack.length && hooks) hooks.onBoundary(this.i);
        cmdPos = true;
        continue;
      }
      if (!stack.length && hooks) hooks.onStart(this.i);
      continued = false;
      if (frame?.kind === "case" && frame.phase === "pattern") {
        if (this.peekWord() === "esac") {
          this.i += 4;
          stack.pop();
          cmdPos = false;
        } else {
          this.skipPattern();
          frame.phase = "body";
          cmdPos = true;
        }
        continue;
      }
      if (c === ";") {
        if (src[this.i + 1] === ";" || src[this.i + 1] === "&") {
          this.i += src[this.i + 2] === "&" ? 3 : 2;
          if (frame?.kind === "case") frame.phase = "pattern";
          cmdPos = true;
          continue;
        }
        this.i++;
        cmdPos = true;
        if (!stack.length && hooks && !this.pending.length) hooks.onBoundary(this.i - 1);
        continue;
      }
      if (c === "&" || c === "|") {
        const two = src.slice(this.i, this.i + 2);
        if (two === "&>") {
          this.i += src[this.i + 2] === ">" ? 3 : 2;
          this.redirectTarget();
          continue;
        }
        continued = two === "&&" || c === "|";
        this.i += two === "&&" || two === "||" || two === "|&" ? 2 : 1;
        cmdPos = true;
        continue;
      }
      if (c === "<" || c === ">") {
        this.redirection();
        continue;
      }
      if (c === "(") {
        if (src[this.i + 1] === "(") {
          this.skipArith(this.i); // (( … )) and for (( … ))
          cmdPos = false;
        } else if (cmdPos) {
          stack.push({ kind: "paren", at: this.i++ });
        } else {
          this.functionParens();
          continued = true;
          cmdPos = true;
        }
        continue;
      }
      if (c === ")") {
        this.i++;
        if (frame?.kind === "paren") {
          stack.pop();
          cmdPos = false;
        } else if (stopAtParen && !stack.length) {
          return;
        } // else a stray `)`: the shell will report it
        continue;
      }
      const wordStart = this.i;
      const word = this.word();
      if (frame?.kind === "case" && frame.phase !== "body") {
        frame.phase = frame.phase === "subject" ? "in" : "pattern";
        continue;
      }
      if (!cmdPos) continue;
      const opens = OPENERS[word];
      const closes = CLOSERS[word];
      if (word === "case") {
        stack.push({ kind: "case", phase: "subject", at: wordStart });
        cmdPos = false;
      } else if (opens) {
        stack.push({ kind: opens, at: wordStart });
        cmdPos = opens !== "loop" || word === "while" || word === "until";
      } else if (closes) {
        if (frame?.kind === closes) stack.pop();
        cmdPos = false;
      } else if (LEAD_INS.has(word)) {
        cmdPos = true;
      } else if (word === "function") {
        while (src[this.i] === " " || src[this.i] === "\t") this.i++;
        this.word(); // the name; the body follows, optionally after `()`, maybe on the next line
        while (src[this.i] === " " || src[this.i] === "\t") this.i++;
        if (src[this.i] === "(") this.functionParens();
        continued = true;
        cmdPos = true;
      } else {
        cmdPos = false; // reserved words count only as a command's first word (bash: not even after X=1)
      }
    }
  }

  /** The `( )` of a function definition. */
  private functionParens(): void {
    const close = this.src.indexOf(")", this.i);
    this.i = close < 0 ? this.src.length : close + 1;
  }

  private peekWord(): string {
    const m = /^[^\s;&|<>()]+/.exec(this.src.slice(this.i, this.i + 64));
    return m?.[0] ?? "";
  }

  /** A case pattern up to and including its `)`. */
  private skipPattern(): void {
    const src = this.src;
    if (src[this.i] === "(") this.i++;
    while (this.i < src.length) {
      const c = src[this.i];
      if (c === ")") {
        this.i++;
        return;
      }
      if (c === "|" || c === " " || c === "\t" || c === "\n") this.i++;
      else this.word();
    }
    throw new Incomplete(this.i, "case pattern");
  }

  private redirection(): void {
    const src = this.src;
    if (src.startsWith("<<<", this.i)) {
      this.i += 3;
      this.redirectTarget();
      return;
    }
    if (src.startsWith("<<", this.i)) {
      const stripTabs = src[this.i + 2] === "-";
      this.i += stripTabs ? 3 : 2;
      while (src[this.i] === " " || src[this.i] === "\t") this.i++;
      const at = this.i;
      this.word();
      const delim = unquote(src.slice(at, this.i));
      if (!delim) throw new Incomplete(at, "here-document delimiter");
      this.pending.push({ delim, stripTabs, at });
      return;
    }
    if ((src[this.i] === "<" || src[this.i] === ">") && src[this.i + 1] === "(") {
      this.i += 2; // process substitution
      this.list(true);
      return;
    }
    this.i++;
    if (src[this.i] === ">" || src[this.i] === "&" || src[this.i] === "|") this.i++;
    this.redirectTarget();
  }

  private redirectTarget(): void {
    while (this.src[this.i] === " " || this.src[this.i] === "\t") this.i++;
    const c = this.src[this.i];
    if (c !== undefined && !META.has(c)) this.word();
  }

  private readHeredocBodies(): void {
    const src = this.src;
    for (const doc of this.pending) {
      for (;;) {
        if (this.i >= src.length) throw new Incomplete(doc.at, "here-document");
        const eol = src.indexOf("\n", this.i);
        const end = eol < 0 ? src.length : eol;
        let line = src.slice(this.i, end);
        if (doc.stripTabs) line = line.replace(/^\t+/, "");
        this.i = eol < 0 ? src.length : eol + 1;
        if (line === doc.delim) break;
      }
    }
    this.pending = [];
  }

  /** One word, with everything quoted or substituted inside it. */
  private word(): string {
    const src = this.src;
    const start = this.i;
    while (this.i < src.length) {
      const c = src[this.i] as string;
      if (META.has(c)) {
        // `a=(1 2)`: a bash array assignment is one word.
        if (c === "(" && /^[A-Za-z_][A-Za-z0-9_]*\+?=$/.test(src.slice(start, this.i))) {
          this.skipBalanced();
          continue;
        }
        break;
      }
      if (c === "\\") this.i += 2;
      else if (c === "'") this.skipSingle();
      else if (c === '"') this.skipDouble();
      else if (c === "`") this.skipBacktick();
      else if (c === "$") this.dollar();
      else this.i++;
    }
    if (this.i > src.length) this.i = src.length;
    return src.slice(start, this.i);
  }

  private skipSingle(): void {
    const at = this.i;
    const close = this.src.indexOf("'", this.i + 1);
    if (close < 0) throw new Incomplete(at, "single-quoted string");
    this.i = close + 1;
  }

  private skipDouble(): void {
    const src = this.src;
    const at = this.i++;
    while (this.i < src.length) {
      const c = src[this.i];
      if (c === '"') {
        this.i++;
        return;
      }
      if (c === "\\") this.i += 2;
      else if (c === "`") this.skipBacktick();
      else if (c === "$") this.dollar();
      else this.i++;
    }
    throw new Incomplete(at, "double-quoted string");
  }

  private skipBacktick(): void {
    const src = this.src;
    const at = this.i++;
    while (this.i < src.length) {
      const c = src[this.i];
      if (c === "`") {
        this.i++;
        return;
      }
      this.i += c === "\\" ? 2 : 1;
    }
    throw new Incomplete(at, "`…` command substitution");
  }

  /** `$…`: $'…', $(…), $((…)), ${…} or a plain parameter. */
  private dollar(): void {
    const src = this.src;
    const next = src[this.i + 1];
    if (next === "'") {
      const at = this.i;
      this.i += 2;
      while (this.i < src.length && src[this.i] !== "'") this.i += src[this.i] === "\\" ? 2 : 1;
      if (this.i >= src.length) throw new Incomplete(at, "$'…' string");
      this.i++;
    } else if (next === "(" && src[this.i + 2] === "(") {
      this.skipArith(this.i + 1);
    } else if (next === "(") {
      this.i += 2;
      this.list(true);
    } else if (next === "{") {
      this.i += 1;
      this.skipBraced();
    } else {
      this.i++;
    }
  }

  /** From an opening `(` to its matching `)`, quotes respected. */
  private skipBalanced(): void {
    const src = this.src;
    const at = this.i;
    let depth = 0;
    while (this.i < src.length) {
      const c = src[this.i];
      if (c === "(") depth++;
      else if (c === ")" && --depth === 0) {
        this.i++;
        return;
      }
      if (c === "'") this.skipSingle();
      else if (c === '"') this.skipDouble();
      else if (c === "\\") this.i += 2;
      else if (c === "$" && src[this.i + 1] !== "(") this.dollar();
      else this.i++;
    }
    throw new Incomplete(at, "( … )");
  }

  private skipArith(openAt: number): void {
    this.i = openAt;
    try {
      this.skipBalanced();
    } catch {
      throw new Incomplete(openAt, "$(( … )) arithmetic");
    }
  }

  /** `${ … }` with nested quotes and expansions. */
  private skipBraced(): void {
    const src = this.src;
    const at = this.i++;
    while (this.i < src.length) {
      const c = src[this.i];
      if (c === "}") {
        this.i++;
        return;
      }
      if (c === "'") this.skipSingle();
      else if (c === '"') this.skipDouble();
      else if (c === "\\") this.i += 2;
      else if (c === "`") this.skipBacktick();
      else if (c === "$") this.dollar();
      else this.i++;
    }
    throw new Incomplete(at, "${ … }");
  }
}

/** The delimiter of a here-document as the shell compares it: quotes and backslashes removed. */
function unquote(word: string): string {
  return word.replace(/\\(.)|'([^']*)'|"((?:[^"\\]|\\.)*)"/gs, (_m, esc?: string, sq?: string, dq?: string) =>
    esc ?? sq ?? (dq ?? "").replace(/\\(.)/g, "$1"),
  );
}

export function splitShell(code: string): SplitResult {
  return new Lexer(code).split();
}

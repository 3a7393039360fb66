// Word-level lexing of shell text for the splitter (./shell-split.ts): quotes, escapes, $( ), backticks, ${ },
// $(( )), redirections and here-documents. The command-list level (compound commands, where commands end) is
// the subclass's `list()`, which `$( )` and `<( )` recurse into.

/** The text ends inside a construct that began at `at`. */
export class Incomplete extends Error {
  constructor(readonly at: number, readonly what: string) {
    super(what);
  }
}

/** Characters that end a word. */
export const META = new Set([" ", "\t", "\n", ";", "&", "|", "<", ">", "(", ")"]);

export abstract class WordLexer {
  protected i = 0;
  private readonly lineStarts: number[] = [0];
  /** Here-documents whose bodies start after the next newline. */
  protected pending: { delim: string; stripTabs: boolean; at: number }[] = [];

  constructor(protected readonly src: string) {
    for (let k = 0; k < src.length; k++) if (src[k] === "\n") this.lineStarts.push(k + 1);
  }

  /** A command list; nested ones (stopAtParen) end after their unmatched `)`. */
  protected abstract list(stopAtParen: boolean): void;

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

  /** The `( )` of a function definition. */
  protected functionParens(): void {
    const close = this.src.indexOf(")", this.i);
    this.i = close < 0 ? this.src.length : close + 1;
  }

  protected peekWord(): string {
    const m = /^[^\s;&|<>()]+/.exec(this.src.slice(this.i, this.i + 64));
    return m?.[0] ?? "";
  }

  /** A case pattern up to and including its `)`. */
  protected skipPattern(): void {
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

  protected redirection(): void {
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

  protected redirectTarget(): void {
    while (this.src[this.i] === " " || this.src[this.i] === "\t") this.i++;
    const c = this.src[this.i];
    if (c !== undefined && !META.has(c)) this.word();
  }

  protected readHeredocBodies(): void {
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
  protected word(): string {
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

  protected skipSingle(): void {
    const at = this.i;
    const close = this.src.indexOf("'", this.i + 1);
    if (close < 0) throw new Incomplete(at, "single-quoted string");
    this.i = close + 1;
  }

  protected skipDouble(): void {
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

  protected skipBacktick(): void {
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
  protected dollar(): void {
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
  protected skipBalanced(): void {
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

  protected skipArith(openAt: number): void {
    this.i = openAt;
    try {
      this.skipBalanced();
    } catch {
      throw new Incomplete(openAt, "$(( … )) arithmetic");
    }
  }

  /** `${ … }` with nested quotes and expansions. */
  protected skipBraced(): void {
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

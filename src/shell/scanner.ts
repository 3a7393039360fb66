// Word-level scanning of shell text: quotes, escapes, $( ), backticks, ${ }, $(( )). The one place rootlab decides
// where a word or a substitution begins and ends; redirections and here-documents (./redirections.ts) and the
// command-list grammar (./lexer.ts) build on it, and lint and the engine both use that lexer.
// Every substitution is lexed as the commands it holds — also inside double quotes, ${ … }, $(( … )), backticks
// and unquoted here-document bodies — because bash runs them there too.
import type { LexHooks } from "./types.js";

/** The text ends inside a construct that began at `at`. */
export class Incomplete extends Error {
  constructor(
    readonly at: number,
    readonly what: string,
    /** Lines that would end what is open, when that is known (the delimiters of unterminated here-documents). */
    readonly closers?: string[],
  ) {
    super(what);
  }
}

/** Characters that end a word. */
export const META = new Set([" ", "\t", "\n", ";", "&", "|", "<", ">", "(", ")"]);
/** META by character code, for the per-character loop of word() (a Set lookup per character was most of its time). */
const IS_META = new Uint8Array(128);
for (const c of META) IS_META[c.charCodeAt(0)] = 1;

export abstract class Scanner {
  protected i = 0;
  private readonly lineStarts: number[] = [0];

  constructor(
    protected readonly src: string,
    protected readonly hooks: LexHooks,
  ) {
    for (let k = src.indexOf("\n"); k >= 0; k = src.indexOf("\n", k + 1)) this.lineStarts.push(k + 1);
  }

  /** A command list; nested ones (stopAtParen) end after their unmatched `)`. */
  protected abstract list(stopAtParen: boolean): void;
  /** Backtick contents, unescaped, lexed as commands (positions mapped back through `map`). */
  protected abstract backtickList(text: string, map: number[]): void;

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

  columnOf(index: number): number {
    return index - (this.lineStarts[this.lineOf(index)] ?? 0) + 1;
  }

  protected skipBlanks(): void {
    while (this.src[this.i] === " " || this.src[this.i] === "\t") this.i++;
  }

  protected peekWord(): string {
    return /^[^\s;&|<>()]+/.exec(this.src.slice(this.i, this.i + 64))?.[0] ?? "";
  }

  /** A nested command list ($( ), <( ), >( )), announced to the hooks so commands inside are their own. */
  protected nestedList(kind: "substitution" | "process" = "substitution"): void {
    this.hooks.nestedStart?.(kind);
    try {
      this.list(true);
    } finally {
      this.hooks.nestedEnd?.();
    }
  }

  /** A case pattern up to and including its `)`. */
  protected skipPattern(): void {
    if (this.src[this.i] === "(") this.i++;
    while (this.i < this.src.length) {
      const c = this.src[this.i];
      if (c === ")") {
        this.i++;
        return;
      }
      const at = this.i;
      if (c === "|" || c === " " || c === "\t" || c === "\n") this.i++;
      else this.word();
      if (this.i === at) this.i++; // a character no pattern word holds (`<`, `;`): bash reports the syntax error
    }
    throw new Incomplete(this.i, "case pattern");
  }

  /** One word, with everything quoted or substituted inside it. */
  protected word(): string {
    const src = this.src;
    const start = this.i;
    while (this.i < src.length) {
      const code = src.charCodeAt(this.i);
      // Plain characters first: most of a word.
      if (code < 128 && IS_META[code] === 0 && code !== 92 && code !== 39 && code !== 34 && code !== 96 && code !== 36) {
        this.i++;
        continue;
      }
      const c = src[this.i] as string;
      if (IS_META[code] === 1) {
        // `a=(1 2)`: a bash array assignment is one word.
        if (c === "(" && /^[A-Za-z_][A-Za-z0-9_]*\+?=$/.test(src.slice(start, this.i))) {
          this.skipBalanced();
          continue;
        }
        // `@(a|b)` and friends: an extended glob is one word.
        if (c === "(" && /[?*+@!]$/.test(src.slice(start, this.i))) {
          this.skipBalanced();
          continue;
        }
        break;
      }
      if (c === "\\") this.i += 2;
      else if (c === "'") this.skipSingle();
      else if (c === '"') this.skipDouble();
      else if (c === "`") this.backtick();
      else if (c === "$") this.dollar();
      else this.i++;
    }
    if (this.i > src.length) this.i = src.length;
    return src.slice(start, this.i);
  }

  protected skipSingle(): void {
    const close = this.src.indexOf("'", this.i + 1);
    if (close < 0) throw new Incomplete(this.i, "single-quoted string");
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
      else if (c === "`") this.backtick();
      else if (c === "$") this.dollar();
      else this.i++;
    }
    throw new Incomplete(at, "double-quoted string");
  }

  /** `…`: the old command substitution. Its text is unescaped (\` \\ \$) and then lexed as commands. */
  protected backtick(): void {
    const src = this.src;
    const at = this.i++;
    let text = "";
    const map: number[] = [];
    while (this.i < src.length) {
      const c = src[this.i] as string;
      if (c === "`") {
        this.i++;
        map.push(this.i - 1);
        this.backtickList(text, map);
        return;
      }
      if (c === "\\" && "`\\$".includes(src[this.i + 1] ?? "")) this.i++;
      map.push(this.i);
      text += src[this.i] ?? "";
      this.i++;
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
    } else if (next === "(" && src[this.i + 2] === "(" && this.isArith(this.i + 1)) {
      this.skipArith(this.i + 1);
    } else if (next === "(") {
      this.i += 2;
      this.nestedList();
    } else if (next === "{") {
      this.i += 1;
      this.skipBraced();
    } else {
      this.i++;
    }
  }

  /** From an opening `(` to its matching `)`, quotes respected and substitutions lexed. */
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
      else if (c === "`") this.backtick();
      else if (c === "$") this.dollar();
      else this.i++;
    }
    throw new Incomplete(at, "( … )");
  }

  /**
   * Whether `((` at openAt is arithmetic: bash reads `$((…))` and `((…))` as arithmetic only when they close with
   * `))`; `$((ip link set eth0 down) )` is a command substitution of a subshell, and runs its command.
   */
  protected isArith(openAt: number): boolean {
    // A scan of its own (no hooks: the commands inside are lexed once, by whichever reading follows).
    const src = this.src;
    let depth = 0;
    for (let i = openAt; i < src.length; i++) {
      const c = src[i];
      if (c === "\\") i++;
      else if (c === "'") i = src.indexOf("'", i + 1) < 0 ? src.length : src.indexOf("'", i + 1);
      else if (c === '"') {
        while (++i < src.length && src[i] !== '"') if (src[i] === "\\") i++;
      } else if (c === "(") depth++;
      else if (c === ")" && --depth === 0) return src[i - 1] === ")";
    }
    return true; // unclosed: skipArith reports it as arithmetic, as before
  }

  protected skipArith(openAt: number): void {
    this.i = openAt;
    try {
      this.skipBalanced();
    } catch (err) {
      if (err instanceof Incomplete && err.at === openAt) throw new Incomplete(openAt, "$(( … )) arithmetic");
      throw err;
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
      else if (c === "`") this.backtick();
      else if (c === "$") this.dollar();
      else this.i++;
    }
    throw new Incomplete(at, "${ … }");
  }
}

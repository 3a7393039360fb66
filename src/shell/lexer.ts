// The command-list grammar over the scanners (./scanner.ts words, ./redirections.ts here-documents): where
// commands begin and end, compound commands (if/case/loops/{ }/( )), functions, pipelines and lists. It reports
// what it sees through hooks; ./split.ts (the engine: a block's top-level commands) and ./commands.ts (lint: every
// simple command, nested ones too) are its two consumers, so the engine and the safety gate can never disagree
// about what is a command and what is data.
import { RedirectionScanner } from "./redirections.js";
import { Incomplete } from "./scanner.js";
import type { LexHooks, Separator } from "./types.js";

/** An open compound command; `at` is where it began (for "incomplete" reports). */
type Frame =
  | { kind: "if" | "loop" | "brace" | "paren"; at: number; fn?: boolean }
  | { kind: "case"; phase: "subject" | "in" | "pattern" | "body"; at: number }
  | { kind: "for"; phase: "name" | "list"; at: number; words: string[] };

const UNCLOSED: Record<Frame["kind"], string> = {
  if: "if without fi",
  loop: "loop without done",
  for: "loop without done",
  brace: "{ without }",
  paren: "( without )",
  case: "case without esac",
};

// Maps, not objects: a command named `constructor` or `toString` is not a reserved word.
const CLOSERS = new Map<string, Frame["kind"]>([["fi", "if"], ["done", "loop"], ["}", "brace"], ["esac", "case"]]);
const OPENERS = new Map<string, "if" | "loop" | "brace">([["if", "if"], ["while", "loop"], ["until", "loop"], ["{", "brace"]]);
/** No reserved word is longer: longer words skip the lookups (hashing every command word showed up in lint's time). */
const LONGEST_RESERVED = 8;
/** What starts a compound command after blanks (`{ `, `(`, `if `, `while ` …): `coproc NAME` then has a name. */
const COMPOUND_START = /^[ \t]+(\{[\s]|\(|\[\[[\s]|(if|while|until|for|select|case)[\s])/;
/** Reserved words after which a command (and so another reserved word) may follow. */
const LEAD_INS = new Set(["then", "else", "elif", "do", "!", "time", "if", "while", "until", "{"]);

/** How deep `$( … )` and `<( … )` may nest (bash has no limit; no lab needs more than a few). */
const MAX_NESTING = 64;
export const TOO_DEEP = `$( … ) nested more than ${MAX_NESTING} levels deep`;

export class ShellLexer extends RedirectionScanner {
  private depth = 0;
  /** Here-document slots inside backticks are renumbered from here, so each stays unique. */
  private backticks = 0;

  constructor(src: string, hooks: LexHooks) {
    super(src, hooks);
  }

  /** Lexes the whole text; throws Incomplete when it ends inside a construct. */
  run(): void {
    this.list(false);
    if (this.pending.length) throw new Incomplete(this.pending[0]?.at ?? 0, "here-document");
  }

  protected backtickList(text: string, map: number[]): void {
    const at = (k: number) => map[Math.min(k, map.length - 1)] ?? 0;
    const base = ++this.backticks * 1_000_000;
    const h = this.hooks;
    const mapped: LexHooks = {
      word: h.word && ((raw, start) => h.word?.(raw, at(start))),
      redirect: h.redirect && ((op, target, start, slot) => h.redirect?.(op, target, at(start), slot === undefined ? undefined : base + slot)),
      separator: h.separator && ((sep, p) => h.separator?.(sep, at(p))),
      heredocBody: h.heredocBody && ((slot, body, start, quoted) => h.heredocBody?.(base + slot, body, at(start), quoted)),
      forList: h.forList && ((name, values, start) => h.forList?.(name, values, at(start))),
      nestedStart: h.nestedStart && ((kind) => h.nestedStart?.(kind)),
      nestedEnd: h.nestedEnd && (() => h.nestedEnd?.()),
    };
    h.nestedStart?.();
    try {
      new ShellLexer(text, mapped).run();
    } catch (err) {
      // What bash would reject inside backticks is its error to report; the commands seen so far stand.
      if (!(err instanceof Incomplete)) throw err;
    } finally {
      h.separator?.("end", at(text.length));
      h.nestedEnd?.();
    }
  }

  protected override nestedList(kind: "substitution" | "process" = "substitution"): void {
    // Each level is a recursion: a text nested deeper than anyone writes would overflow the stack instead.
    if (this.depth >= MAX_NESTING) throw new Incomplete(this.i, TOO_DEEP);
    this.depth++;
    try {
      super.nestedList(kind);
    } finally {
      this.depth--;
    }
  }

  private sep(sep: Separator, at: number): void {
    this.hooks.separator?.(sep, at);
  }

  /** The `( )` of a function definition. */
  private functionParens(): void {
    const close = this.src.indexOf(")", this.i);
    this.i = close < 0 ? this.src.length : close + 1;
  }

  /**
   * A command list. Nested (stopAtParen) lists end at their unmatched `)`; the top level reports where commands
   * start and end.
   */
  protected list(stopAtParen: boolean): void {
    const src = this.src;
    const top = !stopAtParen && this.depth === 0;
    const stack: Frame[] = [];
    const listStart = this.i;
    let cmdPos = true;
    /** The line ended in `|`, `&&`, `||` or a function header: the command goes on. */
    let continued = false;
    /** The command so far is only redirections: bash reads no reserved word after one (`2>&1 done` runs `done`). */
    let redirected = false;
    /** A function header was read: the next compound command is its body. */
    let fnPending = false;
    const open = (frame: Frame): void => {
      if (fnPending && frame.kind !== "case" && frame.kind !== "for") frame.fn = true;
      fnPending = false;
      stack.push(frame);
    };
    const close = (): void => {
      const done = stack.pop();
      if (done && "fn" in done && done.fn) this.hooks.functionEnd?.();
    };
    for (;;) {
      this.skipBlanks();
      if (src[this.i] === "\\" && src[this.i + 1] === "\n") {
        this.i += 2;
        continue;
      }
      const c = src[this.i];
      const frame = stack[stack.length - 1];
      const wasRedirected: boolean = redirected;
      redirected = false;
      if (c === undefined) {
        this.sep("end", this.i);
        if (frame) throw new Incomplete(frame.at, UNCLOSED[frame.kind]);
        if (stopAtParen) throw new Incomplete(listStart, "$( … )");
        return;
      }
      if (c === "#") {
        while (this.i < src.length && src[this.i] !== "\n") this.i++;
        continue;
      }
      if (c === "\n") {
        this.sep("\n", this.i);
        this.i++;
        this.readHeredocBodies();
        if (!continued && !stack.length && top) this.hooks.boundary?.(this.i);
        if (frame?.kind === "for") frame.phase = "list";
        cmdPos = true;
        continue;
      }
      if (!stack.length && top) this.hooks.commandStart?.(this.i);
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
          this.sep(";;", this.i);
          this.i += src[this.i + 2] === "&" ? 3 : 2;
          if (frame?.kind === "case") frame.phase = "pattern";
          cmdPos = true;
          continue;
        }
        this.sep(";", this.i);
        this.i++;
        cmdPos = true;
        if (frame?.kind === "for") frame.phase = "list";
        if (!stack.length && top && !this.pending.length) this.hooks.boundary?.(this.i - 1);
        continue;
      }
      if (c === "&" || c === "|") {
        const two = src.slice(this.i, this.i + 2);
        if (two === "&>") {
          const op = src[this.i + 2] === ">" ? "&>>" : "&>";
          const at = this.i;
          this.i += op.length;
          this.skipBlanks();
          const t = src[this.i];
          this.hooks.redirect?.(op, t !== undefined && !"\n;&|<>()".includes(t) ? this.word() : undefined, at);
          continue;
        }
        continued = two === "&&" || two === "||" || c === "|";
        const sep = (two === "&&" || two === "||" || two === "|&" ? two : c) as Separator;
        this.sep(sep, this.i);
        this.i += sep.length;
        cmdPos = true;
        continue;
      }
      if (c === "<" || c === ">") {
        this.redirection();
        redirected = cmdPos || wasRedirected;
        continue;
      }
      if (c === "(") {
        if (src[this.i + 1] === "(") {
          this.skipArith(this.i); // (( … )) and for (( … ))
          cmdPos = false;
        } else if (cmdPos) {
          this.sep("(", this.i);
          open({ kind: "paren", at: this.i++ });
        } else {
          this.hooks.functionName?.();
          fnPending = true;
          this.functionParens();
          this.sep(";", this.i);
          continued = true;
          cmdPos = true;
        }
        continue;
      }
      if (c === ")") {
        this.sep(")", this.i);
        this.i++;
        if (frame?.kind === "paren") {
          close();
          cmdPos = false;
        } else if (stopAtParen && !stack.length) {
          return;
        } // else a stray `)`: the shell will report it
        continue;
      }
      const wordStart = this.i;
      const word = this.word();
      if ((src[this.i] === "<" || src[this.i] === ">") && /^(\d+|\{[A-Za-z_][A-Za-z0-9_]*\})$/.test(word)) {
        this.i = wordStart; // `2>file`, `{fd}>file`: the number names the descriptor of the redirection
        this.redirection();
        redirected = cmdPos || wasRedirected;
        continue;
      }
      if (frame?.kind === "case" && frame.phase !== "body") {
        frame.phase = frame.phase === "subject" ? "in" : "pattern";
        continue;
      }
      if (frame?.kind === "for") {
        // `for NAME in WORDS; do`: the words are expanded (and may hold substitutions), never run.
        if (word === "do" && frame.phase === "list") {
          const [name = "", inWord, ...values] = frame.words;
          this.hooks.forList?.(name, inWord === "in" ? values : undefined, frame.at);
          stack.pop();
          stack.push({ kind: "loop", at: frame.at });
          cmdPos = true;
        } else frame.words.push(word);
        continue;
      }
      if (!cmdPos || wasRedirected) {
        this.hooks.word?.(word, wordStart);
        cmdPos = false;
        continue;
      }
      const short = word.length <= LONGEST_RESERVED;
      const opens = short ? OPENERS.get(word) : undefined;
      const closes = short ? CLOSERS.get(word) : undefined;
      if (fnPending && (word === "case" || word === "for" || word === "select")) {
        // A body that is a case or for command: its extent is not tracked; the function ends here for the hooks.
        fnPending = false;
        this.hooks.functionEnd?.();
      }
      if (word === "case") {
        stack.push({ kind: "case", phase: "subject", at: wordStart });
        cmdPos = false;
      } else if (word === "for" || word === "select") {
        this.skipBlanks();
        if (src.startsWith("((", this.i)) {
          this.skipArith(this.i);
          stack.push({ kind: "loop", at: wordStart });
          cmdPos = false;
        } else stack.push({ kind: "for", phase: "name", at: wordStart, words: [] });
      } else if (opens) {
        this.hooks.word?.(word, wordStart);
        open({ kind: opens, at: wordStart });
        cmdPos = true;
      } else if (closes) {
        this.sep(";", wordStart);
        if (frame?.kind === closes) close();
        cmdPos = false;
      } else if (word === "coproc") {
        // `coproc [NAME] COMMAND`: bash reads a NAME only before a compound command (`coproc NAME { …; }`), and
        // the command after it is the coprocess, not a new command of the list.
        this.hooks.word?.(word, wordStart);
        this.skipBlanks();
        const name = this.peekWord();
        if (/^[A-Za-z_]\w*$/.test(name) && COMPOUND_START.test(src.slice(this.i + name.length, this.i + name.length + 8))) this.i += name.length;
        cmdPos = true;
      } else if (LEAD_INS.has(word)) {
        this.hooks.word?.(word, wordStart);
        cmdPos = true;
      } else if (word === "function") {
        this.skipBlanks();
        const name = this.word(); // the name; the body follows, optionally after `()`, maybe on the next line
        this.hooks.functionName?.(name);
        fnPending = true;
        this.skipBlanks();
        if (src[this.i] === "(") this.functionParens();
        this.sep(";", this.i);
        continued = true;
        cmdPos = true;
      } else {
        this.hooks.word?.(word, wordStart);
        cmdPos = false; // reserved words count only as a command's first word (bash: not even after X=1)
      }
    }
  }
}

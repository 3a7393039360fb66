// The compound commands the grammar (./lexer.ts) tracks while it reads a command list, and the reserved words that
// open and close them: what a command's first word does (if, while, case, for, {, fi, done, coproc, function …).
// Kept apart from the list loop, which decides where commands begin and end and when a word is a command's first.
import { RedirectionScanner } from "./redirections.js";
import type { Separator } from "./types.js";

/** An open compound command; `at` is where it began (for "incomplete" reports). */
export type Frame =
  | { kind: "if" | "loop" | "brace" | "paren"; at: number; fn?: boolean }
  | { kind: "case"; phase: "subject" | "in" | "pattern" | "body"; at: number }
  | { kind: "for"; phase: "name" | "list"; at: number; words: string[] };

export const UNCLOSED: Record<Frame["kind"], string> = {
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

/** Where list() is: the open compound commands and what may come next. */
export interface ListState {
  stack: Frame[];
  /** The next word is a command's first (so it may be a reserved word). */
  cmdPos: boolean;
  /** The line ended in `|`, `&&`, `||` or a function header: the command goes on. */
  continued: boolean;
  /** A function header was read: the next compound command is its body. */
  fnPending: boolean;
}

export abstract class CompoundCommandReader extends RedirectionScanner {
  protected sep(sep: Separator, at: number): void {
    this.hooks.separator?.(sep, at);
  }

  /** The `( )` of a function definition. */
  protected functionParens(): void {
    const close = this.src.indexOf(")", this.i);
    this.i = close < 0 ? this.src.length : close + 1;
  }

  /** A command's first word: a reserved word opens or closes a compound command, anything else is reported. */
  protected commandWord(st: ListState, word: string, wordStart: number, frame: Frame | undefined): void {
    const src = this.src;
    const short = word.length <= LONGEST_RESERVED;
    const opens = short ? OPENERS.get(word) : undefined;
    const closes = short ? CLOSERS.get(word) : undefined;
    if (st.fnPending && (word === "case" || word === "for" || word === "select")) {
      // A body that is a case or for command: its extent is not tracked; the function ends here for the hooks.
      st.fnPending = false;
      this.hooks.functionEnd?.();
    }
    if (word === "case") {
      st.stack.push({ kind: "case", phase: "subject", at: wordStart });
      st.cmdPos = false;
    } else if (word === "for" || word === "select") {
      this.skipBlanks();
      if (src.startsWith("((", this.i)) {
        this.skipArith(this.i);
        st.stack.push({ kind: "loop", at: wordStart });
        st.cmdPos = false;
      } else st.stack.push({ kind: "for", phase: "name", at: wordStart, words: [] });
    } else if (opens) {
      this.hooks.word?.(word, wordStart);
      this.openFrame(st, { kind: opens, at: wordStart });
      st.cmdPos = true;
    } else if (closes) {
      this.sep(";", wordStart);
      if (frame?.kind === closes) this.closeFrame(st);
      st.cmdPos = false;
    } else if (word === "coproc") {
      // `coproc [NAME] COMMAND`: bash reads a NAME only before a compound command (`coproc NAME { …; }`), and
      // the command after it is the coprocess, not a new command of the list.
      this.hooks.word?.(word, wordStart);
      this.skipBlanks();
      const name = this.peekWord();
      if (/^[A-Za-z_]\w*$/.test(name) && COMPOUND_START.test(src.slice(this.i + name.length, this.i + name.length + 8))) this.i += name.length;
      st.cmdPos = true;
    } else if (LEAD_INS.has(word)) {
      this.hooks.word?.(word, wordStart);
      st.cmdPos = true;
    } else if (word === "function") {
      this.skipBlanks();
      const name = this.word(); // the name; the body follows, optionally after `()`, maybe on the next line
      this.hooks.functionName?.(name);
      st.fnPending = true;
      this.skipBlanks();
      if (src[this.i] === "(") this.functionParens();
      this.sep(";", this.i);
      st.continued = true;
      st.cmdPos = true;
    } else {
      this.hooks.word?.(word, wordStart);
      st.cmdPos = false; // reserved words count only as a command's first word (bash: not even after X=1)
    }
  }

  protected openFrame(st: ListState, frame: Frame): void {
    if (st.fnPending && frame.kind !== "case" && frame.kind !== "for") frame.fn = true;
    st.fnPending = false;
    st.stack.push(frame);
  }

  protected closeFrame(st: ListState): void {
    const done = st.stack.pop();
    if (done && "fn" in done && done.fn) this.hooks.functionEnd?.();
  }
}

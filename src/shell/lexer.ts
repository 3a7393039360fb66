// The command-list grammar over the scanners (./scanner.ts words, ./redirections.ts here-documents) and the
// compound commands (./compound-commands.ts: if, case, loops, { }): where commands begin and end, functions,
// pipelines and lists. It reports what it sees through hooks; ./split.ts (the engine: a block's top-level commands)
// and ./commands.ts (lint: every simple command, nested ones too) are its two consumers, so the engine and the
// safety gate can never disagree about what is a command and what is data.
import { backtickHooks } from "./backtick-hooks.js";
import { CompoundCommandReader, UNCLOSED, type ListState } from "./compound-commands.js";
import { Incomplete } from "./scanner.js";
import type { LexHooks, Separator } from "./types.js";

/** How deep `$( … )` and `<( … )` may nest (bash has no limit; no lab needs more than a few). */
const MAX_NESTING = 64;
export const TOO_DEEP = `$( … ) nested more than ${MAX_NESTING} levels deep`;

export class ShellLexer extends CompoundCommandReader {
  private depth = 0;
  /** Here-document slots inside backticks are renumbered from here, so each stays unique. */
  private backticks = 0;

  constructor(src: string, hooks: LexHooks) {
    super(src, hooks);
  }

  /** Lexes the whole text; throws Incomplete when it ends inside a construct. */
  run(): void {
    this.list(false);
    if (this.pending.length) throw new Incomplete(this.pending[0]?.at ?? 0, "here-document", this.pending.map((d) => d.delim));
  }

  protected backtickList(text: string, map: number[]): void {
    const at = (k: number) => map[Math.min(k, map.length - 1)] ?? 0;
    const base = ++this.backticks * 1_000_000;
    const h = this.hooks;
    const mapped = backtickHooks(h, at, base);
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

  /**
   * A command list. Nested (stopAtParen) lists end at their unmatched `)`; the top level reports where commands
   * start and end.
   */
  protected list(stopAtParen: boolean): void {
    const src = this.src;
    const top = !stopAtParen && this.depth === 0;
    const st: ListState = { stack: [], cmdPos: true, continued: false, fnPending: false };
    const stack = st.stack;
    const listStart = this.i;
    /** The command so far is only redirections: bash reads no reserved word after one (`2>&1 done` runs `done`). */
    let redirected = false;
    for (;;) {
      this.skipBlanks();
      if (src[this.i] === "\\" && src[this.i + 1] === "\n") {
        this.i += 2;
        continue;
      }
      const c = src[this.i];
      // Never index -1: on an empty array that is a slow named-property lookup, once per token here.
      const frame = stack.length > 0 ? stack[stack.length - 1] : undefined;
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
        if (!st.continued && !stack.length && top) this.hooks.boundary?.(this.i);
        if (frame?.kind === "for") frame.phase = "list";
        st.cmdPos = true;
        continue;
      }
      if (!stack.length && top) this.hooks.commandStart?.(this.i);
      st.continued = false;
      if (frame?.kind === "case" && frame.phase === "pattern") {
        if (this.peekWord() === "esac") {
          this.i += 4;
          stack.pop();
          st.cmdPos = false;
        } else {
          this.skipPattern();
          frame.phase = "body";
          st.cmdPos = true;
        }
        continue;
      }
      if (c === ";") {
        if (src[this.i + 1] === ";" || src[this.i + 1] === "&") {
          this.sep(";;", this.i);
          this.i += src[this.i + 2] === "&" ? 3 : 2;
          if (frame?.kind === "case") frame.phase = "pattern";
          st.cmdPos = true;
          continue;
        }
        this.sep(";", this.i);
        this.i++;
        st.cmdPos = true;
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
        st.continued = two === "&&" || two === "||" || c === "|";
        const sep = (two === "&&" || two === "||" || two === "|&" ? two : c) as Separator;
        this.sep(sep, this.i);
        this.i += sep.length;
        st.cmdPos = true;
        continue;
      }
      if (c === "<" || c === ">") {
        this.redirection();
        redirected = st.cmdPos || wasRedirected;
        continue;
      }
      if (c === "(") {
        if (src[this.i + 1] === "(" && this.isArith(this.i)) {
          this.skipArith(this.i); // (( … )) and for (( … ))
          st.cmdPos = false;
        } else if (st.cmdPos) {
          this.sep("(", this.i);
          this.openFrame(st, { kind: "paren", at: this.i++ });
        } else {
          this.hooks.functionName?.();
          st.fnPending = true;
          this.functionParens();
          this.sep(";", this.i);
          st.continued = true;
          st.cmdPos = true;
        }
        continue;
      }
      if (c === ")") {
        this.sep(")", this.i);
        this.i++;
        if (frame?.kind === "paren") {
          this.closeFrame(st);
          st.cmdPos = false;
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
        redirected = st.cmdPos || wasRedirected;
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
          st.cmdPos = true;
        } else frame.words.push(word);
        continue;
      }
      if (!st.cmdPos || wasRedirected) {
        this.hooks.word?.(word, wordStart);
        st.cmdPos = false;
        continue;
      }
      this.commandWord(st, word, wordStart, frame);
    }
  }

}

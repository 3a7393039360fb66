// Splits shell text into its top-level commands, each with the line it starts on, so a block can stop at the
// first failing command and name its line (like `bash -e`). Pure: string in, commands out.
// It is a lexer, not a full parser: it tracks quotes, escapes, $( ), backticks, ${ }, $(( )), here-documents,
// comments, line continuations, trailing | && ||, and compound commands (if/case/loops/{ }/( )). When the text
// is incomplete or it gets confused, everything from the last safe boundary on stays one command; the shell
// itself then reports any syntax error. Word-level lexing: ./shell-words.ts.
import { Incomplete, WordLexer } from "./shell-words.js";

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

class Lexer extends WordLexer {
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
  protected list(stopAtParen: boolean, hooks?: { onStart(at: number): void; onBoundary(end: number): void }): void {
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
}

export function splitShell(code: string): SplitResult {
  return new Lexer(code).split();
}

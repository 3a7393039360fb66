// The shell lexer's results and the hooks its consumers (the engine's splitter, lint's command reader) use.
// Types only.

/** A top-level command of a block: the engine runs a block command by command, like `bash -e`. */
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

export interface Redirect {
  op: string;
  /** The target as its command sees it (quotes removed). */
  target: string;
  /** The target as written. */
  raw: string;
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
  /** Bodies of the here-documents the command reads (a shell fed one runs it as a script). */
  heredocs: { body: string; line: number }[];
  /** The words as written (quotes and expansions intact), for expanding them with what is known. */
  raw: string[];
  /** Indexes (in the same result list) of the commands of its `<( … )` process substitutions (a file it reads). */
  processSubst?: number[];
  /** The command opens a `{ …; }` group (its output may go to the group's redirection). */
  group?: boolean;
  /** Index (in the same result list) of the command whose output this one reads through a pipe. */
  pipeFrom?: number;
  /** The function whose body the command is in (innermost). */
  fn?: string;
  /** The command defines a function of this name (its body: the commands with `fn` set to it). */
  defines?: string;
}

/** `for NAME in WORDS` loops (words as written), and where they start (0-based line). */
export interface ForLoop {
  name: string;
  values: string[] | undefined;
  line: number;
}

/** What a text sets, for whoever resolves variables: every `NAME=value` (also those alone on a line) and loop. */
export interface ShellFacts {
  loops: ForLoop[];
  /** Set when the text could not be read to its end (where, and why): the commands after it are unknown. */
  unreadable?: { line: number; what: string };
  /** `append`: `NAME+=value` adds to the value it had; `line`: 0-based line of the command it is part of. */
  assignments: { name: string; raw: string; append?: boolean; line?: number }[];
}

/** Where the separators between commands are, for whoever builds commands out of the lexer's words. */
export type Separator = ";" | "&" | "&&" | "||" | "|" | "|&" | "\n" | "(" | ")" | ";;" | "end";

/** Callbacks of the lexer. Positions are indexes into the text given to the lexer. */
export interface LexHooks {
  /** A word in a command (not a case pattern or a `for` list's reserved words). */
  word?(raw: string, start: number): void;
  redirect?(op: string, target: string | undefined, start: number, heredocSlot?: number): void;
  separator?(sep: Separator, at: number): void;
  heredocBody?(slot: number, body: string, start: number, quoted: boolean): void;
  /** `for NAME in WORDS; do` (values undefined: `for NAME; do`, the positional parameters), before the body. */
  forList?(name: string, values: string[] | undefined, start: number): void;
  /** Commands inside $( ), <( ), >( ) or backticks begin (`process`: <( ) or >( ), a file argument) and end. */
  nestedStart?(kind?: "substitution" | "process"): void;
  nestedEnd?(): void;
  /**
   * A function definition's header (`NAME()`: the name was the last word reported; `function NAME`: given), and
   * the end of its body. The commands reported in between are the function's.
   */
  functionName?(name?: string): void;
  functionEnd?(): void;
  /** Top level only: a command begins at / the top-level command ends at (for the engine's splitter). */
  commandStart?(at: number): void;
  boundary?(end: number): void;
}

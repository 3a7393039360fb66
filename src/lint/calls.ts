// Aliases and functions a lab defines in one place and calls in another (often a later block of the same
// session): the gate reads each call as what bash runs — the alias's text with the call's words after it, the
// function's body with `$1`, `$@`, … replaced by the call's arguments. The body is also read where it is
// defined, as written; a call only adds what its arguments make of it.
import type { SimpleCommand } from "../shell/types.js";
import { unquoteWord } from "../shell/words.js";

export interface Callables {
  /** Alias name → every text the lab gives it. */
  aliases: Map<string, string[]>;
  /** Function name → the commands of its body (from every definition of that name). */
  functions: Map<string, SimpleCommand[]>;
}

/** `BASH_ALIASES[x]=TEXT`, `BASH_ALIASES+=([x]=TEXT …)`: bash's table of aliases, written to directly. */
const BASH_ALIASES = /\bBASH_ALIASES(\[[^\]]*\]\+?=(?:'[^']*'|"[^"]*"|[^\s;&|)]+)|\+?=\([^)]*\))/g;
const ALIAS_ELEMENT = /\[['"]?([^\]'"]+)['"]?\]\+?=('[^']*'|"[^"]*"|[^\s;&|)]+)/g;

export function collectCallables(blocks: { commands: SimpleCommand[]; block?: { code: string } }[]): Callables {
  const aliases = new Map<string, string[]>();
  const functions = new Map<string, SimpleCommand[]>();
  for (const { commands, block } of blocks) {
    // An alias defined through the array is read like `alias x=TEXT` (the lexer keeps no subscript of an assignment).
    for (const [, element = ""] of block?.code.includes("BASH_ALIASES") ? block.code.matchAll(BASH_ALIASES) : []) {
      for (const [, name = "", text = ""] of element.matchAll(ALIAS_ELEMENT)) aliases.set(name, [...(aliases.get(name) ?? []), text.replace(/^(['"])(.*)\1$/s, "$2")]);
    }
    for (const cmd of commands) {
      if (cmd.fn !== undefined) functions.set(cmd.fn, [...(functions.get(cmd.fn) ?? []), cmd]);
      // `hash -p /sbin/ip x` makes `x` run /sbin/ip: read like an alias.
      if (cmd.words[0] === "hash" && cmd.words[1] === "-p" && cmd.words[2] !== undefined && cmd.words[3] !== undefined) aliases.set(cmd.words[3], [...(aliases.get(cmd.words[3]) ?? []), cmd.words[2]]);
      if (cmd.words[0] !== "alias") continue;
      for (const w of cmd.words.slice(1)) {
        const at = w.indexOf("=");
        if (at > 0) aliases.set(w.slice(0, at), [...(aliases.get(w.slice(0, at)) ?? []), w.slice(at + 1)]);
      }
    }
  }
  return { aliases, functions };
}

const ALL_ARGS = /^"?\$(@|\*|\{[@*]\})"?$/;
/** `"${@:2}"`, `${*:2:3}`: a slice of the arguments. */
const SLICE_ARGS = /^"?\$\{[@*]:(\d+)(?::(\d+))?\}"?$/;
const ONE_ARG = /^"?\$(\d|\{\d+\})"?$/;
/** A value that reads the same in any quoting context, so it can replace `$1` inside a larger word. */
const PLAIN = /^[\w.:/@%+,=-]*$/;

/** A body command with the positional parameters replaced by a call's arguments (raw, as the call wrote them). */
function substitute(cmd: SimpleCommand, args: string[]): SimpleCommand {
  const arg = (n: string) => args[Number(n.replace(/[{}]/g, "")) - 1];
  const raw = cmd.raw.flatMap((w): string[] => {
    if (ALL_ARGS.test(w)) return args;
    const slice = SLICE_ARGS.exec(w);
    // `${@:0}` starts with $0 (the shell's name): the arguments from $1 are what it runs after that.
    if (slice) return args.slice(Math.max(0, Number(slice[1]) - 1), slice[2] === undefined ? undefined : Math.max(0, Number(slice[1]) - 1) + Number(slice[2]));
    const one = ONE_ARG.exec(w);
    if (one) return [arg(one[1] as string) ?? "''"];
    return [
      w.replace(/\$(\d|\{\d+\})/g, (m, n: string) => {
        const value = unquoteWord(arg(n) ?? "");
        return PLAIN.test(value) ? value : m;
      }),
    ];
  });
  return { ...cmd, raw, words: raw.map(unquoteWord), literal: raw.map((w) => !/["'\\$`]/.test(w)) };
}

/** What a call runs: the alias's text followed by the call's words, or the function's body with its arguments. */
export function callOf(cmd: SimpleCommand, callables: Callables): { alias?: string[]; body?: SimpleCommand[]; via: string } | undefined {
  const name = cmd.words[0];
  if (name === undefined || cmd.literal[0] === false) return undefined;
  const rest = cmd.raw.slice(1);
  const texts = callables.aliases.get(name);
  if (texts) {
    // An alias whose text ends in a blank makes bash expand the next word as an alias too (`alias s='sudo '`).
    const next = rest[0] === undefined ? undefined : callables.aliases.get(unquoteWord(rest[0]));
    const expanded = texts.flatMap((t) => (next !== undefined && /\s$/.test(t) ? next.map((n) => [t.trimEnd(), n, ...rest.slice(1)].join(" ")) : [[t, ...rest].join(" ")]));
    return { alias: expanded, via: `alias ${name}` };
  }
  const body = callables.functions.get(name);
  // A command inside the function's own body calling it again is read once (no endless recursion). `shift [N]`
  // in the body drops arguments for the commands after it.
  if (body && cmd.fn !== name) {
    let shifted = 0;
    const read = body.map((c) => {
      const out = substitute(c, rest.slice(shifted));
      if (c.words[0] === "shift") shifted += /^\d+$/.test(c.words[1] ?? "") ? Number(c.words[1]) : 1;
      return out;
    });
    return { body: read, via: `function ${name} ${rest.join(" ")}`.trimEnd() };
  }
  return undefined;
}

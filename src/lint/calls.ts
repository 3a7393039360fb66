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

export function collectCallables(blocks: { commands: SimpleCommand[] }[]): Callables {
  const aliases = new Map<string, string[]>();
  const functions = new Map<string, SimpleCommand[]>();
  for (const { commands } of blocks) {
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
const ONE_ARG = /^"?\$(\d|\{\d+\})"?$/;
/** A value that reads the same in any quoting context, so it can replace `$1` inside a larger word. */
const PLAIN = /^[\w.:/@%+,=-]*$/;

/** A body command with the positional parameters replaced by a call's arguments (raw, as the call wrote them). */
function substitute(cmd: SimpleCommand, args: string[]): SimpleCommand {
  const arg = (n: string) => args[Number(n.replace(/[{}]/g, "")) - 1];
  const raw = cmd.raw.flatMap((w): string[] => {
    if (ALL_ARGS.test(w)) return args;
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
  if (texts) return { alias: texts.map((t) => [t, ...rest].join(" ")), via: `alias ${name}` };
  const body = callables.functions.get(name);
  // A command inside the function's own body calling it again is read once (no endless recursion).
  if (body && cmd.fn !== name) return { body: body.map((c) => substitute(c, rest)), via: `function ${name} ${rest.join(" ")}`.trimEnd() };
  return undefined;
}

// Commands a block runs that are not written as commands, made into commands the gate reads like any other:
// - PROMPT_COMMAND (run before each prompt), BASH_ENV/ENV (a file bash sources at start);
// - a command substitution hidden in quotes where bash still expands it: a prompt (`PS1`, `PS4`, `${x@P}`), the
//   value of a variable that arithmetic reads (`x='a[$(cmd)]'; echo $((x))`, `declare -i x='$(cmd)'`), and an
//   array subscript a builtin evaluates (`[[ -v 'a[$(cmd)]' ]]`, `printf -v`, `read`, `let`, `test -v`);
// - a proxy in the environment (`http_proxy=http://A:P`, `export ALL_PROXY=…`): every later download goes there.
import type { ShellFacts, SimpleCommand } from "../shell/types.js";
import { unquoteWord } from "../shell/words.js";

/** Commands that set variables from their `NAME=value` arguments. */
const DECLARES = /^(export|declare|typeset|local|readonly)$/;
const ASSIGNED = /^([A-Za-z_][A-Za-z0-9_]*)(\[[^\]]*\])?\+?=/;
/** `$(`, `` ` ``: a command substitution, once the quotes around it are gone. */
const SUBSTITUTION = /\$\(|`/;
/** `NAME[…$(…)…]`: a subscript bash expands (and so runs) wherever it evaluates the name. */
const SUBSCRIPT = /\[[^\]]*(\$\(|`)/;
const PROXY = /^(https?_proxy|ftp_proxy|all_proxy|rsync_proxy)$/i;

function hook(words: string[], raw: string[], line: number): SimpleCommand {
  // Every field set: one object shape for all commands (see commands.ts).
  return { words, literal: words.map((_, i) => i === 0), redirects: [], line, column: 1, background: false, heredocs: [], raw, processSubst: undefined, group: undefined, pipeFrom: undefined, fn: undefined, defines: undefined };
}

/** The text in quotes that bash may still expand later, if it holds a command substitution. */
function hiddenSubstitution(raw: string): string | undefined {
  if (!/['\\]/.test(raw) || !SUBSTITUTION.test(raw)) return undefined;
  const text = unquoteWord(raw);
  return SUBSTITUTION.test(text) ? text : undefined;
}

/** `eval` of an unquoted here-document holding the text: exactly the text's expansions run, nothing else. */
function expandsAt(text: string, line: number): SimpleCommand {
  const script = `: <<__RL_EXPANDED__\n${text}\n__RL_EXPANDED__\n`;
  return hook(["eval", script], ["eval", `'${script.replace(/'/g, `'\\''`)}'`], line);
}

export function hookCommands(commands: SimpleCommand[], facts: ShellFacts): SimpleCommand[] {
  const out: SimpleCommand[] = [];
  const assigned = (name: string, raw: string, line: number): void => {
    if (name === "PROMPT_COMMAND") out.push(hook(["eval", raw], ["eval", raw], line));
    else if (name === "BASH_ENV" || name === "ENV") out.push(hook(["source", raw], ["source", raw], line));
    else if (PROXY.test(name)) out.push(hook(["curl", "-x", raw], ["curl", "-x", raw], line));
    const hidden = hiddenSubstitution(raw);
    if (hidden !== undefined) out.push(expandsAt(hidden, line));
  };
  for (const a of facts.assignments) assigned(a.name, a.raw, a.line ?? 0);
  for (const cmd of commands) {
    const declares = DECLARES.test(cmd.words[0] ?? "");
    cmd.raw.forEach((raw, i) => {
      if (i === 0 || !/[[=]/.test(raw)) return;
      const m = declares ? ASSIGNED.exec(raw) : null;
      if (m) return assigned(m[1] as string, raw.slice(m[0].length), cmd.line);
      const hidden = hiddenSubstitution(raw);
      if (hidden !== undefined && SUBSCRIPT.test(hidden)) out.push(expandsAt(hidden, cmd.line));
    });
  }
  return out;
}

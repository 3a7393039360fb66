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
/** Variables whose value a program runs as a command: pagers, editors, ssh for git, less's input filters. */
const COMMAND_VARS = /^(PAGER|MANPAGER|GIT_PAGER|SYSTEMD_PAGER|EDITOR|VISUAL|GIT_EDITOR|FCEDIT|GIT_SSH|GIT_SSH_COMMAND|GIT_EXTERNAL_DIFF|GIT_ASKPASS|SSH_ASKPASS|SUDO_ASKPASS|LESSOPEN|LESSCLOSE|BROWSER)$/;
/** `BASH_FUNC_NAME%%=() { BODY }`: a function bash imports from its environment (and runs when NAME is called). */
const EXPORTED_FUNCTION = /^BASH_FUNC_[^=]*(%%|\(\))=\(\)\s*\{?([\s\S]*?)\}?\s*$/;
const quoted = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

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
  const runsValue = (text: string, line: number): void => void out.push(hook(["eval", text], ["eval", quoted(text)], line));
  const assigned = (name: string, raw: string, line: number): void => {
    if (name === "PROMPT_COMMAND") out.push(hook(["eval", raw], ["eval", raw], line));
    else if (name === "BASH_ENV" || name === "ENV") out.push(hook(["source", raw], ["source", raw], line));
    else if (PROXY.test(name)) out.push(hook(["curl", "-x", raw], ["curl", "-x", raw], line));
    else if (COMMAND_VARS.test(name)) runsValue(unquoteWord(raw).replace(/^\|+\s*/, "").replace(/%s/g, "FILE"), line);
    const hidden = hiddenSubstitution(raw);
    if (hidden !== undefined) out.push(expandsAt(hidden, line));
  };
  for (const a of facts.assignments) assigned(a.name, a.raw, a.line ?? 0);
  for (const cmd of commands) {
    const declares = DECLARES.test(cmd.words[0] ?? "");
    cmd.raw.forEach((raw, i) => {
      if (i === 0 || !/[[=]/.test(raw)) return;
      // `env GIT_PAGER=… git log`, `env 'BASH_FUNC_ls%%=() { …; }' bash -c ls`: the environment a program is given.
      const env = cmd.words[0] === "env" ? /^([A-Za-z_][A-Za-z0-9_]*)=([\s\S]*)$/.exec(cmd.words[i] ?? "") : null;
      if (env && COMMAND_VARS.test(env[1] as string)) runsValue((env[2] as string).replace(/^\|+\s*/, "").replace(/%s/g, "FILE"), cmd.line);
      const imported = EXPORTED_FUNCTION.exec(cmd.words[i] ?? "");
      if (imported) runsValue(imported[2] as string, cmd.line);
      const m = declares ? ASSIGNED.exec(raw) : null;
      if (m) return assigned(m[1] as string, raw.slice(m[0].length), cmd.line);
      const hidden = hiddenSubstitution(raw);
      if (hidden !== undefined && SUBSCRIPT.test(hidden)) out.push(expandsAt(hidden, cmd.line));
    });
  }
  return out;
}

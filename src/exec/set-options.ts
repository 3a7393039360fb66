// `set` options a block's shell cannot take inside a block the way a script's shell takes them, rewritten in the
// block's text (./block-script.ts) so the session goes on as a script (or a bash prompt) would. Pure.

/** `set -o vi`, `set -o emacs`, `set +o vi`, `set +o emacs`, alone on their line or before `;`. */
const EDITING_MODE = /^\s*set\s+([-+])o\s+(vi|emacs)\s*$/;

/**
 * bash crashes when line editing is turned on or off inside `eval` (5.2: it switches its input to readline or back
 * in the middle of the eval's string), and a script ignores the option. So in bash the editing mode a block asks
 * for is kept for the typed turn (`__rl_mode`, ./terminal-modes.ts) instead of set (`[[ -o vi ]]` stays false);
 * other shells run the command. Other spellings (`set -eo vi`) still end the session, said by ./ending-causes.ts.
 */
export function editingMode(text: string): string {
  const m = EDITING_MODE.exec(text);
  if (!m) return text;
  return `if \\command [ -n "\${BASH_VERSION-}" ]; then __rl_mode=${m[1] === "-" ? m[2] : ""}; \\command export -n __rl_mode; else ${text.trim()}; fi`;
}

/** A `set` command of plain words only (no quotes, expansions or operators): the words after `set`. */
const PLAIN_SET = /^\s*set((?:\s+(?:--|[-+]?[A-Za-z0-9_]+))+)\s*$/;

/**
 * The words of a `set` command without what turns noexec on (`-n`, the `n` of `-nv`, `-euon`, `-o noexec`, the `o`
 * of `-eo noexec`); undefined when they turn it on nowhere. Options are read as both shells read them: a word
 * starting with `-` or `+` is a run of letters, each `o` among them takes the next word as an option's name; the
 * first other word (or `--`) ends the options. A run left empty is dropped (a lone `-` would mean something else).
 */
export function withoutNoExec(words: readonly string[]): string[] | undefined {
  const out: string[] = [];
  let found = false;
  let i = 0;
  for (; i < words.length; i++) {
    const word = words[i] as string;
    if (!/^[-+][A-Za-z]+$/.test(word)) break;
    const on = word[0] === "-";
    let letters = "";
    const names: string[] = [];
    for (const letter of word.slice(1)) {
      if (letter === "o" && i + 1 < words.length) {
        const name = words[++i] as string;
        if (on && name === "noexec") {
          found = true;
          continue;
        }
        letters += letter;
        names.push(name);
      } else if (on && letter === "n") found = true;
      else letters += letter;
    }
    if (letters) out.push(word[0] + letters, ...names);
  }
  return found ? [...out, ...words.slice(i)] : undefined;
}

/**
 * An interactive bash ignores noexec (`set -n` typed at a prompt does nothing); busybox ash obeys it and then runs
 * nothing more, not even rootlab's end of the block or a later `set +n`: the session would only time out. So bash is
 * given the command as written, and other shells the same command without noexec (`set -nv` is `set -v` there,
 * `set -n` nothing): the session goes on in every shell as at a bash prompt.
 */
export function noExec(text: string): string {
  const m = PLAIN_SET.exec(text);
  const rest = m ? withoutNoExec((m[1] as string).trim().split(/\s+/)) : undefined;
  if (!rest) return text;
  const bash = text.trim();
  if (rest.length === 0) return `\\command [ -z "\${BASH_VERSION-}" ] || ${bash}`;
  return `if \\command [ -n "\${BASH_VERSION-}" ]; then ${bash}; else set ${rest.join(" ")}; fi`;
}

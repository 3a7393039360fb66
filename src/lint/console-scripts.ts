// Programs whose own little languages have a way out to the shell — dc's and ed's `!CMD`, m4's `syscmd(CMD)`,
// sqlite3's `.system CMD` / `.shell CMD`, sed's `s///e` flag — and the terminal multiplexers that start a
// command of their own (`tmux new-session -d CMD`, `tmux send-keys CMD Enter`, `screen -dm CMD`). Only what is
// written literally is read: a command such a program builds is refused as what the gate cannot know.

/** Text a program runs as shell commands, or why the gate cannot know it. */
export type Found = { code: string; via: string } | { unknown: string };

const TMUX_RUNS = /^(new-session|new|new-window|neww|split-window|splitw|respawn-pane|respawnp|respawn-window|respawnw|run-shell|run|pipe-pane|pipep|send-keys|send|display-popup|popup)$/;
/** tmux options (of tmux itself and of those subcommands) that take a value. */
const TMUX_VALUES = new Set(["-L", "-S", "-f", "-T", "-t", "-s", "-n", "-c", "-e", "-F", "-x", "-y", "-l", "-p", "-N", "-X", "-w"]);
const SCREEN_VALUES = new Set(["-S", "-c", "-e", "-h", "-p", "-s", "-t", "-T", "-Logfile"]);
/** Keys `tmux send-keys` names that are not text typed (Enter, C-m, Escape …). */
const KEY_NAME = /^(Enter|C-[a-zA-Z]|M-[a-zA-Z]|Escape|Tab|Space|BSpace|Up|Down|Left|Right)$/;

export const mayRunConsoleScripts = (name: string): boolean => /^(dc|ed|red|m4|sqlite3|tmux|screen|sed)$/.test(name);

/** The shell commands such a program runs, given its words and what its standard input holds. */
export function consoleScripts(name: string, words: string[], stdin: () => Found | undefined): Found[] {
  const out: Found[] = [];
  const text = (): string => {
    const input = stdin();
    return input && "code" in input ? input.code : "";
  };
  if (name === "dc") {
    const script = [...words.flatMap((w, k) => (/^(-e|--expression)$/.test(words[k - 1] ?? "") ? [w] : /^--expression=/.test(w) ? [w.slice(13)] : [])), text()].join("\n");
    for (const m of script.matchAll(/!([^\n]*)/g)) if (!/^[<>=]/.test(m[1] ?? "")) out.push({ code: m[1] ?? "", via: "dc !" });
  }
  if (name === "ed" || name === "red") for (const m of text().matchAll(/^\s*(?:[\d,.$;+-]*\s*[rwe]\s*)?!([^\n]*)/gm)) out.push({ code: m[1] ?? "", via: `${name} !` });
  if (name === "m4") for (const m of [...words.slice(1), text()].join("\n").matchAll(/\besyscmd\(([^)]*)\)|\bsyscmd\(([^)]*)\)/g)) out.push({ code: m[1] ?? m[2] ?? "", via: "m4 syscmd" });
  if (name === "sqlite3") for (const m of [...words.slice(1), text()].join("\n").matchAll(/(?:^|\n|;)\s*\.(?:system|shell)\s+([^\n]*)/g)) out.push({ code: m[1] ?? "", via: "sqlite3 .system" });
  // `s/X/CMD/e`: GNU sed runs the pattern space after the substitution as a command.
  if (name === "sed") {
    for (const w of words.slice(1)) {
      for (const m of w.matchAll(/(?:^|[;\n{])\s*s(.)((?:\\.|.)*?)\1((?:\\.|.)*?)\1([gpiImM0-9]*e[gpiImMe0-9]*)/gs)) {
        const replacement = m[3] ?? "";
        out.push(/&|\\\d/.test(replacement) ? { unknown: "the command sed's `s///e` builds from the input" } : { code: replacement, via: "sed s///e" });
      }
    }
  }
  if (name === "tmux") {
    const args = positionalsOf(words.slice(1), TMUX_VALUES);
    const at = args.findIndex((a) => TMUX_RUNS.test(a));
    // `tmux -c CMD`: tmux's own option runs CMD with the shell.
    const c = words.indexOf("-c");
    if (at < 0 && c > 0 && words[c + 1] !== undefined) out.push({ code: words[c + 1] as string, via: "tmux -c" });
    if (at >= 0) {
      const rest = args.slice(at + 1);
      const typed = /^send/.test(args[at] ?? "") ? rest.filter((a) => !KEY_NAME.test(a)) : rest;
      if (typed.length > 0) out.push({ code: typed.join(" "), via: `tmux ${args[at]}` });
    }
  }
  if (name === "screen") {
    const x = words.indexOf("-X");
    if (x > 0) {
      const [verb, ...rest] = words.slice(x + 1);
      if (verb === "stuff" || verb === "exec" || verb === "screen") out.push({ code: rest.join(" ").replace(/\\n|\^M/g, "\n"), via: `screen -X ${verb}` });
    } else {
      const command = positionalsOf(words.slice(1), SCREEN_VALUES, true);
      if (command.length > 0) out.push({ code: command.join(" "), via: "screen" });
    }
  }
  return out;
}

/** The words that are not options or their values; `untilFirst`: stop at the first (screen's command starts there). */
function positionalsOf(words: string[], values: Set<string>, untilFirst = false): string[] {
  for (let k = 0; k < words.length; k++) {
    const w = words[k] ?? "";
    if (w === "--") return words.slice(k + 1);
    if (!w.startsWith("-") || w === "-") {
      if (untilFirst) return words.slice(k);
      return [w, ...positionalsOf(words.slice(k + 1), values)];
    }
    // `-dmS NAME`: bundled flags whose last one takes a value (screen's S, c, e, h, p, s, t, T).
    if (values.has(w) || (values === SCREEN_VALUES && /^-[a-zA-Z]*[ScehpstT]$/.test(w))) k++;
  }
  return [];
}

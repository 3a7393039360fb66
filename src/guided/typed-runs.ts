// A typed turn's screen read as runs of commands: each prompt starts a run (the command typed at it, then what it
// printed until the next prompt). The output recap (./output-recap.ts) shows the last run of each command, so a
// failed attempt (a typo, then the right command) is not what sits beside the explanation, and the check for a
// skipped command (./typed-skipped.ts) compares what was typed with the block's commands. Pure.
import type { Block } from "../format/types.js";
import { splitShell } from "../shell/split.js";

/** One line of what a command printed; `command` lines are the echo of what the learner typed. */
export interface PrintedLine {
  text: string;
  command: boolean;
}

/** A command typed at a prompt ("$ …"), or none for output before the first prompt, and what it printed. */
export interface TypedRun {
  command: PrintedLine | undefined;
  /** The command as typed (its first line), for comparing with the block's commands. */
  typed: string;
  output: PrintedLine[];
}

/** The typed shell's prompt: "(rootlab SESSION) …# " or "…$ " (the directory in between may change). */
const PROMPT = /^\(rootlab [^)\s]+\)[^\n]*?[#$] /;

/** LINE with its tabs expanded to the terminal's stops (every 8 columns), as the terminal showed it. */
export function expandTabs(line: string): string {
  if (!line.includes("\t")) return line;
  let out = "";
  for (const ch of line) out += ch === "\t" ? " ".repeat(8 - (out.length % 8)) : ch;
  return out;
}

/**
 * OUTPUT (a typed turn's screen as text, or what rootlab's run printed) as runs. A prompt with nothing typed, with
 * `check`, or left with Ctrl-C (`^C` at its end) starts a run with no command; a line of `^C`, `^]` … alone is
 * the terminal's echo of those keys, not output. Command lines continued on "> " lines end with " …".
 */
export function typedRuns(output: string): TypedRun[] {
  const runs: TypedRun[] = [{ command: undefined, typed: "", output: [] }];
  let continuing = false;
  for (const raw of output.replace(/\s+$/, "").split("\n")) {
    const line = expandTabs(raw).replace(/\s+$/, "");
    const prompt = PROMPT.exec(expandTabs(raw));
    if (prompt) {
      const typed = line.slice(prompt[0].length).trim();
      const run = typed === "" || typed === "check" || typed.endsWith("^C") ? undefined : { text: `$ ${typed}`, command: true };
      runs.push({ command: run, typed: run ? typed : "", output: [] });
      continuing = run !== undefined;
      continue;
    }
    const current = runs.at(-1)!;
    if (continuing && current.command && line.startsWith("> ")) {
      // The rest of the command (a continuation, a loop's body, a here-document): one mark for all of it.
      if (!current.command.text.endsWith(" …")) current.command.text += " …";
      continue;
    }
    continuing = false;
    // The terminal's echo of control keys (^C, ^] passed to a program, ^Z): not what the command printed.
    if (/^(\^[@A-Z[\\\]^_?])+$/.test(line.trim())) continue;
    current.output.push({ text: line, command: false });
  }
  return runs.filter((r) => r.command || r.output.length > 0);
}

/** The learner's keys as the lines they typed or pasted: escape sequences (a bracketed paste's marks) left out. */
export function inputLines(keys: string): string[] {
  return keys
    .replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b./g, "")
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

/**
 * SHOWN (a turn's screen as text) with the lines the learner pasted under a prompt marked as commands. A paste of
 * several lines is shown by the shell's line editor all at once, the first after the prompt and the others on
 * lines of their own, before any output: without a mark they would read as output. Each such line that is the
 * next line of KEYS (what the learner typed and pasted) gets the prompt it was run at, or "> " when it continues
 * the command before it (a trailing `\`, an open quote or loop). Pure.
 */
export function markPastedLines(shown: string, keys: string): string {
  const input = inputLines(keys);
  if (input.length < 2) return shown;
  const lines = shown.split("\n");
  // Where in KEYS the screen has got to: a command typed twice is found at its later place.
  let from = 0;
  for (let i = 0; i < lines.length; i++) {
    const prompt = PROMPT.exec(expandTabs(lines[i]!));
    if (!prompt) continue;
    let command = expandTabs(lines[i]!).slice(prompt[0].length).trim();
    let k = input.indexOf(command, from);
    if (command === "" || k < 0) continue;
    from = k + 1;
    const first = { at: i, k };
    while (i + 1 < lines.length && k + 1 < input.length) {
      const next = lines[i + 1]!.trim();
      // bash redraws the whole paste when it runs it: up to its first line, then all of it again. The cursor moves
      // are not in the text, so the redraw begins at the end of the last line: "LAST" + "FIRST", then the rest.
      const redraw = next.startsWith(input[k + 1]!) && next.length > input[k + 1]!.length && next.slice(input[k + 1]!.length).trim() === input[first.k];
      if (next !== input[k + 1] && !redraw) break;
      const line = input[++k]!;
      const continues = /\\$/.test(command) || splitShell(command).incomplete !== undefined;
      lines[++i] = continues ? `> ${line}` : `${prompt[0]}${line}`;
      command = continues ? `${command}\n${line}` : line;
      from = k + 1;
      if (redraw) {
        // The redraw's other lines, the same pasted lines again: not output.
        const again = input.slice(first.k + 1, k + 1);
        if (again.every((l, j) => lines[i + 1 + j]?.trim() === l)) lines.splice(i + 1, again.length);
        break;
      }
    }
  }
  return lines.join("\n");
}

/**
 * SHOWN (a turn's screen as text) with the echo of a long line that the shell's line editor scrolled sideways put
 * back as the learner typed it, at its prompt. Without a description of the terminal (`$TERM` unknown where the
 * shell looks, e.g. in a busybox root after pivot_root), bash's line editor does not wrap a line wider than the
 * screen: it shows a window of it, `<` at its start when the start is out of view, `>` at its end when the end
 * is; the prompt scrolls away with the start. Such a row (`<eeee ffff`, `… ddd>`) that is part of the next line
 * of KEYS becomes PROMPT (the last prompt above it, else FALLBACK) and that line. Pure.
 */
export function unscrollEchoes(shown: string, keys: string, fallback: string): string {
  const input = inputLines(keys);
  if (!shown.includes("<") && !shown.includes(">")) return shown;
  let prompt = fallback;
  let from = 0;
  return shown
    .split("\n")
    .map((line) => {
      const seen = PROMPT.exec(expandTabs(line));
      const text = line.trimEnd();
      if (seen) prompt = seen[0];
      // The window of the line: after the `<` (start out of view) or the prompt, less a `>` (end out of view).
      const window = seen ? text.slice(seen[0].length) : text.startsWith("<") ? text.slice(1) : undefined;
      const scrolled = !seen && text.startsWith("<");
      const cut = window !== undefined && window.endsWith(">");
      if (window === undefined || !(scrolled || cut)) {
        if (seen) from = Math.max(from, input.indexOf(text.slice(seen[0].length).trim(), from) + 1);
        return line;
      }
      const part = cut ? window.slice(0, -1) : window;
      const k = input.findIndex((typed, i) => i >= from && part.trim().length >= MIN_WINDOW && typed.length > part.trim().length && typed.includes(part.trim()));
      if (k < 0) return line;
      from = k + 1;
      return `${prompt}${input[k]}`;
    })
    .join("\n");
}

/** The least of a line a scrolled window must show to be taken for it (a lone `<` is output). */
const MIN_WINDOW = 8;

/**
 * SHOWN (a typed turn's screen, at the step's checks: not for one block) split by the step's command BLOCKS its
 * commands are runs of (matchCommand), each part with its prompts, as text of the block's line; a command of no
 * block (a look around, a fix) stays with the block before it, or, before any, with FALLBACK's line. A command typed again there (the
 * retry after a failed check) then replaces the block's earlier attempt in the recap, rather than sitting under
 * another command while the failed attempt stays (new-user trial). Pure.
 */
export function shownByBlock(shown: string, blocks: readonly Block[], fallback: Block): Map<number, string> {
  const parts = new Map<number, string[]>();
  const commands = blocks.map(blockCommands);
  let line = fallback.line;
  for (const raw of shown.split("\n")) {
    // A prompt starts a run: its command's block (the lines after it, "> " continuations too, go with it).
    const prompt = PROMPT.exec(expandTabs(raw));
    if (prompt) {
      const typed = expandTabs(raw).slice(prompt[0].length).trim();
      const list = typed === "" || typed === "check" ? undefined : best(typed, commands);
      // A command of no block (a look around, a fix) stays with the one typed before it.
      if (list) line = blocks[commands.indexOf(list)]!.line;
    }
    parts.set(line, [...(parts.get(line) ?? []), raw]);
  }
  return new Map([...parts].map(([l, rows]) => [l, rows.join("\n")]));
}

/** Of the blocks' COMMANDS (one list per block), the list holding the command TYPED is most like (matchCommand). */
function best(typed: string, commands: readonly string[][]): string[] | undefined {
  const all = commands.flat();
  const i = matchCommand(typed, all);
  if (i === undefined) return undefined;
  let at = i;
  for (const list of commands) {
    if (at < list.length) return list;
    at -= list.length;
  }
  return undefined;
}

/** The words of a command, quotes left out ("$R/bin/sh" → $R/bin/sh). */
function words(text: string): string[] {
  return text.replace(/["']/g, "").split(/\s+/).filter(Boolean).map((w) => (w.length > 1 ? w.replace(/\/+$/, "") : w));
}

/** What a command runs, loosely: its program's base name (`cp`, `sh`, `for`), or `NAME=` for an assignment. */
export function programOf(text: string): string {
  const all = words(text);
  const program = all.find((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w));
  if (program === undefined) return all[0] ? `${all[0].split("=")[0]}=` : "";
  return program.split("/").pop() ?? program;
}

/** The block's commands (one per command of its code), as the learner would type them. */
export function blockCommands(block: Block): string[] {
  return splitShell(block.code).commands.map((c) => c.text.split("\n")[0]!.trim()).filter((t) => t && !t.startsWith("#"));
}

/**
 * Which of COMMANDS the typed command TYPED is, loosely: the one with the same program (of several, the one sharing
 * the most words, and of those the one with the fewest words it did not type); undefined when none runs that program.
 * The tie matters: `hostname` typed after `hostname rlu-box` shares one word with both, and is the bare `hostname`.
 */
export function matchCommand(typed: string, commands: readonly string[]): number | undefined {
  const program = programOf(typed);
  const mine = new Set(words(typed));
  let best: { i: number; shared: number; untyped: number } | undefined;
  commands.forEach((c, i) => {
    if (programOf(c) !== program) return;
    const all = words(c);
    const shared = all.filter((w) => mine.has(w)).length;
    const untyped = all.length - shared;
    if (!best || shared > best.shared || (shared === best.shared && untyped < best.untyped)) best = { i, shared, untyped };
  });
  return best?.i;
}

/**
 * RUNS without the earlier runs of a command typed again later (an attempt that failed, then the right one): of
 * each of BLOCK's commands, and of each other command typed, the last run stays, in the order typed. An earlier
 * run closer to the block's command than the last one stays too: it is the command, and the last one only looks
 * around with the same program (`ls -ln made-inside | cut …`, then `ls -l /etc/shadow`).
 */
export function lastRunOfEach(runs: readonly TypedRun[], block: Block | undefined): TypedRun[] {
  const commands = block ? blockCommands(block) : [];
  const keyOf = (run: TypedRun): { key: string; shared: number } | undefined => {
    if (!run.command) return undefined;
    const i = matchCommand(run.typed, commands);
    if (i === undefined) return { key: `typed:${words(run.typed).join(" ")}`, shared: 0 };
    const mine = new Set(words(run.typed));
    return { key: `block:${i}`, shared: words(commands[i]!).filter((w) => mine.has(w)).length };
  };
  const keys = runs.map(keyOf);
  const last = new Map<string, number>();
  keys.forEach((k, i) => {
    if (k) last.set(k.key, i);
  });
  return runs.filter((_run, i) => {
    const k = keys[i];
    return k === undefined || last.get(k.key) === i || k.shared > keys[last.get(k.key)!]!.shared;
  });
}

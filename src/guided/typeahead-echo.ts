// Type-ahead in a typed turn: a command typed while the one before it still runs is echoed by the terminal at once
// (the shell's line editor is not reading then), in the middle of what the running command prints, and the shell
// shows it again at its next prompt when it runs it. That first echo is not output: in the step's recap it would
// read as a line the command printed, and it would spoil the comparison with the step's expected output. Pure.
import { expandTabs, inputLines } from "./typed-runs.js";

/** The typed shell's prompt, as in ./typed-runs.ts. */
const PROMPT = /^\(rootlab [^)\s]+\)[^\n]*?[#$] /;

/** How many prompts ahead a line typed ahead is looked for (a learner types a few lines ahead, not dozens). */
const AHEAD = 8;

/**
 * SHOWN (a turn's screen as text) without the terminal's echo of lines typed ahead: a line that is not at a prompt,
 * is one of KEYS' lines (what the learner typed), and is the command typed at one of the next prompts.
 */
export function withoutTypeaheadEcho(shown: string, keys: string): string {
  const typed = new Set(inputLines(keys));
  if (typed.size === 0) return shown;
  const lines = shown.split("\n");
  const commandAt = lines.map((l) => {
    const m = PROMPT.exec(expandTabs(l));
    return m ? expandTabs(l).slice(m[0].length).trim() : undefined;
  });
  return lines
    .filter((line, i) => {
      if (commandAt[i] !== undefined) return true;
      const text = expandTabs(line).trim();
      if (text === "" || !typed.has(text)) return true;
      const next: string[] = [];
      for (let j = i + 1; j < lines.length && next.length < AHEAD; j++) if (commandAt[j] !== undefined) next.push(commandAt[j]!);
      return !next.includes(text);
    })
    .join("\n");
}

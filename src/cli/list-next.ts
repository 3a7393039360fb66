// The line under `rootlab list` that says how to go on: start a lab, read one. Each command is pasted whole, so
// it is never broken across lines: when both do not fit on one line, each gets its own, and a command still
// too long for its line goes under its label. Pure.
import { displayWidth } from "../term/width.js";

export interface NextCommand {
  /** What the command does, as the line begins: "Start one with:". */
  label: string;
  command: string;
}

/** COMMANDS laid out for COLS columns: on one line separated by " · " when it fits, else one (or two) lines each. */
export function nextCommandLines(commands: readonly NextCommand[], cols: number): string[] {
  const one = commands.map((c) => `${c.label} ${c.command}`).join("   ·   ");
  if (displayWidth(one) <= cols) return [one];
  return commands.flatMap((c) => {
    const line = `${c.label} ${c.command}`;
    return displayWidth(line) <= cols ? [line] : [c.label, `  ${c.command}`];
  });
}

// The last lines of `rootlab list`: each command whole on its line (at 80 columns the old single line wrapped
// between `npx rootlab show` and `<lab>`).
import { describe, expect, it } from "vitest";
import { nextCommandLines } from "../../src/cli/list-next.js";

const START = { label: "Start one with:", command: "sudo npx rootlab start <lab> --disposable" };
const SHOW = { label: "Read one with:", command: "npx rootlab show <lab>" };
const LONG_DIR = " --labs-dir /home/someone/projects/my-workshop/labs-for-the-autumn-course";

describe("nextCommandLines", () => {
  it.each<[string, { label: string; command: string }[], number, string[]]>([
    ["both fit on one line", [START, SHOW], 200, ["Start one with: sudo npx rootlab start <lab> --disposable   ·   Read one with: npx rootlab show <lab>"]],
    ["80 columns: one line each, no command broken", [START, SHOW], 80, ["Start one with: sudo npx rootlab start <lab> --disposable", "Read one with: npx rootlab show <lab>"]],
    [
      "a command longer than its line goes under its label",
      [{ ...START, command: START.command + LONG_DIR }, { ...SHOW, command: SHOW.command + LONG_DIR }],
      80,
      ["Start one with:", `  ${START.command}${LONG_DIR}`, "Read one with:", `  ${SHOW.command}${LONG_DIR}`],
    ],
  ])("%s", (_name, commands, cols, lines) => {
    const out = nextCommandLines(commands, cols);
    expect(out).toEqual(lines);
    // Each command stays on one line whole.
    for (const c of commands) expect(out.some((l) => l.includes(c.command))).toBe(true);
  });
});

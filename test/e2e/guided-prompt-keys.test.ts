// A question of guided mode (src/guided/prompts.ts) in a real 80×12 PTY, left with a key, as a newcomer does:
// the screen afterwards shows one line for the question saying what ended it, then what rootlab does about it
// (the guided run's "Interrupted …", written the way guided-run.ts writes it). Before, the question's last draw
// erased that line and left its first choice on the screen. Also: with NO_COLOR the question has no colours.
// No lab runs here: the built prompt module alone, in a child process.
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { ROOT } from "../helpers/cli.js";
import { KEY, Screen, visibleScreen } from "./guided-driver.js";

const PROMPTS = join(ROOT, "dist/guided/prompts.js");

/** A child that asks "What now?" with three choices, and on SIGINT writes what guided-run writes. */
const CHILD = `
const { choose, whenNoPrompt } = await import(${JSON.stringify(PROMPTS)});
process.on("SIGINT", () => whenNoPrompt(() => process.stdout.write("\\nInterrupted (SIGINT): cleaning up…\\n")));
process.stdout.write("Some output above.\\n");
const choices = [{ value: "run", label: "Run it for me" }, { value: "type", label: "I'll type it myself" }, { value: "quit", label: "Quit", hint: "rootlab cleans up" }];
const answer = await choose("What now?", choices, { stdin: process.stdin, stdout: process.stdout });
process.stdout.write("answer: " + answer.kind + "\\n");
process.exit(0);
`;

function ask(): Screen {
  return new Screen([], { NO_COLOR: "1" }, 80, { file: process.execPath, args: ["--input-type=module", "-e", CHILD] }, 12);
}

describe("a question left with a key, in a real terminal", () => {
  it.each([
    ["Ctrl-C (the run is interrupted)", KEY.ctrlC, "Ctrl-C", /^✖ What now\? · Ctrl-C\n+Interrupted \(SIGINT\): cleaning up…\nanswer: cancelled$/m],
    ["Ctrl-D", KEY.ctrlD, "Ctrl-D", /^✖ What now\? · Ctrl-D\nanswer: cancelled$/m],
  ])("%s: the question is one line saying so; none of its choices is left on the screen", async (_name, key, said, after) => {
    const s = ask();
    await s.waitFor("rootlab cleans up");
    s.send(KEY.down);
    await s.until("the cursor on the second choice", () => /▸ I'll type it myself/.test(s.text));
    s.send(key);
    await s.waitFor("answer: cancelled");
    expect((await s.exited).exitCode).toBe(0);
    const screen = visibleScreen(s.output, 80, 12);
    expect(screen, screen).toMatch(after);
    expect(screen, screen).toContain(`Some output above.\n✖ What now? · ${said}\n`);
    expect(screen, screen).not.toMatch(/Run it for me|I'll type it myself|Quit/);
  });

  it("with NO_COLOR the question and its choices are plain text", async () => {
    const s = ask();
    await s.waitFor("rootlab cleans up");
    s.send(KEY.enter);
    await s.waitFor("answer: chosen");
    expect(s.output).not.toMatch(/\x1b\[[0-9;]*m/);
  });
});

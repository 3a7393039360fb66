// Guided mode in an 80×30 terminal, the real chroot lab, as a student meets it: the explanation of a step is on
// the screen together with the output it talks about (chroot step 6: the PIDs), and "Show a hint" at a step's
// second command does not offer the hint about only its first command. (The same lab typed by hand at 80×30, every
// step, is guided-chroot.test.ts.)
import { expect, it } from "vitest";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describeAsRoot } from "../helpers/root.js";
import { ROOT } from "../helpers/cli.js";
import { laterExplanationPages, learnerWithOwnState, KEY, Screen } from "./guided-driver.js";

const LAB_FILE = join(ROOT, "labs/01-chroot.md");
const CMD = { run: 0, type: 1, hint: 2, skip: 3, quit: 4 };
const COLS = 80;
const ROWS = 30;
const learner = learnerWithOwnState("rlt8-small-", COLS, ROWS);

function open(args: string[]): Screen {
  return learner.open(args);
}

describeAsRoot("guided mode in an 80×30 terminal", () => {

  it.skipIf(!existsSync(LAB_FILE))("chroot step 6: the PIDs the explanation talks about are on the screen with it", async () => {
    const s = open(["start", "chroot", "--from", "6"]);
    await s.waitFor("Step 6/8", 120_000);
    await s.waitFor("? What now?");
    s.choose(CMD.run);
    await s.waitFor("Command 2/2");
    await s.waitFor("? What now?");
    s.choose(CMD.run);
    await s.waitFor("Step 6 done");
    const pages = await s.explanationPages();
    const shown = pages[0]!;
    // The box shell's PID as the box printed it, the same number as the host sees it, and the sentence about it.
    const inside = /this shell is PID (\d+)/.exec(shown);
    const outside = /the host sees the box shell as PID (\d+)/.exec(shown);
    expect(inside, shown).not.toBeNull();
    expect(outside?.[1], shown).toBe(inside?.[1]);
    expect(shown).toMatch(/\n\s+1 \S+/); // PID 1 in the list
    expect(shown).toContain("PID 1 in the list is the host's init");
    expect(shown).toContain("very number the host reports for it");
    // Every later page of the explanation has the output it goes on about in view again (both PIDs).
    for (const page of laterExplanationPages(pages)) {
      expect(page, page).toContain("Again, what your commands printed");
      expect(page, page).toContain(`this shell is PID ${inside?.[1]}`);
      expect(page, page).toContain(`the host sees the box shell as PID ${inside?.[1]}`);
    }
    expect(pages.join("\n")).toContain("Two more consequences");
    for (const line of pages.join("\n").split("\n")) expect(line.length).toBeLessThanOrEqual(COLS);
    s.send(KEY.ctrlD); // Ctrl-D quits like Quit
    await s.waitFor("Cleaned up: nothing was left behind", 120_000);
    // The learner jumped ahead with --from: the resume line goes on from where they left, not from step 1.
    await s.waitFor("Resume at step 7/8 with:");
    await s.waitFor("start chroot --from 7");
    expect((await s.exited).exitCode).toBe(0);
  }, 300_000);

  it.skipIf(!existsSync(LAB_FILE))("chroot step 1, command 2: the nudge and the hint about both commands, not the one about command 1 (it comes back if a check fails)", async () => {
    const s = open(["start", "chroot"]);
    await s.waitFor("Step 1/8", 120_000);
    await s.waitFor("Show a hint (3 for this command)");
    s.choose(CMD.run);
    await s.waitFor("Command 2/2");
    // Hint 1 is a nudge (no command), hint 2 quotes file and ldd (both commands), hint 3 only the cp of command 1.
    await s.waitFor("Show a hint (2 for this command)");
    s.choose(CMD.hint);
    await s.waitFor("Hint 1/3");
    await s.waitFor("Show a hint (1 for this command)");
    s.choose(CMD.hint);
    await s.waitFor("Hint 2/3");
    await s.waitFor("Show a hint (none for this command)");
    s.choose(CMD.hint);
    await s.waitFor("No hint for this command");
    await s.waitFor("? What now?");
    expect(s.text).not.toContain("Hint 3/3");
    s.choose(CMD.quit);
    await s.waitFor("Cleaned up: nothing was left behind", 120_000);
    await s.waitFor("2 hints used");
    expect((await s.exited).exitCode).toBe(0);
  }, 300_000);
});

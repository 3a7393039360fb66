// A new user's trial of the typed shell at 80×30 (chroot lab), each case typed by a driver on a real PTY with the
// real CLI and lab:
// - a command meant to fail that fails for another reason (a typo: `ldd` of a file that is not there) gets its
//   expected exit status but not "as expected": rootlab says what it printed instead of what the step expects.
import { expect, it } from "vitest";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describeAsRoot } from "../helpers/root.js";
import { ROOT } from "../helpers/cli.js";
import { KEY, learnerWithOwnState } from "./guided-driver.js";

const CMD = { run: 0, type: 1 };
const COLS = 80;
const ROWS = 30;
const learner = learnerWithOwnState("rlt8-trial-", COLS, ROWS);
const CHROOT = join(ROOT, "labs/01-chroot.md");
const PROMPT = "(rootlab host) ~lab # ";

describeAsRoot("the typed shell as a new user met it (chroot lab, 80×30)", () => {
  it.skipIf(!existsSync(CHROOT))("ldd meant to fail, typed with a typo: exit status 1, but not as expected — what it printed instead", async () => {
    const s = learner.open(["start", "chroot"]);
    await s.waitFor("Step 1/8", 120_000);
    await s.waitFor("? What now?");
    s.choose(CMD.run);
    await s.waitFor("Command 2/2");
    await s.waitFor("? What now?");
    s.choose(CMD.type);
    await s.waitFor(PROMPT);
    s.send('ldd "$R/bin/busybx"\r');
    await s.waitFor("No such file or directory");
    await s.waitFor(PROMPT);
    s.send("check\r");
    await s.waitFor("Back in rootlab.");
    await s.waitFor(/! Exit status 1 as expected, but it printed "ldd:\s+\S+\/root\/bin\/busybx: No such file or directory"\s+instead\s+of\s+"not a dynamic executable": it failed for another reason\./);
    await s.waitFor("Step 1 done");
    expect(s.text).not.toMatch(/✓ Exit status 1/);
    await s.waitFor(/\? (The explanation goes on|When you are ready):/);
    s.send(KEY.ctrlD);
    await s.waitFor("Cleaned up: nothing was left behind", 120_000);
  }, 300_000);
});

// "Try the step again" in a step that leaves an earlier step's shell (`exit`) and opens it anew, on a real PTY
// with the real CLI (fixture lab test/fixtures/guided/rlt23/reopen.md). Ending the shells the step opens before the
// new attempt also ended the one its first command means to leave: that `exit` then had no shell to run in.
import { join } from "node:path";
import { expect, it } from "vitest";
import { describeAsRoot } from "../helpers/root.js";
import { ROOT } from "../helpers/cli.js";
import { learnerWithOwnState, prompts, type Screen } from "./guided-driver.js";

const learner = learnerWithOwnState("rlt23-reopen-", 80, 30);
const LAB = join(ROOT, "test/fixtures/guided/rlt23/reopen.md");
const CMD = { run: 0, type: 1 };

/** Types LINE in the box's own shell and waits for its prompt again. */
async function typed(s: Screen, line: string): Promise<void> {
  const before = s.count(prompts("box"));
  s.send(`${line}\r`);
  await s.until(`the prompt after ${line}`, () => s.count(prompts("box")) > before, 30_000);
}

describeAsRoot("Try the step again, in a step that leaves a shell and opens it again (80×30)", () => {
  it("the new attempt leaves the box it finds and opens a new one; the checks pass", async () => {
    const s = learner.open(["start", LAB]);
    for (const n of [1, 2]) {
      await s.waitFor(`Command ${n}/2`);
      await s.waitFor("? What now?");
      s.choose(CMD.run);
    }
    await s.waitFor("Step 1 done", 60_000);
    await s.throughExplanation();
    // Step 2, first attempt: exit and reopen run for the learner, the hostname typed wrong.
    for (const n of [1, 2]) {
      await s.waitFor(`Command ${n}/3`);
      await s.waitFor("? What now?");
      s.choose(CMD.run);
    }
    await s.waitFor("Command 3/3");
    await s.waitFor("? What now?");
    s.choose(CMD.type);
    await s.waitFor("(rootlab box) ");
    await typed(s, "hostname rlt23-wrong");
    s.send("check\r");
    await s.waitFor("✗ the new box is named rlt23-two", 60_000);
    await s.waitFor("? What now?");
    s.choose(0); // Try the step again
    // The box the step opened is not ended first: command 1 leaves it, command 2 opens a new one.
    for (const n of [1, 2, 3]) {
      await s.waitFor(`Command ${n}/3`, 60_000);
      await s.waitFor("? What now?");
      s.choose(CMD.run);
    }
    await s.waitFor("✓ the new box is named rlt23-two", 60_000);
    await s.waitFor("Step 2 done");
    expect(s.text).not.toMatch(/no session named|The command did not do what this step expects/);
    // The last step: the lab ends there.
    await s.waitFor("Cleaned up: nothing was left behind", 60_000);
    expect((await s.exited).exitCode).toBe(0);
  }, 240_000);
});

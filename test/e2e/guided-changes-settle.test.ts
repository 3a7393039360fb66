// "What changed on the machine" credits the step that made a change, on a real PTY with the real CLI (fixture lab
// test/fixtures/guided/rlt23/settle.md). A veth end brought up as a step's last command gets its state from the
// kernel a moment later (linkwatch); a view taken at once saw it down, and the next step, which changed nothing,
// was said to have brought it up. The view now waits (bounded) until the link's state has settled.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { expect, it } from "vitest";
import { describeAsRoot } from "../helpers/root.js";
import { ROOT } from "../helpers/cli.js";
import { KEY, learnerWithOwnState } from "./guided-driver.js";

const learner = learnerWithOwnState("rlt23-settle-", 80, 30);
const LAB = join(ROOT, "test/fixtures/guided/rlt23/settle.md");
const NO_CHANGE = "The machine: no change to namespaces, links, mounts, loop devices or cgroups.";

describeAsRoot("what a step changed, with a link that settles after it (80×30)", () => {
  // Several rounds: the kernel's delay varies, and one round may see the link settled by chance.
  it.each([1, 2, 3])("round %i: the veth is up in step 1's changes, and step 2 changed nothing", async () => {
    // --from 1: each round from the start, also after the round before finished the lab.
    const s = learner.open(["start", LAB, "--from", "1"]);
    await s.waitFor("? What now?");
    s.send(KEY.enter);
    await s.waitFor("Step 1 done", 60_000);
    const step1 = await s.waitFor(/(What changed on the machine:[^?]*|The machine: no change[^\n]*)\n/);
    expect(step1).toMatch(/rlt23-h/);
    await s.waitFor("? When you are ready:");
    s.send(KEY.enter);
    await s.waitFor("? What now?");
    s.send(KEY.enter);
    await s.waitFor("Step 2 done", 60_000);
    const step2 = await s.waitFor(/(What changed on the machine:[^?]*|The machine: no change[^\n]*)\n/);
    expect(step2).toContain(NO_CHANGE);
    s.send(KEY.ctrlD);
    await s.waitFor("Cleaned up: nothing was left behind", 60_000);
    expect(execFileSync("ip", ["netns", "list"], { encoding: "utf8" })).not.toMatch(/rlt23-ns/);
  }, 120_000);
});

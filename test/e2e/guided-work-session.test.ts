// "I'll type it myself" after a failed check, in a step whose commands ran in two shells (a box, then a look from
// the host): rootlab asks which shell, with the box under the cursor, and the shell it opens is the box's. Before,
// it opened the last command's shell, the host's, and a new-user trial redid the box's work there.
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeAsRoot } from "../helpers/root.js";
import { ROOT } from "../helpers/cli.js";
import { KEY, Screen } from "./guided-driver.js";

const LABS = join(ROOT, "test/fixtures/guided-shells");
const CMD = { run: 0 };
const FAILED = { type: 1 };

let state: string;
const screens: Screen[] = [];

describeAsRoot("guided mode: which shell to type in after a failed check", () => {
  beforeAll(async () => {
    state = await mkdtemp(join(tmpdir(), "rlt8-shells-"));
  });
  afterEach(async () => {
    for (const s of screens.splice(0)) await s.stop();
  });
  afterAll(async () => {
    await rm(state, { recursive: true, force: true });
  });

  it("asks, offers the box first, and opens the box's own shell", async () => {
    const s = new Screen(["start", "rlt8-shells"], { ROOTLAB_DISPOSABLE: "1", ROOTLAB_LABS: LABS, XDG_STATE_HOME: state, HOME: state });
    screens.push(s);
    await s.waitFor("Step 1/1: Name the box");
    for (const text of ["unshare --fork", "hostname rlt8-box", 'echo "the host looks"']) {
      await s.waitFor(text);
      await s.waitFor("? What now?");
      s.choose(CMD.run);
    }
    await s.waitFor("✗ the box is called rlt8-ok");
    await s.waitFor("? What now?");
    s.choose(FAILED.type);
    await s.waitFor("Type in which?");
    await s.waitFor("where commands 1 and 2 ran");
    await s.waitFor("where command 3 ran");
    const focused = s.text.split("\n").filter((l) => l.includes("▸")).at(-1) ?? "";
    expect(focused).toContain("box");
    s.send(KEY.enter);
    await s.waitFor("(rootlab box)");
    s.send("hostname rlt8-ok; echo pid=$$\r");
    await s.waitFor("pid=1"); // the box's own shell: PID 1 of its PID namespace
    s.send("check\r");
    await s.waitFor("✓ the box is called rlt8-ok");
    await s.waitFor("Cleaned up: nothing was left behind");
    expect((await s.exited).exitCode).toBe(0);
    expect(execFileSync("hostname", { encoding: "utf8" }).trim()).not.toBe("rlt8-ok");
  });
});

// "I'll type it myself" after a failed check, in a step whose commands ran in two shells (a box, then a look from
// the host): rootlab asks which shell, with the box under the cursor, and the shell it opens is the box's. Before,
// it opened the last command's shell, the host's, and a new-user trial redid the box's work there. After a failed
// command it asks too (it opened the command's shell without asking). "Try the step again" in a step that opens a
// session re-opens it (it was stuck: 'session "box" already exists and is running … end it first').
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeAsRoot } from "../helpers/root.js";
import { ROOT } from "../helpers/cli.js";
import { KEY, Screen } from "./guided-driver.js";

const LABS = join(ROOT, "test/fixtures/guided-shells");
const CMD = { run: 0 };
const FAILED = { retry: 0, type: 1 };

let state: string;
const screens: Screen[] = [];

/** A fresh start of LAB: each test has its own progress (a lab done before would ask "Go through it again?"). */
function start(lab: string): Screen {
  const home = mkdtempSync(join(state, "home-"));
  const s = new Screen(["start", lab], { ROOTLAB_DISPOSABLE: "1", ROOTLAB_LABS: LABS, XDG_STATE_HOME: home, HOME: home });
  screens.push(s);
  return s;
}

/** The choice under the cursor of the question last drawn. */
function focused(s: Screen): string {
  return s.text.split("\n").filter((l) => l.includes("▸")).at(-1) ?? "";
}

describeAsRoot("guided mode: which shell to type in after a failed check or command, and trying a step again", () => {
  beforeAll(async () => {
    state = await mkdtemp(join(tmpdir(), "rlt8-shells-"));
  });
  afterEach(async () => {
    for (const s of screens.splice(0)) await s.stop();
  });
  afterAll(async () => {
    await rm(state, { recursive: true, force: true });
  });

  /** Runs the step's commands one by one from the menu. */
  async function runCommands(s: Screen, commands: string[]): Promise<void> {
    for (const text of commands) {
      await s.waitFor(text);
      await s.waitFor("? What now?");
      s.choose(CMD.run);
    }
  }

  /** In the chooser, takes the box (under the cursor), names it in its own shell, gives it back: the step passes. */
  async function fixInTheBox(s: Screen): Promise<void> {
    s.send(KEY.enter);
    await s.waitFor("(rootlab box)");
    s.send("hostname rlt8-ok; echo pid=$$\r");
    await s.waitFor("pid=1"); // the box's own shell: PID 1 of its PID namespace
    s.send("check\r");
    await s.waitFor("✓ the box is called rlt8-ok");
    await s.waitFor("Cleaned up: nothing was left behind");
    expect((await s.exited).exitCode).toBe(0);
  }

  it("asks, offers the box first, and opens the box's own shell", async () => {
    const s = start("rlt8-shells");
    await s.waitFor("Step 1/1: Name the box");
    await runCommands(s, ["unshare --fork", "hostname rlt8-box", 'echo "the host looks"']);
    await s.waitFor("✗ the box is called rlt8-ok");
    await s.waitFor("? What now?");
    s.choose(FAILED.type);
    await s.waitFor("Type in which?");
    // The command that opens the box is typed on the host: it ran there, and opened the box.
    await s.waitFor("where commands 1 and 3 ran");
    await s.waitFor("where command 2 ran (command 1 opened it)");
    expect(focused(s)).toContain("box");
    await fixInTheBox(s);
    expect(execFileSync("hostname", { encoding: "utf8" }).trim()).not.toBe("rlt8-ok");
  });

  it("Try the step again ends the box the step opened, and its command opens a new one", async () => {
    const s = start("rlt8-shells");
    await s.waitFor("Step 1/1: Name the box");
    for (let attempt = 0; attempt < 2; attempt++) {
      await runCommands(s, ["unshare --fork", "hostname rlt8-box", 'echo "the host looks"']);
      await s.waitFor("✗ the box is called rlt8-ok");
      await s.waitFor("? What now?");
      if (attempt === 0) {
        s.choose(FAILED.retry);
        await s.waitFor('Ending the shell box that this step opened, so its command opens it anew');
      }
    }
    // The second attempt ran all three commands: the box was opened again, with no message for lab authors.
    expect(s.text).not.toContain("already exists");
    s.choose(FAILED.type);
    await s.waitFor("Type in which?");
    await fixInTheBox(s);
  });

  it("after a command failed, asks which shell with the command's own first, and shows the command again after another", async () => {
    const s = start("rlt8-command");
    await s.waitFor("Step 1/1: Name the box");
    await runCommands(s, ["unshare --fork", "hostname rlt8-box", "nsenter -t"]);
    await s.waitFor("The command did not do what this step expects. What now?");
    s.choose(FAILED.type);
    await s.waitFor("Type in which?");
    await s.waitFor("where commands 1 and 3 ran");
    await s.waitFor("where command 2 ran (command 1 opened it)");
    // The failed command ran on the host: the host is offered first (the cause may be elsewhere: the learner picks).
    expect(focused(s)).toContain("host");
    s.choose(1);
    await s.waitFor('Command 3 runs in session "host", not here');
    await s.waitFor("(rootlab box)");
    s.send("hostname rlt8-ok; echo pid=$$\r");
    await s.waitFor("pid=1");
    s.send("check\r");
    await s.waitFor("Back in rootlab.");
    // Typing in the box was not command 3: it is offered again, and run for the learner it now passes.
    await s.waitFor("nsenter -t");
    await s.waitFor("? What now?");
    s.choose(CMD.run);
    await s.waitFor("✓ the box is called rlt8-ok");
    await s.waitFor("Cleaned up: nothing was left behind");
    expect((await s.exited).exitCode).toBe(0);
  });
});

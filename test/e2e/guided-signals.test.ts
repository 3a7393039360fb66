// Every way out of guided mode runs the lab's cleanup (LabRun.finish) and leaves the terminal usable: Ctrl-D at
// a prompt, SIGINT/SIGTERM while a prompt shows, the terminal closing (its master side closed, as tmux
// kill-session does) at a prompt or in a typed shell. Also "Try the step again" (undo, then redo), skip after
// it, and hints kept across an interruption. The REAL CLI in a pseudo-terminal, as root, with the lab in
// test/fixtures/guided/rlt17/ (a folder of its own: the other guided tests pick labs by their menu position).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeAsRoot } from "../helpers/root.js";
import { ROOT } from "../helpers/cli.js";
import { KEY, Screen } from "./guided-driver.js";

const LABS = join(ROOT, "test/fixtures/guided/rlt17");
const CMD = { run: 0, type: 1, hint: 2, skip: 3, quit: 4 };
const FAILED = { retry: 0, type: 1, solution: 2, skip: 3, quit: 4 };

let state: string;
let work: string;
const screens: Screen[] = [];

function open(args: string[]): Screen {
  const s = new Screen(args, { ROOTLAB_DISPOSABLE: "1", ROOTLAB_LABS: LABS, XDG_STATE_HOME: state, HOME: state, ROOTLAB_WORKDIR: work });
  screens.push(s);
  return s;
}

function netnsList(): string {
  return execFileSync("ip", ["netns", "list"], { encoding: "utf8" });
}

/** Polls until the lab's namespace and LAB_DIR are gone (the cleanup ran), with a deadline. */
async function expectResourcesGone(timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = [...(/rlt17-ns/.test(netnsList()) ? ["netns rlt17-ns"] : []), ...(await readdir(work).catch(() => [])).map((d) => `LAB_DIR ${d}`)];
    if (left.length === 0) return;
    if (Date.now() > deadline) throw new Error(`the lab's cleanup did not run within ${timeoutMs} ms: ${left.join(", ")} left`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Step 1 done by "Run it for me": the lab now owns a namespace, so a missing cleanup would show. */
async function doStepOne(s: Screen): Promise<void> {
  await s.waitFor("Step 1/2: Create a namespace and say so");
  await s.waitFor("? What now?");
  s.choose(CMD.run);
  await s.waitFor("Step 1 done");
  await s.nextStep("Step 2/2: Look at it");
  await s.waitFor("? What now?");
  expect(netnsList()).toMatch(/rlt17-ns/);
}

describe("guided-mode signals", () => {
  it("the driver's PID is rootlab's own (signals in these tests reach rootlab, not a shell)", () => {
    const s = open(["--help"]);
    expect(s.pid).toBeGreaterThan(0);
  });
});

describeAsRoot("guided mode: every way out cleans up", () => {
  beforeAll(async () => {
    state = await mkdtemp(join(tmpdir(), "rlt17-guided-"));
    work = await mkdtemp(join(tmpdir(), "rlt17-work-"));
  });
  beforeEach(async () => {
    // Every test starts with no progress (each one says where it starts).
    await rm(join(state, "rootlab"), { recursive: true, force: true });
  });
  afterEach(async () => {
    for (const s of screens.splice(0)) await s.stop();
    try {
      execFileSync("ip", ["netns", "del", "rlt17-ns"], { stdio: "ignore" });
    } catch {
      // not there: good
    }
  });
  afterAll(async () => {
    await rm(state, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  it("Ctrl-D at the lab picker quits like Esc (exit 0, no unsettled promise)", async () => {
    const s = open([]);
    await s.waitFor("? Which lab?");
    s.send(KEY.ctrlD);
    const exit = await s.exited;
    expect(exit).toMatchObject({ exitCode: 0, signal: 0 });
  });

  it("Ctrl-D at a step prompt quits like Quit: cleanup ran, progress kept, exit 0", async () => {
    const s = open(["start", "rlt17-retry"]);
    await doStepOne(s);
    s.send(KEY.ctrlD);
    await s.waitFor("Cleaned up: nothing was left behind");
    await s.waitFor("Your progress is saved");
    expect((await s.exited).exitCode).toBe(0);
    await expectResourcesGone();
  });

  it.each([
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ])("%s while a prompt is showing: cleanup ran, exit %i", async (sig, code) => {
    const s = open(["start", "rlt17-retry", "--from", "1"]);
    await doStepOne(s);
    s.kill(sig);
    await s.waitFor(`Interrupted (${sig}): cleaning up`);
    await s.waitFor("Cleaned up: nothing was left behind");
    expect((await s.exited).exitCode).toBe(code);
    await expectResourcesGone();
  });

  it("the terminal closing at a prompt: cleanup ran, no crash (exit 129, not SIGSEGV)", async () => {
    const s = open(["start", "rlt17-retry", "--from", "1"]);
    await doStepOne(s);
    s.hangUp();
    await expectResourcesGone();
    const exit = await s.exited;
    expect(exit.signal ?? 0).toBe(0);
    expect(exit.exitCode).toBe(129);
  });

  it("the terminal closing while the learner types in a shell: the shell ends, cleanup ran", async () => {
    const s = open(["start", "rlt17-retry", "--from", "1"]);
    await doStepOne(s);
    s.choose(CMD.type);
    // Step 2's first of two commands: the banner is precise about what the shell is and what comes next.
    await s.waitFor('This is session "host"\'s own shell');
    await s.waitFor(/rootlab\s+goes\s+on\s+with\s+the\s+step\s+\(the\s+checks\s+run\s+after\s+its\s+last\s+command\)/); // wrapped at words
    await s.waitFor("(rootlab host)");
    s.hangUp();
    await expectResourcesGone();
    const exit = await s.exited;
    expect(exit.signal ?? 0).toBe(0);
    expect(exit.exitCode).toBe(129);
  });

  it("hints seen in a step interrupted by SIGINT are saved; resuming that step continues the hint ladder", async () => {
    const first = open(["start", "rlt17-retry", "--from", "1"]);
    await first.waitFor("Step 1/2: Create a namespace and say so");
    await first.waitFor("? What now?");
    first.choose(CMD.hint);
    await first.waitFor("Hint 1/2");
    await first.waitFor("? What now?");
    first.kill("SIGINT");
    await first.waitFor("Cleaned up: nothing was left behind");
    expect((await first.exited).exitCode).toBe(130);
    const saved = JSON.parse(await readFile(join(state, "rootlab", "progress.json"), "utf8")) as { labs: Record<string, { steps: Record<string, { done: boolean; hintsUsed: number }> }> };
    expect(saved.labs["rlt17-retry"]?.steps["create-a-namespace-and-say-so"]).toMatchObject({ done: false, hintsUsed: 1 });

    const again = open(["start", "rlt17-retry"]);
    await again.waitFor("Step 1/2: Create a namespace and say so");
    await again.waitFor("? What now?");
    expect(again.text).toMatch(/Show a hint \(1 for this command\)/);
    again.choose(CMD.hint);
    await again.waitFor("Hint 2/2");
    await again.waitFor("? What now?");
    again.choose(CMD.quit);
    await again.waitFor("Cleaned up: nothing was left behind");
    expect((await again.exited).exitCode).toBe(0);
    await expectResourcesGone();
  });

  it("Try the step again undoes the first attempt (its cleanup), so its command runs again without 'File exists'", async () => {
    const s = open(["start", "rlt17-retry", "--from", "1"]);
    await s.waitFor("Step 1/2: Create a namespace and say so");
    await s.waitFor("? What now?");
    s.choose(CMD.type);
    await s.waitFor("(rootlab host)");
    // Half the step: the namespace, but not the variable; the checks fail.
    s.send("ip netns add rlt17-ns\r");
    await s.waitFor("(rootlab host)");
    s.send("check\r");
    expect(s.text.replace(/\s+/g, " ")).toContain("rootlab then checks your work"); // the step's only (so last) command
    await s.waitFor("✗ MADE is set in the session");
    await s.waitFor("? What now?");
    s.choose(FAILED.retry);
    await s.waitFor("Undoing your first attempt: rootlab runs this step's cleanup, then its setup again");
    await s.waitFor("? What now?");
    expect(netnsList()).not.toMatch(/rlt17-ns/);
    s.choose(CMD.run);
    await s.waitFor("✓ MADE is set in the session");
    await s.waitFor("Step 1 done");
    expect(s.text).not.toContain("File exists");
    await s.nextStep("? What now?");
    s.choose(CMD.quit);
    await s.waitFor("Cleaned up: nothing was left behind");
    expect((await s.exited).exitCode).toBe(0);
    await expectResourcesGone();
  });

  it("Skip after Try the step again runs every command of the step (nothing counts as done from the first attempt)", async () => {
    const s = open(["start", "rlt17-retry", "--from", "1"]);
    await s.waitFor("? What now?");
    s.choose(CMD.type);
    await s.waitFor("(rootlab host)");
    s.send("ip netns add rlt17-ns\r");
    await s.waitFor("(rootlab host)");
    s.send("check\r");
    await s.waitFor("✗ MADE is set in the session");
    await s.waitFor("? What now?");
    s.choose(FAILED.retry);
    await s.waitFor("Undoing your first attempt");
    await s.waitFor("? What now?");
    s.choose(CMD.skip);
    await s.waitFor("Step 1 skipped");
    await s.nextStep("Step 2/2: Look at it");
    await s.waitFor("? What now?");
    // The skip re-created what the undo removed: step 2 finds the namespace.
    expect(netnsList()).toMatch(/rlt17-ns/);
    s.choose(CMD.quit);
    await s.waitFor("Your progress is saved (0 done, 1 skipped of 2 steps");
    expect((await s.exited).exitCode).toBe(0);
    await expectResourcesGone();
  });
});

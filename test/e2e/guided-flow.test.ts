// Guided mode end to end: the REAL CLI in a pseudo-terminal, driven like a student at the keyboard, as root on
// a disposable machine, with the fixture labs in test/fixtures/guided (every resource named rlt8-…).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeAsRoot } from "../helpers/root.js";
import { ROOT, runCli } from "../helpers/cli.js";
import { KEY, renderTranscript, Screen } from "./guided-driver.js";

const LABS = join(ROOT, "test/fixtures/guided");
// Choices of the command prompt, in order.
const CMD = { run: 0, type: 1, hint: 2, skip: 3, quit: 4 };
// Choices after a failed check.
const FAILED = { retry: 0, type: 1, solution: 2, skip: 3, quit: 4 };

let state: string;
const screens: Screen[] = [];

function open(args: string[]): Screen {
  const s = new Screen(args, { ROOTLAB_DISPOSABLE: "1", ROOTLAB_LABS: LABS, XDG_STATE_HOME: state, HOME: state });
  screens.push(s);
  return s;
}

/** The lab's cleanup ran, the leak check found nothing, and the lab's namespace is gone. */
async function expectCleanedUp(s: Screen, want: { quit: boolean; menu?: string; exit?: number; cursorOn?: string }): Promise<void> {
  await s.waitFor(`Cleaning up lab rlt8-netns`);
  await s.waitFor("Cleaned up: nothing was left behind");
  if (want.menu !== undefined) {
    // Started from the menu: the menu comes back, with the lab's new progress; Esc quits.
    await s.waitFor("? Which lab?");
    await s.waitFor(want.menu);
    if (want.cursorOn !== undefined) {
      const focused = s.text.split("\n").filter((l) => l.startsWith("▸ ")).at(-1);
      expect(focused).toContain(want.cursorOn);
    }
    s.send(KEY.esc);
  }
  const { exitCode } = await s.exited;
  expect(exitCode).toBe(want.exit ?? 0);
  expect(netnsList()).not.toMatch(/rlt8-ns/);
  expect(s.text).toMatch(want.quit ? /Your progress is saved/ : /You finished/);
}

function netnsList(): string {
  return execFileSync("ip", ["netns", "list"], { encoding: "utf8" });
}

async function progressOf(lab: string): Promise<Record<string, { done: boolean; hintsUsed: number; skipped: boolean }>> {
  const file = JSON.parse(await readFile(join(state, "rootlab", "progress.json"), "utf8")) as { version: number; labs: Record<string, { steps: Record<string, { done: boolean; hintsUsed: number; skipped: boolean }> }> };
  expect(file.version).toBe(1);
  return file.labs[lab]?.steps ?? {};
}

describe("guided mode without a terminal", () => {
  it.each([[["start", "rlt8-netns"]], [[]]])("rootlab %j refuses with exit 2 and points to verify", async (args) => {
    const r = await runCli(args, { env: { ROOTLAB_LABS: LABS } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs a terminal/);
    expect(r.stderr).toMatch(/`node bin\/rootlab\.js verify <lab>`/); // named the way it was run
  });
});

describeAsRoot("guided mode in a pseudo-terminal", () => {
  beforeAll(async () => {
    state = await mkdtemp(join(tmpdir(), "rlt8-guided-"));
  });
  afterEach(async () => {
    // A failed test must not leave a rootlab (and its namespace) running.
    for (const s of screens.splice(0)) await s.stop();
    try {
      execFileSync("ip", ["netns", "del", "rlt8-ns"], { stdio: "ignore" });
    } catch {
      // not there: good
    }
  });
  afterAll(async () => {
    await rm(state, { recursive: true, force: true });
  });

  it("menu → run a step → ask for a hint → type it myself → a failing check shows the next hint (not counted) → fix it → quit: cleanup ran, progress kept", async () => {
    const s = open([]);
    await s.waitFor("? Which lab?");
    await s.waitFor("A namespace and a file");
    s.send(KEY.enter);

    await s.waitFor("Step 1/3: Create a network namespace");
    await s.waitFor("ip netns add rlt8-ns");
    await s.waitFor("? What now?");
    s.choose(CMD.run);
    await s.waitFor("✓ the namespace rlt8-ns exists");
    await s.waitFor("Step 1 done");
    expect(netnsList()).toMatch(/rlt8-ns/);

    await s.nextStep("Step 2/3: Leave a note");
    await s.waitFor("Show a hint (2 for this command)");
    s.choose(CMD.hint);
    await s.waitFor("Hint 1/2");
    await s.waitFor("Show a hint (1 for this command)");
    s.choose(CMD.type);
    await s.waitFor("(rootlab host)");
    // Wrong on purpose: "hallo". The variable set here must survive into the next shell and the checks.
    s.send('echo hallo > "$LAB_DIR/note"; NOTE=hello\r');
    await s.waitFor("(rootlab host)");
    s.send("check\r");
    await s.waitFor("Checking your work:");
    await s.waitFor("✗ the note says hello");
    // The condition that failed, with the values it compared (read again in the check's session).
    await s.waitFor("this condition did not hold (line 54 of the lab):");
    await s.waitFor('test "$(cat "$LAB_DIR/note")" = hello');
    await s.waitFor('left:  "hallo"');
    await s.waitFor('right: "hello"   (compared with =)');
    // The next hint comes by itself after a failed check; only the one asked for above counts as used.
    await s.waitFor("Hint 2/2");
    await s.waitFor("? What now?");
    s.choose(FAILED.type);
    await s.waitFor("(rootlab host)");
    s.send('cat "$LAB_DIR/note"; echo hello > "$LAB_DIR/note"\r');
    await s.waitFor("hallo");
    s.send("check\r");
    await s.waitFor("✓ the note says hello");
    await s.waitFor("✓ NOTE is set in the session");
    await s.waitFor("Step 2 done");

    await s.nextStep("Step 3/3: Use both");
    await s.waitFor("? What now?");
    s.choose(CMD.quit);
    // Quit half-way: the menu's cursor is on this lab (the one to resume), not on the next.
    await expectCleanedUp(s, { quit: true, menu: "2/3 steps, 1 hint", cursorOn: "A namespace and a file" });
    expect(s.text.replace(/\s+/g, " ")).toContain("Your progress is saved (2/3 steps done, 1 hint asked for, 1 shown after a failure)");
    expect(s.text).toContain("Resume at step 3/3 with: node bin/rootlab.js start rlt8-netns");
    const steps = await progressOf("rlt8-netns");
    expect(steps["create-a-network-namespace"]).toMatchObject({ done: true, hintsUsed: 0, skipped: false });
    expect(steps["leave-a-note"]).toMatchObject({ done: true, hintsUsed: 1, hintsSeen: [0, 1], skipped: false });
    expect(steps["use-both"]).toMatchObject({ done: false });
  });

  it("start again: resumes at step 3 with the namespace, file and variable of steps 1–2 re-created", async () => {
    const s = open(["start", "rlt8-netns"]);
    await s.waitFor("Welcome back: resuming at step 3/3");
    await s.waitFor("Re-creating the state of steps 1–2");
    await s.waitFor("Step 3/3: Use both");
    await s.waitFor("? What now?");
    s.choose(CMD.run);
    await s.waitFor(/\d+: lo: <LOOPBACK/);
    await s.waitFor("✓ earlier steps' namespace, file and variable are all there");
    await expectCleanedUp(s, { quit: false });
    expect(s.text.replace(/\s+/g, " ")).toContain('You finished "A namespace and a file (guided-mode test lab)": 3/3 steps, 1 hint asked for, 1 shown after a failure');
    expect((await progressOf("rlt8-netns"))["use-both"]).toMatchObject({ done: true });
  });

  it("exit in the typed shell ends the session, said in plain words; Start this step again re-creates step 1 and the step works", async () => {
    const s = open(["start", "rlt8-netns", "--from", "2"]);
    await s.waitFor("Step 2/3: Leave a note");
    await s.waitFor("? What now?");
    s.choose(CMD.type);
    await s.waitFor("(rootlab host)");
    s.send("exit\r");
    // In plain words: what happened, what it means for the step, what each choice does.
    await s.waitFor('The shell of session "host" ended (exit status 0).');
    await s.waitFor(/what the\s+lab\s+had\s+set\s+up\s+in\s+it\s+ends\s+with\s+it/);
    await s.waitFor(/Start\s+this\s+step\s+again:\s+rootlab\s+cleans\s+up\s+the\s+lab,\s+re-creates\s+step\s+1\s+in\s+fresh\s+sessions[\s\S]*starts\s+step\s+2\s+from\s+its\s+first\s+command\.\s+Quit:\s+rootlab\s+cleans\s+up;\s+your\s+progress\s+is\s+kept\./);
    await s.waitFor("? The session has ended. What now?");
    expect(s.text).not.toContain("a block ends its session");
    s.choose(0);
    await s.waitFor("Starting step 2 again: cleaning up lab rlt8-netns first");
    await s.waitFor("Re-creating the state of step 1");
    await s.waitFor("Step 2/3: Leave a note");
    await s.waitFor("? What now?");
    expect(netnsList()).toMatch(/rlt8-ns/);
    s.choose(CMD.run);
    await s.waitFor("Step 2 done");
    await s.nextStep("? What now?");
    s.choose(CMD.quit);
    // The test before finished the lab: gone through again and left, it ends as finished, not "resume at step 3".
    await expectCleanedUp(s, { quit: false });
    expect(s.text).not.toMatch(/Resume at|progress is saved/);
    // The first run was cleaned up before the second opened: one "Cleaned up" each.
    expect(s.text.split("Cleaned up: nothing was left behind").length - 1).toBe(2);
  });

  it("--from 2 re-creates step 1; closing the terminal (SIGHUP) runs the cleanup", async () => {
    const s = open(["start", "rlt8-netns", "--from", "2"]);
    await s.waitFor("Re-creating the state of step 1");
    await s.waitFor("Step 2/3: Leave a note");
    await s.waitFor("? What now?");
    expect(netnsList()).toMatch(/rlt8-ns/);
    s.kill("SIGHUP");
    const exit = await s.exited;
    expect(exit.exitCode).toBe(129);
    expect(netnsList()).not.toMatch(/rlt8-ns/);
  });

  it("skip runs the step for the learner and marks it skipped; reset --yes forgets the lab", async () => {
    // Not finished (the tests before finished it): a finished lab left halfway ends as finished, with no resume line.
    const forget = await runCli(["reset", "rlt8-netns", "--yes"], { env: { ROOTLAB_LABS: LABS, XDG_STATE_HOME: state, HOME: state } });
    expect(forget.code, forget.stderr).toBe(0);
    const s = open(["start", "rlt8-netns", "--from", "create-a-network-namespace"]);
    await s.waitFor("Step 1/3");
    await s.waitFor("? What now?");
    s.choose(CMD.skip);
    await s.waitFor("Step 1 skipped");
    await s.nextStep("Step 2/3");
    await s.waitFor("? What now?");
    expect(netnsList()).toMatch(/rlt8-ns/);
    // Ctrl-C typed at a prompt ends the run as Ctrl-C during a command does: cleanup, resume line, exit 130.
    s.send(KEY.ctrlC);
    await expectCleanedUp(s, { quit: true, exit: 130 });
    // On the screen the question is one line that says what ended it, then what happens: none of its choices is
    // left behind (its last draw used to erase the "Interrupted" line and leave "▸ Run it for me" above it).
    const screen = renderTranscript(s.output, s.cols);
    expect(screen).toMatch(/^✖ What now\? · Ctrl-C\n+Interrupted \(SIGINT\): cleaning up…/m);
    const before = screen.slice(0, screen.lastIndexOf("✖ What now?")).trimEnd().split("\n").slice(-3).join("\n");
    expect(before, screen).not.toMatch(/^(▸ |\? What now)|Run it for me|Skip this step/m);
    expect(s.text).toMatch(/Resume at .* with: node bin\/rootlab\.js start rlt8-netns/);
    expect((await progressOf("rlt8-netns"))["create-a-network-namespace"]).toMatchObject({ done: true, skipped: true });

    const r = await runCli(["reset", "rlt8-netns", "--yes"], { env: { ROOTLAB_LABS: LABS, XDG_STATE_HOME: state, HOME: state } });
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/Progress in rlt8-netns forgotten/);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/Cleaned up: nothing was left behind/);
    expect(await progressOf("rlt8-netns")).toEqual({});
  });

  it("a lab opened by its path: the resume hint names the path, which works from the same folder", async () => {
    const s = open(["start", "test/fixtures/guided/rlt8-tiny.md"]);
    await s.waitFor("Step 1/3: Say hello");
    await s.waitFor("? What now?");
    s.choose(CMD.quit);
    await s.waitFor("Cleaned up: nothing was left behind");
    await s.waitFor("Resume at step 1/3 with: node bin/rootlab.js start test/fixtures/guided/rlt8-tiny.md");
    expect((await s.exited).exitCode).toBe(0);
  });

  it("a block that times out is explained and the learner chooses what next; Ctrl-C during a command cleans up (exit 130)", async () => {
    const s = open(["start", "rlt8-tiny", "--from", "2"]);
    await s.waitFor("Step 2/3: Wait too long");
    await s.waitFor("? What now?");
    s.choose(CMD.run);
    await s.waitFor("did not complete: it did not finish in time");
    await s.waitFor("? The command did not do what this step expects. What now?");
    s.choose(2); // skip this step: rootlab runs it silently, it times out again, and says so
    await s.waitFor("rootlab could not finish this step for you");
    await s.nextStep("Step 3/3: Wait a while");
    await s.waitFor("? What now?");
    s.choose(CMD.run);
    await s.waitFor("running");
    s.send(KEY.ctrlC);
    await s.waitFor("Interrupted (SIGINT): cleaning up");
    // Ctrl-C stops the block in flight at once (well before its 25 s sleep or 60 s timeout).
    await s.waitFor("Cleaned up: nothing was left behind", 15_000);
    // Started with --from 2 and left in step 3: the resume line goes on from there, not from step 1.
    await s.waitFor("Resume at step 3/3 with: node bin/rootlab.js start rlt8-tiny --from 3");
    await s.waitFor("Step 1 is the first you have not done");
    expect((await s.exited).exitCode).toBe(130);
    expect(execFileSync("ps", ["-eo", "args"], { encoding: "utf8" })).not.toMatch(/^sleep 25$/m);
  });
});

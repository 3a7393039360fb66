// The lab's introduction at 80×30: it waits for the learner before step 1 (it used to scroll away under step 1's
// text), a long one a screenful at a time; "Start step 1" begins, Quit (or Ctrl-D) leaves with the resume line.
import { expect, it } from "vitest";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { describeAsRoot } from "../helpers/root.js";
import { ROOT } from "../helpers/cli.js";
import { learnerWithOwnState, KEY, visibleScreen, type Screen } from "./guided-driver.js";

const COLS = 80;
const ROWS = 30;
const learner = learnerWithOwnState("rlt8-intro-", COLS, ROWS);
const hasNspawn = spawnSync("systemd-nspawn", ["--version"]).status === 0;

/** What the terminal shows now, squeezed to single spaces (prose wraps where the width says). */
function shown(s: Screen): string {
  const text = visibleScreen(s.output, COLS, ROWS);
  for (const line of text.split("\n")) expect(line.length, text).toBeLessThanOrEqual(COLS);
  return text.replace(/\s+/g, " ");
}

describeAsRoot("a lab's introduction waits for the learner (80×30)", () => {

  it.skipIf(!existsSync(join(ROOT, "labs/01-chroot.md")))("chroot: the whole introduction on screen, then Start step 1", async () => {
    const s = learner.open(["start", "chroot"]);
    s.readsIntroduction = false;
    await s.waitFor("? When you have read the introduction:", 120_000);
    await s.waitFor("Start step 1/8 (Put a static busybox into an empty root)");
    const screen = shown(s);
    expect(screen).toContain("chroot: a different root directory, and nothing more");
    expect(screen).toContain("Every container starts with a directory that holds the programs it will run.");
    expect(screen).toContain("Everything is built under `$LAB_DIR`");
    expect(s.text).not.toContain("Step 1/8");
    s.send(KEY.enter);
    await s.waitFor("▶ Step 1/8: Put a static busybox into an empty root");
    await s.waitFor("? What now?");
    s.send(KEY.ctrlD);
    await s.waitFor("Cleaned up: nothing was left behind", 120_000);
    expect((await s.exited).exitCode).toBe(0);
  }, 300_000);

  it.skipIf(!existsSync(join(ROOT, "labs/02-nspawn.md")) || !hasNspawn)("nspawn: a long introduction in screenfuls (Read on), then Quit keeps step 1 to resume", async () => {
    const s = learner.open(["start", "nspawn"]);
    s.readsIntroduction = false;
    await s.waitFor("? The introduction goes on:", 120_000);
    let screen = shown(s);
    expect(screen).toContain("Namespaces with systemd-nspawn");
    expect(screen).toContain("In the `chroot` lab a process got a different root directory");
    expect(screen).not.toContain("rootlab's machines may not run systemd");
    s.send(KEY.enter);
    await s.waitFor("? When you have read the introduction:");
    screen = shown(s);
    // The rest, whole, with the first page's last paragraph scrolled away only by the question.
    expect(screen).toMatch(/Note[^]*rootlab.s machines may not run systemd/);
    expect(screen).toContain("The commands you type are the same.");
    expect(s.text).not.toContain("Step 1/6");
    s.send(KEY.ctrlD); // Ctrl-D quits here as at every question
    await s.waitFor("Cleaned up: nothing was left behind", 120_000);
    await s.waitFor("Resume at step 1/6 with:");
    expect((await s.exited).exitCode).toBe(0);
  }, 300_000);

  it.skipIf(!existsSync(join(ROOT, "labs/01-chroot.md")))("Ctrl-C at the introduction ends as everywhere else: cleanup, the resume line, exit 130", async () => {
    const s = learner.open(["start", "chroot"]);
    s.readsIntroduction = false;
    await s.waitFor("? When you have read the introduction:", 120_000);
    s.send(KEY.ctrlC);
    await s.waitFor("Cleaned up: nothing was left behind", 120_000);
    await s.waitFor("Resume at step 1/8 with:");
    expect((await s.exited).exitCode).toBe(130);
  }, 300_000);
});

// A newcomer typing the chroot lab at 80×30 (issue 11), each case on a real PTY with the real CLI and lab:
// - Ctrl-C in a lab already finished (gone through again with --from): it says the lab is finished and what
//   is next, never "resume at step N" pointing back into it.
import { expect, it } from "vitest";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describeAsRoot } from "../helpers/root.js";
import { ROOT } from "../helpers/cli.js";
import { loadLab } from "../../src/format/load.js";
import { KEY, learnerWithOwnState } from "./guided-driver.js";

const COLS = 80;
const ROWS = 30;
const learner = learnerWithOwnState("rlt8-student-", COLS, ROWS);
const CHROOT = join(ROOT, "labs/01-chroot.md");

/** Progress that says every step of LAB_FILE is done, as after finishing it. */
async function finished(labFile: string): Promise<void> {
  const loaded = await loadLab(labFile);
  if (!loaded.ok) throw new Error(`${labFile} does not parse`);
  const at = new Date().toISOString();
  const steps = Object.fromEntries(loaded.lab.steps.map((s) => [s.slug, { done: true, hintsUsed: 0, skipped: false, at }]));
  mkdirSync(join(learner.state, "rootlab"), { recursive: true });
  writeFileSync(join(learner.state, "rootlab/progress.json"), JSON.stringify({ version: 1, labs: { [loaded.lab.meta.id]: { steps, updatedAt: at } } }));
}

describeAsRoot("a newcomer typing the chroot lab (80×30)", () => {
  it.skipIf(!existsSync(CHROOT))("Ctrl-C in a finished lab gone through again: finished, what is next, no resume line", async () => {
    await finished(CHROOT);
    const s = learner.open(["start", "chroot", "--from", "2"]);
    await s.waitFor("Step 2/8", 120_000);
    await s.waitFor("? What now?");
    s.send(KEY.ctrlC);
    await s.waitFor("Cleaned up: nothing was left behind", 120_000);
    const { exitCode } = await s.exited;
    expect(exitCode).toBe(130);
    const end = s.text.slice(s.text.lastIndexOf("Cleaned up"));
    expect(end).toMatch(/You finished "chroot: a different root directory, and nothing more": 8\/8 steps/);
    expect(end).toMatch(/Next on the path is/);
    expect(end).not.toMatch(/Resume at|--from|progress is saved/);
  }, 300_000);
});

// A newcomer typing the chroot lab at 80×30 (issue 11), each case on a real PTY with the real CLI and lab:
// - step 1's commands pasted at once (a bracketed paste, as terminals send it): in "What your commands printed"
//   the pasted lines are commands ("$ …"), not output;
// - `echo $?` typed after the step's `ldd` (meant to fail): rootlab judges ldd's status, not echo's;
// - `check` with nothing typed, at both commands of step 3: a note once, and the checks run at once anyway;
// - Ctrl-C in a lab already finished (gone through again with --from): it says the lab is finished and what
//   is next, never "resume at step N" pointing back into it.
import { expect, it } from "vitest";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describeAsRoot } from "../helpers/root.js";
import { ROOT } from "../helpers/cli.js";
import { loadLab } from "../../src/format/load.js";
import { KEY, learnerWithOwnState, prompts } from "./guided-driver.js";
import { atChrootLddPrompt, atChrootStep1, typedLine } from "./typed-lab.js";

const COLS = 80;
const ROWS = 30;
const learner = learnerWithOwnState("rlt8-student-", COLS, ROWS);
const CHROOT = join(ROOT, "labs/01-chroot.md");
const CMD = { run: 0, type: 1 };
/** The host prompt in any directory (step 3 starts in ~lab/root). */
const HOST_PROMPT = /\(rootlab host\) [^\n]*[#$] /;


/** TEXT as a pattern that allows it to be wrapped at any space (rootlab's notes wrap at words). */
function wrapped(text: string): RegExp {
  return new RegExp(text.split(" ").map((w) => w.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join("\\s+"));
}

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
  it.skipIf(!existsSync(CHROOT))("step 1 pasted at once: the recap shows the pasted lines as commands", async () => {
    const s = await atChrootStep1((args) => learner.open(args));
    s.choose(CMD.type);
    await s.waitFor("(rootlab host) ~lab # ");
    const before = s.count(prompts("host"));
    // As a terminal pastes into bash (bracketed paste): the lines shown at once, run on Enter.
    s.send(`\x1b[200~${['R="$LAB_DIR/root"', 'mkdir -p "$R/bin" "$R/etc" "$R/proc" "$R/tmp"', 'cp /usr/bin/busybox "$R/bin/busybox"', 'file "$R/bin/busybox"'].join("\r")}\x1b[201~`);
    await s.waitFor('file "$R/bin/busybox"');
    s.send("\r");
    await s.until("the prompt after the paste", () => s.count(prompts("host")) > before, 60_000);
    s.send("check\r");
    await s.waitFor("Back in rootlab.");
    await s.waitFor("Command 2/2");
    await s.waitFor("? What now?");
    s.choose(CMD.run);
    await s.waitFor("Step 1 done", 60_000);
    const page = (await s.explanationPages())[0]!;
    const recap = page.slice(page.indexOf("What your commands printed"), page.indexOf("Step 1 done"));
    expect(recap, page).toMatch(/^What your commands printed/);
    expect(recap).toMatch(/\$ cp \/usr\/bin\/busybox "\$R\/bin\/busybox"/);
    expect(recap).toMatch(/\$ file "\$R\/bin\/busybox"/);
    expect(recap).not.toMatch(/^ *(cp \/usr|file "|mkdir -p)/m); // no pasted line shown as output
    expect(recap).toMatch(/statically linked/);
    s.send(KEY.ctrlD);
    await s.waitFor("Cleaned up: nothing was left behind", 120_000);
  }, 300_000);

  it.skipIf(!existsSync(CHROOT))("echo $? after ldd (meant to fail): ldd's exit status is judged, as expected", async () => {
    const s = await atChrootLddPrompt((args) => learner.open(args));
    await typedLine(s, 'ldd "$R/bin/busybox"');
    await typedLine(s, "echo $?");
    s.send("check\r");
    await s.waitFor("Back in rootlab.");
    await s.waitFor(/✓ Exit status 1 \(general failure\)/);
    await s.waitFor("Step 1 done");
    expect(s.text).not.toMatch(/Your last command|exit status 0|instead of/);
    await s.waitFor(/\? (The explanation goes on|When you are ready):/);
    s.send(KEY.ctrlD);
    await s.waitFor("Cleaned up: nothing was left behind", 120_000);
  }, 300_000);

  it.skipIf(!existsSync(CHROOT))("check with nothing typed: a note once a step, and the checks run at once", async () => {
    const s = learner.open(["start", "chroot", "--from", "3"]);
    await s.waitFor("Step 3/8", 120_000);
    await s.waitFor("Command 1/2");
    await s.waitFor("? What now?");
    s.choose(CMD.type);
    await s.waitFor(HOST_PROMPT);
    s.send("check\r");
    await s.waitFor("Back in rootlab.");
    await s.waitFor(wrapped('! You gave the shell back without running the command: rootlab did not see `rm -f "$R"/bin/*` (and 4 more of its lines). The step goes on anyway; its checks will say what is missing'));
    await s.waitFor("Command 2/2");
    await s.waitFor("? What now?");
    s.choose(CMD.type);
    await s.waitFor(HOST_PROMPT);
    s.send("check\r");
    await s.waitFor("Back in rootlab.");
    await s.waitFor("Checking your work:");
    await s.waitFor("✗ bin/sh is an absolute link that leads out of the root", 60_000);
    expect(s.count(/did not see/g)).toBe(1);
    expect(s.text).not.toMatch(/Your last command/);
    await s.waitFor("? What now?");
    s.send(KEY.ctrlD);
    await s.waitFor("Cleaned up: nothing was left behind", 120_000);
  }, 300_000);

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

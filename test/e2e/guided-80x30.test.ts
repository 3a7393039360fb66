// A new user's leftovers at 80×30, each typed by a driver on a real PTY with the real CLI and labs:
// - nspawn step 1: what changed on the machine is folded to a few lines and comes after the explanation, so the
//   output the explanation talks about stays on the screen with it; "See all changes" shows every change;
// - chroot step 1, typed: the host prompt is short (~lab), a notice in the typed shell wraps at words, and
//   `ldd` (meant to fail with exit status 1) typed by the learner is "as expected", not an error.
import { expect, it } from "vitest";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describeAsRoot } from "../helpers/root.js";
import { ROOT } from "../helpers/cli.js";
import { spawnSync } from "node:child_process";
import { laterExplanationPages, learnerWithOwnState, KEY, Screen, visibleScreen } from "./guided-driver.js";
import { changeLinesFor } from "../../src/guided/machine-changes.js";

const CMD = { run: 0, type: 1 };
const hasNspawn = spawnSync("systemd-nspawn", ["--version"]).status === 0;
const COLS = 80;
const ROWS = 30;
const learner = learnerWithOwnState("rlt8-80x30-", COLS, ROWS);

function open(args: string[]): Screen {
  return learner.open(args);
}

/** What the terminal shows now; no line wider than it. */
function shown(s: Screen): string {
  const text = visibleScreen(s.output, COLS, ROWS);
  for (const line of text.split("\n")) expect(line.length, text).toBeLessThanOrEqual(COLS);
  return text;
}

describeAsRoot("guided mode at 80×30: leftovers of the new-user trial", () => {

  it.skipIf(!existsSync(join(ROOT, "labs/02-nspawn.md")) || !hasNspawn)("nspawn step 1: the changes are folded and come last; the output stays with the explanation", async () => {
    const s = open(["start", "nspawn"]);
    await s.waitFor("Step 1/6", 120_000);
    for (const n of [1, 2, 3]) {
      await s.waitFor(`Command ${n}/3`);
      await s.waitFor("? What now?");
      s.choose(CMD.run);
    }
    await s.waitFor("Step 1 done", 120_000);
    const pages = await s.explanationPages();
    // The first screen of the explanation: the PIDs it talks about are on it (printed, or shown again above it).
    let text = pages[0]!;
    expect(text).toMatch(/my PID is 1/);
    expect(text).toMatch(/NSpid:\s+\d+\s+1/);
    expect(text).toContain("created a new PID namespace");
    expect(text).not.toContain("What changed on the machine");
    // Each later page has them in view again.
    for (const page of laterExplanationPages(pages)) {
      expect(page, page).toMatch(/my PID is 1/);
      expect(page, page).toMatch(/NSpid:\s+\d+\s+1/);
    }
    text = shown(s);
    // Folded: one line for the session's namespaces, one for its dozens of mounts, no duplicates, sentences.
    const list = text.slice(text.indexOf("What changed on the machine:"), text.indexOf("? When you are ready:")).trim().split("\n");
    expect(list.length, text).toBeGreaterThan(2);
    expect(list.length, text).toBeLessThanOrEqual(1 + changeLinesFor(ROWS) + 2); // + wrapped lines
    expect(text).toMatch(/Session c1: in its own mount, pid, uts, cgroup and ipc\s+namespaces/);
    expect(text).toMatch(/In c1's mount namespace: \d+ new mounts/);
    expect(text).not.toMatch(/\/sys\/fs\/cgroup\/\w+ is now shared/);
    // The explanation's last paragraph comes before the list (on its page, or the one before it).
    const all = pages.join("\n");
    expect(all.indexOf("Being PID 1 has a side effect"), all).toBeGreaterThan(0);
    expect(all.indexOf("Being PID 1 has a side effect")).toBeLessThan(all.lastIndexOf("What changed on the machine:"));
    // Every change, in a pager.
    const choices = text.slice(text.lastIndexOf("? When you are ready:")).split("\n").slice(1);
    const seeAll = choices.findIndex((l) => l.includes("See all changes"));
    expect(seeAll, text).toBeGreaterThan(0);
    s.choose(seeAll);
    await s.waitFor("What step 1 changed on the machine:");
    await s.waitFor("/sys/fs/cgroup");
    s.send("q");
    await s.waitFor("? When you are ready:");
    s.send(KEY.ctrlD);
    await s.waitFor("Cleaned up: nothing was left behind", 120_000);
  }, 300_000);

  it.skipIf(!existsSync(join(ROOT, "labs/01-chroot.md")))("chroot step 1 typed: a short prompt, a wrapped notice, and ldd's exit status 1 as expected", async () => {
    const s = open(["start", "chroot"]);
    await s.waitFor("Step 1/8", 120_000);
    await s.waitFor("? What now?");
    s.choose(CMD.run);
    await s.waitFor("Command 2/2");
    await s.waitFor("? What now?");
    s.choose(CMD.type);
    // The prompt names the session and shows the lab's folder as ~lab (not /var/tmp/rootlab/chroot-XXXXXX).
    await s.waitFor("(rootlab host) ~lab # ");
    // Ctrl-] while a program runs goes to it; rootlab's notice says so, wrapped at words to the terminal.
    s.send("sh -c 'echo READY; exec cat'\r");
    await s.waitFor("READY");
    s.send("\x1d");
    await s.waitFor(/Then type\s+check\./);
    const notice = shown(s).split("\n").filter((l) => l.startsWith("[rootlab]") || /^ {10}\S/.test(l));
    expect(notice.length).toBeGreaterThan(1);
    expect(notice.join(" ").replace(/\s+/g, " ")).toContain(
      "[rootlab] cat (PID",
    );
    expect(notice.join(" ").replace(/\s+/g, " ")).toMatch(/is running, so Ctrl-\] goes to it: rootlab takes the shell back with Ctrl-\] only at the lab shell's prompt/);
    s.send(`\r${KEY.ctrlD}`); // cat echoes the line with the key, then ends
    await s.waitFor("(rootlab host) ~lab # ");
    s.send('ldd "$R/bin/busybox"\r');
    await s.waitFor("not a dynamic executable");
    await s.waitFor("(rootlab host) ~lab # ");
    s.send("check\r");
    await s.waitFor("Back in rootlab.");
    // Typed by the learner, it failed the way the lab expects: said as when rootlab runs it.
    await s.waitFor(/✓ Exit status 1 \(general failure\) and the output the step expects: this\s+command\s+is\s+meant\s+to\s+fail\./);
    await s.waitFor("✓ bin/busybox is a real, statically linked program");
    await s.waitFor("Step 1 done");
    expect(s.text).not.toContain("The command failed");
    await s.waitFor(/\? (The explanation goes on|When you are ready):/);
    s.send(KEY.ctrlD);
    await s.waitFor("Cleaned up: nothing was left behind", 120_000);
  }, 300_000);
});

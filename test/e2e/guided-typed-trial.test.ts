// A new user's trial of the typed shell at 80×30 (chroot lab), each case typed by a driver on a real PTY with the
// real CLI and lab:
// - a command meant to fail that fails for another reason (a typo: `ldd` of a file that is not there) gets its
//   expected exit status but not "as expected": rootlab says what it printed instead of what the step expects;
// - "What your commands printed" beside the explanation after a typo, a program stopped with Ctrl-C and Ctrl-]
//   pressed while it ran: the last run of each command (not the failed attempt), never rootlab's notes or `^C`.
import { expect, it } from "vitest";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describeAsRoot } from "../helpers/root.js";
import { ROOT } from "../helpers/cli.js";
import { KEY, learnerWithOwnState, prompts } from "./guided-driver.js";
import { atChrootLddPrompt, atChrootStep1, typedLine } from "./typed-lab.js";

const CMD = { run: 0, type: 1 };
const COLS = 80;
const ROWS = 30;
const learner = learnerWithOwnState("rlt8-trial-", COLS, ROWS);
const CHROOT = join(ROOT, "labs/01-chroot.md");
const PROMPT = "(rootlab host) ~lab # ";


describeAsRoot("the typed shell as a new user met it (chroot lab, 80×30)", () => {
  it.skipIf(!existsSync(CHROOT))("the recap shows the last run of each command: not the typo's errors, rootlab's notes or ^C", async () => {
    const s = await atChrootStep1((args) => learner.open(args));
    s.choose(CMD.type);
    await s.waitFor(PROMPT);
    await typedLine(s, 'R="$LAB_DIR/root"');
    await typedLine(s, 'mkdir -p "$R/bin" "$R/sbin" "$R/usr/bin" "$R/usr/sbin" "$R/etc" "$R/proc" "$R/dev" "$R/tmp"');
    await typedLine(s, 'cp /usr/bin/busybx "$R/bin/busybox"'); // the typo
    await typedLine(s, 'file "$R/bin/busybox"'); // cannot open … (No such file or directory)
    s.send("sh -c 'echo READY; exec sleep 60'\r");
    await s.waitFor("READY");
    s.send("\x1d"); // goes to sleep; rootlab's note
    await s.waitFor(/Then type\s+check\./);
    const before = s.count(prompts("host"));
    s.send(KEY.ctrlC);
    await s.until("the prompt after Ctrl-C", () => s.count(prompts("host")) > before);
    await typedLine(s, 'cp /usr/bin/busybox "$R/bin/busybox"');
    await typedLine(s, 'file "$R/bin/busybox"');
    s.send("check\r");
    await s.waitFor("Back in rootlab.");
    await s.waitFor("Command 2/2");
    await s.waitFor("? What now?");
    s.choose(CMD.run);
    await s.waitFor("Step 1 done", 60_000);
    const pages = await s.explanationPages();
    const page = pages[0]!;
    const recap = page.slice(page.indexOf("What your commands printed"), page.indexOf("Step 1 done"));
    expect(recap, page).toMatch(/^What your commands printed/);
    expect(recap).toMatch(/statically linked/);
    expect(recap).toMatch(/not a dynamic executable/);
    expect(recap).not.toMatch(/cannot open|busybx|cannot stat/); // the failed attempt
    expect(recap).not.toMatch(/\[rootlab\]|Ctrl-\]|\^C/); // rootlab's note and the terminal's echo of Ctrl-C
    s.send(KEY.ctrlD);
    await s.waitFor("Cleaned up: nothing was left behind", 120_000);
  }, 300_000);


  it.skipIf(!existsSync(CHROOT))("ldd meant to fail, typed with a typo: exit status 1, but not as expected — what it printed instead", async () => {
    const s = await atChrootLddPrompt((args) => learner.open(args));
    s.send('ldd "$R/bin/busybx"\r');
    await s.waitFor("No such file or directory");
    await s.waitFor(PROMPT);
    s.send("check\r");
    await s.waitFor("Back in rootlab.");
    await s.waitFor(/! Exit status 1 as expected, but it printed "ldd:\s+\S+\/root\/bin\/busybx: No such file or directory"\s+instead\s+of\s+"not a dynamic executable": it failed for another reason\./);
    await s.waitFor("Step 1 done");
    expect(s.text).not.toMatch(/✓ Exit status 1/);
    await s.waitFor(/\? (The explanation goes on|When you are ready):/);
    s.send(KEY.ctrlD);
    await s.waitFor("Cleaned up: nothing was left behind", 120_000);
  }, 300_000);
});

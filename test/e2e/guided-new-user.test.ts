// What a new user met in guided mode, on a real PTY at 80×30 with the real CLI (fixture lab
// test/fixtures/guided/g9/trial.md): "Read on (1 more line)"; a check failed after a command typed wrong, its hint
// shown, then the command typed again at the checks — the recap shows the attempt that passed, a long line typed
// where the line editor scrolls sideways (no terminfo) as the command typed, and the end counts the hint shown;
// Ctrl-] pressed inside `less`, whose note must still be read when less ends.
import { join } from "node:path";
import { expect, it } from "vitest";
import { describeAsRoot } from "../helpers/root.js";
import { ROOT } from "../helpers/cli.js";
import { KEY, learnerWithOwnState, prompts, type Screen } from "./guided-driver.js";

const learner = learnerWithOwnState("g9-new-user-", 80, 30);
const LAB = join(ROOT, "test/fixtures/guided/g9/trial.md");
const CMD = { run: 0, type: 1 };
const AT_CHECKS = { type: 1 };

/** Types LINE in the host session's own shell and waits for its prompt again. */
async function typed(s: Screen, line: string): Promise<void> {
  const before = s.count(prompts("host"));
  s.send(`${line}\r`);
  await s.until(`the prompt after ${line}`, () => s.count(prompts("host")) > before, 30_000);
}

/** The recap on an explanation's first page: from its heading to the step's "done" line. */
function recapOf(page: string): string {
  const from = page.indexOf("What your commands printed");
  expect(from, page).toBeGreaterThanOrEqual(0);
  return page.slice(from, page.search(/✓ Step \d+ done/));
}

describeAsRoot("what a new user met in guided mode (80×30)", () => {
  it("no Read on for one line; the retry typed at the checks is the recap's, the long line as typed; the hint shown is counted", async () => {
    const s = learner.open(["start", LAB]);
    await s.waitFor("Command");
    await s.waitFor("? What now?");
    s.choose(CMD.run);
    await s.waitFor("Step 1 done", 60_000);
    const pages = await s.explanationPages();
    // Forty lines of output and a paragraph and a line of text: one page, no "Read on (1 more line)".
    expect(pages, pages.join("\n=====\n")).toHaveLength(1);
    expect(pages[0]).toContain("That is all.");
    expect(s.text).not.toMatch(/Read on|The explanation goes on/);
    s.send(KEY.enter);

    // Step 2: command 1 typed wrong (its error on screen), command 2 run, the check fails and shows the hint.
    await s.waitFor("Command 1/2");
    await s.waitFor("? What now?");
    s.choose(CMD.type);
    await s.waitFor("(rootlab host) ");
    await typed(s, 'cp /etc/hostnme "$LAB_DIR/g9-copy" && echo copied');
    s.send("check\r");
    await s.waitFor("Command 2/2", 60_000);
    await s.waitFor("? What now?");
    s.choose(CMD.run);
    await s.waitFor("✗ the copy is in the lab's folder", 60_000);
    await s.waitFor("Hint 1");
    await s.waitFor("? What now?");
    s.choose(AT_CHECKS.type);
    await s.waitFor("(rootlab host) ");
    // No description of the terminal where bash looks (as in a busybox root after pivot_root): its line editor
    // then shows a line wider than the screen a window at a time, not wrapped.
    await typed(s, "TERM=g9-no-terminfo");
    // Wider than the terminal with the prompt: the line editor shows its end only, "<" at its start.
    const long = 'cp /etc/hostname "$LAB_DIR/g9-copy" && echo copied the hostname file, the right one this time';
    await typed(s, long);
    expect(s.text).toMatch(/<[^\n]*the right one this time/);
    s.send("check\r");
    await s.waitFor("✓ the copy is in the lab's folder", 60_000);
    await s.waitFor("Step 2 done", 60_000);
    const recap = recapOf((await s.explanationPages())[0]!);
    // The attempt that passed, as typed; not the failed one's error, nor the scrolled row.
    expect(recap).toContain("Command 1/2 printed:");
    expect(recap).toMatch(/\$ cp \/etc\/hostname /);
    expect(recap).toContain("copied the hostname file");
    expect(recap).not.toMatch(/hostnme|cannot stat/);
    expect(recap).not.toMatch(/^\s*</m);
    s.send(KEY.ctrlD);
    await s.waitFor("Cleaned up: nothing was left behind", 120_000);
    // The hint was shown at the failed check, not asked for: said so, not "0 hints used".
    await s.waitFor(/0 hints\s+asked\s+for,\s+1\s+shown\s+after\s+a\s+failure/, 60_000);
  }, 600_000);

  it("Ctrl-] inside less: rootlab's note is drawn over it and said again when less ends", async () => {
    const s = learner.open(["start", LAB, "--from", "3"]);
    await s.waitFor("? What now?");
    s.choose(CMD.type);
    await s.waitFor("(rootlab host) ");
    s.send("less /etc/services\r");
    // less's other screen (its first lines of /etc/services).
    await s.until("less on its screen", () => s.output.includes("\x1b[?1049h"), 30_000);
    s.send("\x1d");
    await s.waitFor(/\[rootlab\] less \(PID \d+\) is running/);
    s.send("q");
    // Said again on the shell's screen, after less left its own.
    await s.waitFor(/\[rootlab\] less \(PID \d+\) is running/);
    const after = s.output.slice(s.output.lastIndexOf("\x1b[?1049l"));
    expect(after).toMatch(/less \(PID \d+\) is running/);
    await typed(s, "true");
    s.send("check\r");
    // The lab's last step: the lab ends there.
    await s.waitFor("Step 3 done", 60_000);
    await s.waitFor("Cleaned up: nothing was left behind", 120_000);
  }, 300_000);
});

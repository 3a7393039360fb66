// A `background` block in guided mode at 80×30, on a real PTY with the real CLI (fixture lab
// test/fixtures/guided/rlt23: a busybox httpd on 127.0.0.1:8391). A new-user trial typed labs/13's servers at
// the host's prompt: the shell became the server and Ctrl-C ended the session. Now such a block is not offered
// for typing; rootlab starts it, says it runs in the background until the lab ends, and names its log, which the
// learner then reads in their own shell.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { expect, it } from "vitest";
import { describeAsRoot } from "../helpers/root.js";
import { ROOT } from "../helpers/cli.js";
import { KEY, learnerWithOwnState, prompts } from "./guided-driver.js";

const learner = learnerWithOwnState("rlt23-guided-", 80, 30);
const LAB = join(ROOT, "test/fixtures/guided/rlt23/background.md");

/** TEXT as a pattern that allows it to be wrapped at any space (rootlab's notes wrap at words). */
function wrapped(text: string): RegExp {
  return new RegExp(text.split(" ").map((w) => w.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join("\\s+"));
}

function httpdRunning(): boolean {
  try {
    execFileSync("pgrep", ["-f", "httpd -f -v -p 127.0.0.1:8391"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describeAsRoot("a background block in guided mode (80×30)", () => {
  it("is started by rootlab, not typed; its log is named and readable from the learner's shell", async () => {
    const s = learner.open(["start", LAB]);
    await s.waitFor("Command 1/3");
    await s.waitFor("? What now?");
    s.choose(0); // Run it for me
    await s.waitFor("Command 2/3 (on the host; it starts in the background)");
    await s.waitFor(wrapped("so rootlab starts it in the background, beside the host's shell"));
    await s.waitFor("? What now?");
    const menu = await s.waitFor(/▸ Run it for me \(in the background, until the lab ends\)[^]*?Quit/);
    expect(menu).not.toMatch(/I'll type it myself/);
    expect(menu).toMatch(/Show a hint[^]*Skip this step/);
    s.send(KEY.enter);
    await s.waitFor(wrapped("Started in the background: it keeps running while you go on, and rootlab stops it when the lab ends."));
    await s.waitFor("What it prints goes to a file; to see it:");
    const log = (await s.waitFor(/cat "\$LAB_DIR\/\.rootlab\/bg-\d+\.log"/)).slice(4);
    expect(httpdRunning()).toBe(true);
    // Command 3 typed: the page, then the server's log as rootlab named it, in the learner's own shell.
    await s.waitFor("Command 3/3");
    await s.waitFor("? What now?");
    s.choose(1); // I'll type it myself
    await s.waitFor("(rootlab host) ");
    for (const line of ["curl -fsS --retry 20 --retry-connrefused http://127.0.0.1:8391/", `cat ${log}`]) {
      const before = s.count(prompts("host"));
      s.send(`${line}\r`);
      await s.until(`the prompt after ${line}`, () => s.count(prompts("host")) > before, 60_000);
    }
    expect(s.text).toMatch(/^hello from rlt23$/m);
    expect(s.text).toMatch(/127\.0\.0\.1:\d+: response:200/); // busybox httpd -v's line for the request
    s.send("check\r");
    await s.waitFor("✓ the server answers with the page");
    await s.waitFor("Step 1 done");
    // The lab's only step: the lab ends there, and rootlab stops the server.
    await s.waitFor("Cleaned up: nothing was left behind", 120_000);
    expect((await s.exited).exitCode).toBe(0);
    expect(httpdRunning()).toBe(false);
  }, 300_000);
});

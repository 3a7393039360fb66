// "I'll type it myself" for a block that opens a session (enter=box): the learner types a command, looks around in
// the shell it opened, leaves it, then gives rootlab's shell back. rootlab opens the session itself with the lab's
// command, and now says which: "with the command you typed", or — typed without the lab's `--uts` (a new-user
// trial left `--private-network` out of nspawn's) — the lab's command and what theirs lacked. Before, it said
// "with the same command" either way.
import { expect, it } from "vitest";
import { join } from "node:path";
import { describeAsRoot } from "../helpers/root.js";
import { ROOT } from "../helpers/cli.js";
import { learnerWithOwnState, prompts, type Screen } from "./guided-driver.js";

const LABS = join(ROOT, "test/fixtures/guided-enter");
const TYPE_IT = 1;
const learner = learnerWithOwnState("rlt22-enter-", 100, 40);
const lastLine = (s: Screen) => s.text.slice(s.text.lastIndexOf("\n") + 1);
/** At the prompt of the shell the learner opened (not rootlab's "(rootlab host)" one). */
const atOwnPrompt = (s: Screen) => /[#$] $/.test(s.text) && !lastLine(s).includes("(rootlab ");

/** Types TYPED as the session-opening command, looks around in its shell, leaves it and gives the shell back. */
async function typeOpener(s: Screen, typed: string): Promise<void> {
  await s.waitFor("Step 1/1: Name the box");
  await s.waitFor("? What now?");
  s.choose(TYPE_IT);
  await s.until("rootlab's host shell", () => s.count(prompts("host")) > 0 && /[#$] $/.test(s.text), 60_000);
  s.send(`${typed}\r`);
  await s.until("the learner's own shell", () => atOwnPrompt(s), 60_000);
  s.send("echo inside-$((6*7))\r");
  await s.waitFor("inside-42");
  await s.until("its prompt again", () => atOwnPrompt(s), 30_000);
  const ours = s.count(prompts("host"));
  s.send("exit\r");
  await s.until("back in rootlab's shell", () => s.count(prompts("host")) > ours && /[#$] $/.test(s.text), 60_000);
  s.send("check\r");
}

describeAsRoot("guided mode: a session-opening command typed by the learner", () => {
  it("typed as the lab has it: rootlab says it opened the session with the command they typed", async () => {
    const s = learner.open(["start", "rlt22-enter"], { ROOTLAB_LABS: LABS });
    await typeOpener(s, "unshare --uts bash --norc");
    await s.waitFor('rootlab opened session "box" with the command you typed.', 60_000);
    expect(s.text).not.toContain("not yours");
  });

  it("typed without --uts: rootlab names the lab's command and what theirs lacked, and the step goes on in the lab's session", async () => {
    const s = learner.open(["start", "rlt22-enter"], { ROOTLAB_LABS: LABS });
    await typeOpener(s, "unshare bash --norc");
    const said = await s.waitFor(/rootlab opened session "box" with the lab's command, not yours:[\s\S]*?rootlab's session/, 60_000);
    const flat = said.replace(/\s+/g, " ");
    expect(flat).toContain("`unshare --uts bash --norc`");
    expect(flat).toContain("Yours (`unshare bash --norc`) lacked `--uts`.");
    expect(s.text).not.toContain("with the same command");
    // The next command runs in rootlab's session, the lab's: its own UTS namespace, so the check passes.
    await s.waitFor("hostname rlt22-box");
    await s.waitFor("? What now?");
    s.choose(0);
    await s.waitFor("✓ the box is called rlt22-box, the host is not", 60_000);
  });
});

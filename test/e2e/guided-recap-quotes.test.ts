// What the explanation talks about is on the screen with it, at 80×30, on a real PTY with the real CLI and labs
// (a new-user trial: the recap of step 2 of user-namespaces and of capabilities left out output lines that the
// step's explanation quotes). Each step is run for the learner ("Run it for me" at every command), from --from 2.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { describeAsRoot } from "../helpers/root.js";
import { ROOT } from "../helpers/cli.js";
import { KEY, learnerWithOwnState, type Screen } from "./guided-driver.js";

const learner = learnerWithOwnState("rlt8-recap-", 80, 30);

/** Runs every command of the step now on screen for the learner, up to its explanation's pages. */
async function runStep(s: Screen, step: number, commands: number): Promise<string[]> {
  for (let i = 0; i < commands; i++) {
    await s.waitFor(`Command ${i + 1}/${commands}`, 180_000);
    await s.waitFor("? What now?");
    s.send(KEY.enter);
  }
  await s.waitFor(`Step ${step} done`, 120_000);
  return s.explanationPages();
}

/** The recap on PAGE: from its heading to the step's "done" line. */
function recapOf(page: string): string {
  const from = page.indexOf("What your commands printed");
  expect(from, page).toBeGreaterThanOrEqual(0);
  return page.slice(from, page.search(/✓ Step \d+ done/));
}

describeAsRoot("the recap beside the explanation shows the lines it quotes (80×30)", () => {
  it.skipIf(!existsSync(join(ROOT, "labs/12-user-namespaces.md")))("user-namespaces step 2: CapEff, /etc/shadow", async () => {
    const s = learner.open(["start", "user-namespaces", "--from", "2"]);
    const pages = await runStep(s, 2, 6);
    const recap = recapOf(pages[0]!);
    // The explanation: `CapEff: 000001ffffffffff` (the u shell's), `/etc/shadow` (EACCES). Its one paragraph
    // leaves the recap 10 to 12 rows here, as the lab's text grows: not every line it quotes fits beside it.
    expect(recap, pages[0]).toMatch(/Command 2\/6 printed[^]*CapEff: +[0-9a-f]{16}[^]*Command 3\/6/);
    expect(recap).toMatch(/cat: \/etc\/shadow: Permission denied/);
    // Not every quoted line fits: the heading says how many did not, and the markers where they are.
    const left = Number(/What your commands printed \((\d+) lines? the explanation quotes did not fit\):/.exec(recap)?.[1]);
    expect(left, recap).toBeGreaterThan(0);
    const marked = [...recap.matchAll(/, (\d+) quoted\)/g)].reduce((n, m) => n + Number(m[1]), 0);
    expect(marked, recap).toBeGreaterThan(0);
    expect(marked).toBeLessThanOrEqual(left);
    s.send(KEY.ctrlD);
    await s.waitFor("Cleaned up: nothing was left behind", 120_000);
  }, 600_000);

  it.skipIf(!existsSync(join(ROOT, "labs/11-capabilities.md")))("capabilities step 2: the box's CapEff and the host's, side by side", async () => {
    const s = learner.open(["start", "capabilities", "--from", "2"]);
    const pages = await runStep(s, 2, 3);
    const recap = recapOf(pages[0]!);
    // "The box's is the same number as the host shell's": the box's CapEff, the host's own and the box's seen from it.
    expect(recap.match(/^ +CapEff: +[0-9a-f]{16}$/gm) ?? [], pages[0]).toHaveLength(3);
    s.send(KEY.ctrlD);
    await s.waitFor("Cleaned up: nothing was left behind", 120_000);
  }, 600_000);
});

// The real chroot lab, completed the way a student would: every command TYPED in "I'll type it myself"
// (a shell in the step's session, left with Ctrl-D), then the step's checks. With ROOTLAB_TRANSCRIPTS=DIR
// the screen is saved as DIR/chroot-typed.txt (docs/transcripts/ holds the one in the repository).
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeAsRoot } from "../helpers/root.js";
import { ROOT } from "../helpers/cli.js";
import { loadLab } from "../../src/format/load.js";
import { KEY, prompts, renderTranscript, Screen, typeBlock } from "./guided-driver.js";

const LAB_FILE = join(ROOT, "labs/01-chroot.md");
const TYPE_IT = 1;
let state: string;
let screen: Screen | undefined;


describeAsRoot("the chroot lab, typed by hand in guided mode", () => {
  beforeAll(async () => {
    state = await mkdtemp(join(tmpdir(), "rlt8-chroot-"));
  });
  afterEach(async () => {
    await screen?.stop();
  });
  afterAll(async () => {
    await rm(state, { recursive: true, force: true });
  });

  it.skipIf(!existsSync(LAB_FILE))("every step passes its checks with commands the learner typed", async () => {
    const parsed = await loadLab(LAB_FILE);
    if (!parsed.ok) throw new Error(`labs/01-chroot.md does not parse: ${JSON.stringify(parsed.diagnostics)}`);
    const lab = parsed.lab;
    // Plain `rootlab`, as a newcomer would start: the menu lists the labs in file order, chroot first.
    const s = (screen = new Screen([], { ROOTLAB_DISPOSABLE: "1", XDG_STATE_HOME: state, HOME: state }, 160));
    await s.waitFor("? Which lab?");
    await s.waitFor(`· ${lab.title}`);
    s.send(KEY.enter);
    for (const step of lab.steps) {
      await s.waitFor(`Step ${step.index + 1}/${lab.steps.length}: ${step.title}`, 120_000);
      const commands = step.blocks.filter((b) => b.role === "command");
      if (step.blocks.length === 0) {
        await s.waitFor("? When you have read it:");
        s.send(KEY.enter);
      }
      for (const block of commands) {
        await s.waitFor("? What now?");
        s.choose(TYPE_IT);
        await s.until(`the ${block.session} prompt`, () => s.count(prompts(block.session)) > 0 && s.text.trimEnd().endsWith(block.session === "host" ? "#" : "$"));
        if (block.enter) {
          // The learner's own chroot shell: look around in it, leave it, then leave rootlab's shell.
          s.send(`${block.code}\r`);
          await s.waitFor("/ # ");
          s.send("ls /\r");
          await s.waitFor("/ # ");
          s.send(KEY.ctrlD);
          await s.until("back in the host shell", () => s.text.trimEnd().endsWith("#") && s.text.trimEnd().includes("(rootlab host)"));
          s.send("check\r");
          await s.waitFor(`rootlab opened session "${block.enter}"`, 60_000);
          continue;
        }
        await typeBlock(s, block);
        s.send("check\r");
        await s.waitFor("Back in rootlab.");
      }
      await s.waitFor(`Step ${step.index + 1} done: ${step.title}`, 120_000);
      if (step.index < lab.steps.length - 1) {
        await s.throughExplanation(60_000);
      }
    }
    // Step 6's lesson: the box shell the learner typed into and the host's view of it are one process, one PID.
    const inBox = /this shell is PID (\d+)/.exec(s.text)?.[1];
    const fromHost = /the host sees the box shell as PID (\d+)/.exec(s.text)?.[1];
    expect(inBox).toBeDefined();
    expect(inBox).toBe(fromHost);
    await s.waitFor("Cleaned up: nothing was left behind", 120_000);
    await s.waitFor(`You finished "${lab.title}": ${lab.steps.length}/${lab.steps.length} steps, 0 hints used`);
    // Started from the menu: the menu comes back with the lab marked done; Esc quits.
    await s.waitFor("? Which lab?");
    await s.waitFor(`✓ ${lab.title}`);
    s.send(KEY.esc);
    await s.exited;
    expect(s.text).not.toMatch(/✗/);
    if (process.env.ROOTLAB_TRANSCRIPTS) await writeFile(join(process.env.ROOTLAB_TRANSCRIPTS, "chroot-typed.txt"), `$ sudo rootlab\n${renderTranscript(s.output, s.cols)}`);
  }, 600_000);
});

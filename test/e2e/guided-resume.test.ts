// A real lab (labs/03-netns-veth.md), quit halfway and resumed: the cleanup on quit removes the lab's
// namespace and veth pair; starting again re-creates them silently, so step 3's pings work at once.
// With ROOTLAB_TRANSCRIPTS=DIR both sessions are saved as DIR/netns-veth-quit-resume.txt.
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeAsRoot } from "../helpers/root.js";
import { ROOT } from "../helpers/cli.js";
import { renderTranscript, Screen } from "./guided-driver.js";

const LAB_FILE = join(ROOT, "labs/03-netns-veth.md");
const CMD = { run: 0, quit: 4 };
const COLS = 110;
let state: string;
let screen: Screen | undefined;

const labResources = () => execFileSync("ip", ["-o", "link"], { encoding: "utf8" }).includes("rlv-h1") || execFileSync("ip", ["netns", "list"], { encoding: "utf8" }).includes("rlv-ns1");

function open(): Screen {
  screen = new Screen(["start", "netns-veth"], { ROOTLAB_DISPOSABLE: "1", XDG_STATE_HOME: state, HOME: state }, COLS);
  return screen;
}

/** Runs every command of the current step with "Run it for me", until its checks pass. */
async function runStep(s: Screen, n: number, commands: number): Promise<void> {
  for (let i = 0; i < commands; i++) {
    await s.waitFor("? What now?");
    s.choose(CMD.run);
  }
  await s.waitFor(`Step ${n} done`, 60_000);
}

describeAsRoot("quit halfway through a real lab, resume later", () => {
  beforeAll(async () => {
    state = await mkdtemp(join(tmpdir(), "rlt8-resume-"));
  });
  afterEach(async () => {
    await screen?.stop();
  });
  afterAll(async () => {
    await rm(state, { recursive: true, force: true });
  });

  it.skipIf(!existsSync(LAB_FILE))("quit in step 3 cleans up; start again re-creates steps 1–2 and step 3 passes", async () => {
    const first = open();
    await first.waitFor("Step 1/", 60_000);
    await runStep(first, 1, 2);
    await first.nextStep("Step 2/");
    await runStep(first, 2, 4);
    expect(labResources()).toBe(true);
    await first.nextStep("Step 3/");
    await first.waitFor("? What now?");
    first.choose(CMD.quit);
    await first.waitFor("Cleaned up: nothing was left behind", 60_000);
    await first.waitFor("Resume at step 3/");
    await first.exited;
    expect(labResources()).toBe(false);
    const saved = JSON.parse(await readFile(join(state, "rootlab", "progress.json"), "utf8")) as { labs: Record<string, { steps: Record<string, { done: boolean }> }> };
    expect(Object.values(saved.labs["netns-veth"]!.steps).map((st) => st.done)).toEqual([true, true, false]);

    const second = open();
    await second.waitFor("Welcome back: resuming at step 3/", 60_000);
    await second.waitFor("Re-creating the state of steps 1–2");
    await second.waitFor("Step 3/");
    await runStep(second, 3, 2);
    await second.nextStep("Step 4/");
    await second.waitFor("? What now?");
    second.choose(CMD.quit);
    await second.waitFor("Cleaned up: nothing was left behind", 60_000);
    await second.exited;
    expect(labResources()).toBe(false);
    expect(second.text).not.toMatch(/✗/);

    if (process.env.ROOTLAB_TRANSCRIPTS) {
      const session = (s: Screen) => `$ sudo rootlab start netns-veth\n${renderTranscript(s.output, COLS)}`;
      await writeFile(join(process.env.ROOTLAB_TRANSCRIPTS, "netns-veth-quit-resume.txt"), `${session(first)}\n(later)\n\n${session(second)}`);
    }
  }, 300_000);
});

// The capabilities lab, completed the way a student would: `rootlab start capabilities`, every command TYPED in
// "I'll type it myself" (the step's session's own shell, given back with `check`), then the step's checks. The lab's
// sessions differ from each other by more than namespaces — a reduced bounding set (jail), another uid with an
// ambient capability (user), no_new_privs (nnp), a seccomp filter (nsp), a cgroup (box) — so the typed shell
// must run with the session's own credentials for the attacks to fail as the lab says and its checks to pass.
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { mkdtemp, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeAsRoot } from "../helpers/root.js";
import { ROOT } from "../helpers/cli.js";
import { loadLab } from "../../src/format/load.js";
import { KEY, prompts, Screen, typeBlock } from "./guided-driver.js";

const LAB_FILE = join(ROOT, "labs/11-capabilities.md");
const TYPE_IT = 1;
let state: string;
let screen: Screen | undefined;

/** Any shell prompt at the end of the screen (the learner's own shell: bash, busybox sh, a container's sh). */
const atPrompt = (s: Screen) => /[#$] $/.test(s.text);
const lastLine = (s: Screen) => s.text.slice(s.text.lastIndexOf("\n") + 1);
/** At a prompt of a shell that is not rootlab's (whose prompts say "(rootlab NAME)"). */
const atOwnPrompt = (s: Screen) => atPrompt(s) && !lastLine(s).includes("(rootlab ");


describeAsRoot("the capabilities lab, typed by hand in guided mode", () => {
  beforeAll(async () => {
    state = await mkdtemp(join(tmpdir(), "rlt8-caps-"));
  });
  afterEach(async () => {
    await screen?.stop();
  });
  afterAll(async () => {
    await rm(state, { recursive: true, force: true });
  });

  // The typed shell is the session's own shell, so in `jail`, `user`, `nnp`, `nsp` and `box` the learner types
  // with that session's bounding set, uid, no_new_privs, seccomp filter and cgroup: the attacks fail as the lab
  // says and every check passes.
  (existsSync(LAB_FILE) ? it : it.skip)("every step passes its checks with commands the learner typed", async () => {
    const parsed = await loadLab(LAB_FILE);
    if (!parsed.ok) throw new Error(`labs/11-capabilities.md does not parse: ${JSON.stringify(parsed.diagnostics)}`);
    const lab = parsed.lab;
    const s = (screen = new Screen(["start", "capabilities"], { ROOTLAB_DISPOSABLE: "1", XDG_STATE_HOME: state, HOME: state }, 200));
    for (const step of lab.steps) {
      await s.waitFor(`Step ${step.index + 1}/${lab.steps.length}: ${step.title}`, 180_000);
      const commands = step.blocks.filter((b) => b.role === "command");
      if (commands.length === 0) {
        await s.waitFor("? When you have read it:");
        s.send(KEY.enter);
      }
      for (const block of commands) {
        await s.waitFor("? What now?");
        s.choose(TYPE_IT);
        await s.until(`the ${block.session} prompt`, () => s.count(prompts(block.session)) > 0 && atPrompt(s), 60_000);
        if (block.enter) {
          // The learner's own shell (unshare, setpriv, systemd-nspawn): look around in it, leave it, then leave
          // rootlab's shell; rootlab then opens the session with the lab's command for the next ones.
          const ours = s.count(prompts(block.session));
          s.send(`${block.code}\r`);
          await s.until("the learner's own shell", () => atOwnPrompt(s), 60_000);
          s.send("id\r");
          await s.waitFor(/uid=\d+/);
          await s.until("its prompt again", () => atOwnPrompt(s), 30_000);
          s.send(KEY.ctrlD);
          await s.until("back in rootlab's shell", () => s.count(prompts(block.session)) > ours && atPrompt(s), 60_000);
          s.send("check\r");
          await s.waitFor(`rootlab opened session "${block.enter}"`, 120_000);
          continue;
        }
        await typeBlock(s, block);
        s.send("check\r");
        await s.waitFor("Back in rootlab.", 60_000);
      }
      // A failed check is reported at once (with its name), not after a timeout.
      const verdict = await s.waitFor(new RegExp(`Step ${step.index + 1} done: |✗ [^\n]*`), 180_000);
      if (verdict.startsWith("✗")) throw new Error(`step ${step.index + 1} "${step.title}": ${verdict}\n${s.text.slice(-2500)}`);
      if (step.index < lab.steps.length - 1) {
        await s.throughExplanation(60_000);
      }
    }
    await s.waitFor("Cleaned up: nothing was left behind", 180_000);
    // The last words wrap at the terminal's width: match them word by word.
    const finished = `You finished "${lab.title}": ${lab.steps.length}/${lab.steps.length} steps, 0 hints used`;
    await s.waitFor(new RegExp(finished.split(" ").map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("\\s+")));
    await s.exited;
    expect(s.text).not.toMatch(/✗/);
  }, 1_200_000);
});

// How a student gets into guided mode: refusals come before anything else is shown, and plain `rootlab`
// takes the menu's options. Nothing here runs a lab (every run is refused or has no terminal).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, runCli } from "../helpers/cli.js";
import { isRoot, ROOT_REASON } from "../helpers/root.js";
import { Screen } from "./guided-driver.js";

const LABS = join(ROOT, "test/fixtures/guided");
const MARKER = "/etc/rootlab/disposable";
let state: string;

beforeAll(async () => {
  state = await mkdtemp(join(tmpdir(), "rlt8-entry-"));
});
afterAll(() => rm(state, { recursive: true, force: true }));

describe("plain rootlab takes the menu's options", () => {
  it.each([["--disposable"], ["--labs-dir", LABS], [`--labs-dir=${LABS}`]])("rootlab %s is the menu (which then asks for a terminal), not an unknown option", async (...args) => {
    const r = await runCli(args);
    expect(r.stderr).toContain("guided mode needs a terminal");
    expect(r.stderr).not.toContain("unknown option");
    expect(r.code).toBe(2);
  });
  it("an option the menu does not have is still an unknown option", async () => {
    const r = await runCli(["--strict"]);
    expect(r.stderr).toContain("unknown option --strict");
    expect(r.code).toBe(2);
  });
});

const canRefuse = isRoot && !existsSync(MARKER) && existsSync(join(ROOT, "node_modules/@lydell/node-pty"));
const why = !isRoot ? ROOT_REASON : existsSync(MARKER) ? `this machine is marked disposable (${MARKER})` : "needs @lydell/node-pty";
describe.skipIf(!canRefuse)(`on a machine not marked disposable${canRefuse ? "" : ` [skipped: ${why}]`}`, () => {
  const env = () => ({ ROOTLAB_DISPOSABLE: "", ROOTLAB_LABS: LABS, XDG_STATE_HOME: state, HOME: state });
  it.each([[[] as string[]], [["start", "rlt8-netns"]]])("rootlab %j refuses before the menu or any lab text, exit 3", async (args) => {
    const s = new Screen(args, env());
    try {
      await s.waitFor("this machine is not marked as disposable");
      expect((await s.exited).exitCode).toBe(3);
      expect(s.text).not.toMatch(/Which lab\?|Welcome back|Preparing lab|Step 1\//);
    } finally {
      await s.stop();
    }
  });
});

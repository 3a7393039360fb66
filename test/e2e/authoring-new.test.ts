// rootlab new → rootlab lint → rootlab verify --strict, for real as root, in a temporary labs folder.
import { afterAll, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeAsRoot } from "../helpers/root.js";
import { runCli } from "../helpers/cli.js";

const ID = "rlt9-roundtrip";
const dir = mkdtempSync(join(tmpdir(), "rlt9-labs-"));
const work = mkdtempSync(join(tmpdir(), "rlt9-work-"));

describeAsRoot("rootlab new → lint → verify --strict", () => {
  afterAll(() => {
    // The lab's own cleanup removes its namespace; this only guards against a failed run.
    if (execFileSync("ip", ["netns", "list"], { encoding: "utf8" }).includes(`rl-${ID}`)) execFileSync("ip", ["netns", "del", `rl-${ID}`]);
    rmSync(dir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it("scaffolds a lab that lints clean and passes verify --strict with a clean leak check", async () => {
    const created = await runCli(["new", ID, "--dir", dir, "--title", "Round trip"]);
    expect(created.code, created.stderr).toBe(0);
    const file = join(dir, `01-${ID}.md`);
    const lint = await runCli(["lint", file]);
    expect(lint.stdout).toBe("0 errors, 0 warnings in 1 file\n");
    expect(lint.code).toBe(0);
    // By path, as the printed next step says (sudo would drop $ROOTLAB_LABS, so ids are not used there).
    // Named as it was run (node bin/rootlab.js), without sudo as root: a line to paste.
    expect(created.stdout).toContain(`  node bin/rootlab.js verify --strict ${file}\n`);
    const verify = await runCli(["verify", "--strict", file], { env: { ROOTLAB_WORKDIR: work } });
    expect(verify.stdout + verify.stderr).toContain("leak check: clean");
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(execFileSync("ip", ["netns", "list"], { encoding: "utf8" })).not.toContain(`rl-${ID}`);
  }, 600_000);
});

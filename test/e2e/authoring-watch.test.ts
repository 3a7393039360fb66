// rootlab watch driven like an author: run, save a broken version, save a fixed one, Ctrl-C.
import { afterAll, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeAsRoot } from "../helpers/root.js";
import { runCli, startCli } from "../helpers/cli.js";

const ID = "rlt9-watched";
const dir = mkdtempSync(join(tmpdir(), "rlt9-watch-"));
const work = mkdtempSync(join(tmpdir(), "rlt9-work-"));

const count = (text: string, pattern: RegExp) => (text.match(new RegExp(pattern, "g")) ?? []).length;

describeAsRoot("rootlab watch", () => {
  afterAll(() => {
    if (execFileSync("ip", ["netns", "list"], { encoding: "utf8" }).includes(`rl-${ID}`)) execFileSync("ip", ["netns", "del", `rl-${ID}`]);
    rmSync(dir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it("re-lints and re-verifies on every save, shows the first failure, and stops on SIGINT after cleanup", async () => {
    expect((await runCli(["new", ID, "--dir", dir])).code).toBe(0);
    const file = join(dir, `01-${ID}.md`);
    const good = readFileSync(file, "utf8");
    const { child, output, exited, waitFor } = startCli(["watch", file], { env: { ROOTLAB_WORKDIR: work } });
    try {
      const waiting = /watching 01-rlt9-watched\.md for changes/g;
      await waitFor(/✓ passed · watching 01-rlt9-watched\.md/, 300_000);
      expect(output()).toContain("run 1 at");
      expect(output()).not.toContain("\x1b[2J"); // not a terminal: no screen clearing

      // A save that breaks step 2: the failure is shown in detail.
      writeFileSync(file, good.replace("ip link set lo up\n", "ip link set lo up\nfalse\n"));
      await waitFor(/✗ fail: step 2 .*watching/, 300_000);
      expect(output()).toContain("run 2 at");
      expect(output()).toMatch(/why: exited with status 1 at line \d+/);

      // A lint error: not verified, said so.
      writeFileSync(file, good.replace("```sh verify\n# rl-rlt9-watched exists", "```sh verify timeout=soon\n# rl-rlt9-watched exists"));
      await waitFor(/✗ lint: 1 error — not verified/, 60_000);
      expect(output()).toMatch(/fence\/bad-timeout/);

      // An editor that saves by writing a new file and renaming it over the old one.
      writeFileSync(`${file}.tmp`, good);
      renameSync(`${file}.tmp`, file);
      await waitFor(/run 4 at[\s\S]*✓ passed · watching/, 300_000);
      expect(count(output(), waiting)).toBe(4);

      child.kill("SIGINT");
      expect(await exited).toBe(130);
      expect(output()).toContain("rootlab watch: stopped (SIGINT)");
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
    expect(execFileSync("ip", ["netns", "list"], { encoding: "utf8" })).not.toContain(`rl-${ID}`);
  }, 900_000);

  it("Ctrl-C during a run stops the running block, runs the cleanup, then exits 130", async () => {
    const slowDir = mkdtempSync(join(tmpdir(), "rlt9-watch-slow-"));
    try {
      expect((await runCli(["new", `${ID}-slow`, "--dir", slowDir])).code).toBe(0);
      const file = join(slowDir, `01-${ID}-slow.md`);
      writeFileSync(file, readFileSync(file, "utf8").replace(`ip netns add rl-${ID}-slow\n`, `ip netns add rl-${ID}-slow\nsleep 120\n`));
      const { child, output, exited, waitFor } = startCli(["watch", file], { env: { ROOTLAB_WORKDIR: work } });
      try {
        await waitFor(/1\/3 Create a network namespace/, 300_000);
        // The namespace exists once the slow block is under way.
        const end = Date.now() + 30_000;
        while (!execFileSync("ip", ["netns", "list"], { encoding: "utf8" }).includes(`rl-${ID}-slow`) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
        child.kill("SIGINT");
        expect(await exited).toBe(130);
        expect(output()).toMatch(/interrupted \(SIGINT\)/);
        expect(output()).toMatch(/✓ cleanup: ip netns del rl-rlt9-watched-slow/);
      } finally {
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      expect(execFileSync("ip", ["netns", "list"], { encoding: "utf8" })).not.toContain(`rl-${ID}-slow`);
    } finally {
      rmSync(slowDir, { recursive: true, force: true });
      if (execFileSync("ip", ["netns", "list"], { encoding: "utf8" }).includes(`rl-${ID}-slow`)) execFileSync("ip", ["netns", "del", `rl-${ID}-slow`]);
    }
  }, 600_000);
});

// rootlab's own block-output folders (/run/rootlab/ch-…) are gone after the sessions close, whatever was in
// flight: a block interrupted mid-way, a block still queued behind it, a session that ended mid-block.
import { readdirSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT, runCli } from "../helpers/cli.js";
import { expect, it } from "vitest";
import { describeAsRoot } from "../helpers/root.js";
import { openSessions } from "../../src/exec/sessions.js";
import { BlockChannel } from "../../src/exec/block-channel.js";

const RUN_DIR = "/run/rootlab";
const entries = () => (existsSync(RUN_DIR) ? readdirSync(RUN_DIR) : []);

describeAsRoot("block output folders (/run/rootlab)", () => {
  it("are removed when the sessions close while a block runs and another is queued", async () => {
    const before = entries();
    const labDir = "/var/tmp";
    const sessions = await openSessions({ env: { PATH: process.env.PATH ?? "/usr/bin:/bin" }, labDir });
    const abort = new AbortController();
    let started!: () => void;
    const begun = new Promise<void>((r) => (started = r));
    const onOutput = (_s: string, text: string) => text.includes("started") && started();
    const running = sessions.run({ session: "host", code: "echo started; sleep 30", codeLine: 1, mode: "script", timeoutMs: 60_000, signal: abort.signal, onOutput });
    const queued = sessions.run({ session: "host", code: "echo queued", codeLine: 2, mode: "script", timeoutMs: 60_000 });
    await begun;
    abort.abort();
    // The CLI exits once the sessions are closed: nothing may be left for a later callback to remove.
    await sessions.close();
    expect(entries().filter((e) => !before.includes(e))).toEqual([]);
    await Promise.all([running, queued]);
    expect(entries().filter((e) => !before.includes(e))).toEqual([]);
  });

  it("are never made for a block that reaches its channel after the channel closed", async () => {
    const before = entries();
    const channel = new BlockChannel(process.pid, "/var/tmp", `ch-rlt0-${process.pid}`);
    await channel.open("n1").then((o) => o.finish()); // a folder made, with FIFOs
    expect(entries().filter((e) => !before.includes(e))).toHaveLength(1);
    channel.close();
    expect(entries().filter((e) => !before.includes(e))).toEqual([]);
    await expect(channel.open("n2")).rejects.toThrow(/closing/);
    expect(entries().filter((e) => !before.includes(e))).toEqual([]);
  });

  it("left by a rootlab process that was killed are removed by the next run; a live process's are kept", async () => {
    const gone = spawnSync("true").pid!; // a pid whose process has ended
    const live = spawn("sleep", ["60"]);
    const dead = `${RUN_DIR}/p${gone}-ch-host-rlt0dead-1`;
    const kept = `${RUN_DIR}/p${live.pid}-ch-host-rlt0live-1`;
    mkdirSync(dead, { recursive: true });
    mkdirSync(kept, { recursive: true });
    try {
      const r = await runCli(["verify", join(ROOT, "test/fixtures/labs/good/minimal.md"), "--disposable"]);
      expect(r.code, r.stderr).toBe(0);
      expect(existsSync(dead)).toBe(false);
      expect(existsSync(kept)).toBe(true);
    } finally {
      live.kill();
      rmSync(dead, { recursive: true, force: true });
      rmSync(kept, { recursive: true, force: true });
    }
  });
});

// The product's content: every lab in labs/ passes `rootlab verify --all --strict` here, or is skipped with its
// reason when its requires: cannot be met on this machine (never passed). The Alpine download is served from
// 127.0.0.1 out of the shared fixture, so the real download → checksum → extract → run path is exercised offline.
import { afterAll, beforeAll, expect, it } from "vitest";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeAsRoot } from "../helpers/root.js";
import { runCli } from "../helpers/cli.js";
import { serveAlpine, type AlpineServer } from "../helpers/alpine-server.js";

let alpine: AlpineServer | undefined;
let work = "";

describeAsRoot("the labs (rootlab verify --all --strict)", () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "rlt0-labs-"));
    // Like /var/tmp/rootlab: labs that run commands as an ordinary user (user-namespaces) must reach LAB_DIR.
    chmodSync(work, 0o755);
    alpine = await serveAlpine();
  });
  afterAll(async () => {
    await alpine?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it("every lab passes under --strict or is skipped with its reason", async () => {
    const out = join(work, "labs.json");
    const r = await runCli(["verify", "--all", "--strict", "--report", "json", "--out", out], {
      env: { ROOTLAB_WORKDIR: work, ...(alpine ? { ROOTLAB_ALPINE_URL: alpine.url } : {}) },
    });
    const report = JSON.parse(readFileSync(out, "utf8")) as {
      labs: { id: string; outcome: { status: string; reason?: string }; durationMs: number; leaks: unknown[] }[];
    };
    const lines = report.labs.map((l) => `${l.id}: ${l.outcome.status} ${(l.durationMs / 1000).toFixed(1)}s ${l.outcome.reason ?? ""}`);
    expect(r.code, `${lines.join("\n")}\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-2000)}`).toBe(0);
    expect(report.labs.length).toBeGreaterThanOrEqual(10);
    for (const lab of report.labs) {
      expect(["pass", "skipped"], `${lab.id}: ${lab.outcome.reason}`).toContain(lab.outcome.status);
      if (lab.outcome.status === "skipped") expect(lab.outcome.reason, lab.id).toMatch(/cannot run here/);
      expect(lab.leaks, lab.id).toEqual([]);
    }
    // This machine has no systemd as PID 1: machinectl must be skipped, never passed (it is verified for real
    // inside a systemd-booted container by machinectl-lab.test.ts).
    const systemdBooted = existsSync("/run/systemd/system");
    const mctl = report.labs.find((l) => l.id === "machinectl");
    if (mctl && !systemdBooted) expect(mctl.outcome.status).toBe("skipped");
  }, 900_000);
});

// A machine without internet, for real: the CLI runs in a network namespace that has only `lo`. With the Alpine
// tarball cached, the alpine-rootfs lab downloads it with curl from rootlab's loopback server and verifies it;
// with an empty cache, list/doctor/verify say before the lab starts that it cannot run and how to fill the cache.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BIN, collectOutput, ROOT, runCli, type CliResult } from "../helpers/cli.js";
import { isRoot, ROOT_REASON } from "../helpers/root.js";

const ALPINE_FIXTURE = fileURLToPath(new URL("../../../shared/fixtures/alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz", import.meta.url));
const skip = !isRoot ? ROOT_REASON : !existsSync(ALPINE_FIXTURE) ? `needs the Alpine fixture beside the checkout (${ALPINE_FIXTURE})` : undefined;

/** The CLI in a fresh network namespace whose only interface is lo (brought up): no route off the machine. */
function offlineCli(args: string[], cache: string): Promise<CliResult> {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: "1", ROOTLAB_DISPOSABLE: "1", ROOTLAB_CACHE: cache };
  delete env.ROOTLAB_ALPINE_URL;
  delete env.ROOTLAB_ONLINE;
  const script = 'ip link set lo up && [ "$(ip -o link | wc -l)" = 1 ] && exec "$0" "$@"';
  return collectOutput(spawn("unshare", ["-n", "sh", "-c", script, process.execPath, BIN, ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] }));
}

interface ListJson {
  labs: { id: string; canRun: boolean; unmet: { need: string; fix?: string }[] }[];
}
const alpineRow = (r: CliResult) => (JSON.parse(r.stdout) as ListJson).labs.find((l) => l.id === "alpine-rootfs")!;

describe.skipIf(skip !== undefined)(`offline alpine-rootfs${skip ? ` [skipped: ${skip}]` : ""}`, () => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), "rlt-offline-"));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("with an empty cache: list and doctor say it cannot run and how to fill the cache; verify refuses before the lab starts", async () => {
    const cache = mkdtempSync(join(scratch, "empty-"));
    const list = await offlineCli(["list", "--json"], cache);
    expect(alpineRow(list).canRun).toBe(false);
    expect(alpineRow(list).unmet[0]?.fix).toMatch(/not in rootlab's cache.*offline.*cache fill --from FILE-or-URL/s);
    const doctor = await offlineCli(["doctor"], cache);
    // doctor into a pipe wraps at 80 columns: the lab's row may go on over the next lines.
    expect(doctor.stdout).toMatch(/✗ alpine-rootfs [^✓✗]*cannot run here/);
    const verify = await offlineCli(["verify", "alpine-rootfs"], cache);
    expect(verify.code).toBe(3);
    expect(verify.stdout).toContain("cache fill");
    expect(verify.stdout).not.toContain("Download the pinned minirootfs"); // no step ran
  });

  it("after `rootlab cache fill --from FILE`, the lab curls the cached copy from 127.0.0.1 and passes", async () => {
    const cache = mkdtempSync(join(scratch, "filled-"));
    const fill = await runCli(["cache", "fill", "--from", ALPINE_FIXTURE], { env: { ROOTLAB_CACHE: cache } });
    expect(fill.stderr).toBe("");
    expect(fill.stdout).toMatch(/100%\)\n✓ verified .* and cached: .*alpine-minirootfs-3\.20\.3-x86_64\.tar\.gz/);
    expect(fill.code).toBe(0);
    expect(alpineRow(await offlineCli(["list", "--json"], cache)).canRun).toBe(true);
    const verify = await offlineCli(["verify", "alpine-rootfs", "--only", "1", "-v"], cache);
    expect(verify.stdout).toMatch(/^ *│ http:\/\/127\.0\.0\.1:\d+\/alpine\/v3\.20\/releases\/x86_64\/alpine-minirootfs-3\.20\.3-x86_64\.tar\.gz$/m);
    expect(verify.code).toBe(0);
    const all = await offlineCli(["verify", "alpine-rootfs"], cache);
    expect(all.stdout).toContain("✓ alpine-rootfs passed");
    expect(all.code).toBe(0);
  }, 120_000);

  it("`rootlab cache fill` refuses a file that is not the pinned tarball and keeps nothing", async () => {
    const cache = mkdtempSync(join(scratch, "bad-"));
    const fill = await runCli(["cache", "fill", "--from", BIN], { env: { ROOTLAB_CACHE: cache } });
    expect(fill.code).toBe(1);
    expect(fill.stderr).toMatch(/checksum mismatch/);
    expect((await runCli(["cache", "status"], { env: { ROOTLAB_CACHE: cache } })).code).toBe(1);
  });
});

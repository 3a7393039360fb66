// End-to-end: the real CLI runs real fixture labs as root, and the machine is left as it was found.
import { afterAll, afterEach, beforeEach, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeAsRoot } from "../helpers/root.js";
import { ROOT, runCli, startCli } from "../helpers/cli.js";

const E2E = join(ROOT, "test/fixtures/labs/e2e");
const lab = (name: string) => join(E2E, `${name}.md`);
let work = "";
const env = () => ({ ROOTLAB_WORKDIR: work, ROOTLAB_LABS: E2E });

const netns = () => execFileSync("ip", ["netns", "list"], { encoding: "utf8" });
const links = () => execFileSync("ip", ["-o", "link"], { encoding: "utf8" });

function removeTestResources(): void {
  for (const ns of ["rlt0-leaky", "rlt0-int", "rlt0-chatty"]) if (netns().includes(ns)) execFileSync("ip", ["netns", "del", ns]);
  for (const link of ["rlt0h", "rlt0-br"]) if (links().includes(`${link}:`) || links().includes(`${link}@`)) execFileSync("ip", ["link", "del", link]);
}

describeAsRoot("rootlab verify (real labs, as root)", () => {
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), "rlt0-work-"));
  });
  afterEach(() => {
    rmSync(work, { recursive: true, force: true });
  });
  afterAll(() => {
    removeTestResources();
  });

  it("runs a pivot_root session wired to the host by a veth, and leaves nothing behind", async () => {
    const r = await runCli(["verify", lab("container")], { env: env() });
    expect(r.stderr + r.stdout).toMatch(/the box's shell is PID 1 of its own PID namespace/);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(links()).not.toMatch(/rlt0[hc]/);
  });

  it("fails on an expect mismatch after an exit= block passed, naming the block and the difference", async () => {
    const r = await runCli(["verify", lab("failures")], { env: env() });
    const out = r.stdout + r.stderr;
    expect(r.code).toBe(1);
    expect(out).toMatch(/failures\.md:\d+/);
    expect(out).toMatch(/BETA/);
    expect(out).toMatch(/beta/);
    expect(out).not.toMatch(/never printed/);
  });

  it("kills a hanging block after its timeout, says so, and still runs cleanup", async () => {
    const t0 = Date.now();
    const r = await runCli(["verify", lab("timeout")], { env: env() });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/timed out after 2s/);
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(existsSync(join(work, "rlt0-timeout-cleanup-ran"))).toBe(true);
  });

  it("fails a lab that leaks a network namespace and names it", async () => {
    const r = await runCli(["verify", lab("leak")], { env: env() });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/netns rlt0-leaky/);
    expect(netns()).not.toMatch(/rlt0-leaky/);
  });

  it("fails a lab that leaves a process running, names it, and stops it", async () => {
    const r = await runCli(["verify", lab("stray")], { env: env() });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/process \d+ sleep \(left running; rootlab stopped it\)/);
    expect(execFileSync("ps", ["-eo", "args"], { encoding: "utf8" })).not.toMatch(/^sleep 2999$/m);
  });

  it("under --strict fails a check that passes before its step", async () => {
    const plain = await runCli(["verify", lab("strict")], { env: env() });
    expect(plain.code, plain.stdout + plain.stderr).toBe(0);
    const strict = await runCli(["verify", "--strict", lab("strict")], { env: env() });
    expect(strict.code).toBe(1);
    expect(strict.stdout + strict.stderr).toMatch(/already passes before its step/);
  });

  it("on SIGINT mid-lab runs the cleanups, leaks nothing and exits non-zero", async () => {
    const cli = startCli(["verify", "--verbose", lab("interrupt")], { env: env() });
    await cli.waitFor("waiting-for-signal");
    cli.child.kill("SIGINT");
    const code = await cli.exited;
    expect(code).not.toBe(0);
    expect(existsSync(join(work, "rlt0-int-made"))).toBe(true);
    expect(existsSync(join(work, "rlt0-int-cleaned"))).toBe(true);
    expect(netns()).not.toMatch(/rlt0-int/);
    expect(links()).not.toMatch(/rlt0-br/);
  });

  it("writes JSON, JUnit and TAP reports", async () => {
    for (const [kind, check] of [
      ["json", (s: string) => expect(JSON.parse(s).labs[0].id).toBe("e2e-strict")],
      ["junit", (s: string) => expect(s).toMatch(/<testsuites[\s\S]*<testcase/)],
      ["tap", (s: string) => expect([/^TAP version 14\n/.test(s), /^1\.\.1$/m.test(s), /^ok 1 - e2e-strict/m.test(s)]).toEqual([true, true, true])],
    ] as const) {
      const out = join(work, `report.${kind}`);
      const r = await runCli(["verify", lab("strict"), "--report", kind, "--out", out], { env: env() });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      check(readFileSync(out, "utf8"));
    }
  });

  it("refuses on a machine not marked disposable (exit 3), says why and how", async () => {
    const r = await runCli(["verify", lab("strict")], { env: { ...env(), ROOTLAB_DISPOSABLE: "" } });
    if (existsSync("/etc/rootlab/disposable")) return; // this machine is marked: nothing to refuse
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/disposable/);
  });

  it("reports a named lab that cannot run here as skipped with its reason (exit 3); --all allows skips", async () => {
    const named = await runCli(["verify", lab("needs-systemd")], { env: env() });
    expect(named.code).toBe(3);
    expect(named.stdout + named.stderr).toMatch(/systemd/);
  });

  it("--only replays the earlier steps without checks and checks only the chosen step", async () => {
    const r = await runCli(["verify", lab("container"), "--only", "2"], { env: env() });
    const out = r.stdout + r.stderr;
    expect(r.code, out).toBe(0);
    expect(out).toMatch(/the box reaches the host through the veth/);
    expect(out).not.toMatch(/the box sees its own hostname and root/);
  });

  it("refuses --only with a step that does not exist before running anything (exit 2)", async () => {
    const r = await runCli(["verify", lab("leak"), "--only", "99"], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no step "99"/);
    expect(netns()).not.toMatch(/rlt0-leaky/);
  });

  it("never runs a lab that lint finds unsafe (exit 2, file:line)", async () => {
    const r = await runCli(["verify", join(ROOT, "test/fixtures/labs/unsafe/outside-address.md")], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/outside-address\.md:\d+:\d+\s+error\s+safety\/address/);
    expect(existsSync(join(work, "rlt0-unsafe-ran"))).toBe(false);
  });

  // Each would change nothing if it ran; the point is that nothing runs at all (not even the block's first line).
  it.each([
    ["unchecked-name", "safety/unchecked"],
    ["piped-script", "safety/unchecked"],
    ["host-firewall", "safety/host-firewall"],
    ["host-network", "safety/host-network"],
    ["host-system", "safety/host-system"],
  ])("refuses %s before running anything (%s)", async (name, rule) => {
    const r = await runCli(["verify", join(ROOT, `test/fixtures/labs/unsafe/${name}.md`)], { env: env() });
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${name}\\.md:18:\\d+\\s+error\\s+${rule}`));
    expect(existsSync(join(work, "rlt0-unsafe-ran"))).toBe(false);
  });

  it("stops, cleans up and exits 141 when the reader of its output goes away (rootlab verify | head)", async () => {
    const cli = startCli(["verify", "--verbose", lab("chatty")], { env: env() });
    await cli.waitFor("tick");
    cli.child.stdout.destroy();
    const code = await cli.exited;
    expect(code).toBe(141);
    expect(existsSync(join(work, "rlt0-chatty-cleaned"))).toBe(true);
    expect(netns()).not.toMatch(/rlt0-chatty/);
  });

  it("--repeat runs a lab several times and says whether any step changed its result", async () => {
    const r = await runCli(["verify", lab("strict"), "--repeat", "2"], { env: env() });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).toMatch(/run 2 of 2/);
    expect(r.stderr).toMatch(/no step changed its result across 2 runs/);
  });

  it("follows the contract's corners: exit leaves a session, expect may name stderr, ## Cleanup runs in reverse", async () => {
    const r = await runCli(["verify", lab("contract")], { env: env() });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(readFileSync(join(work, "rlt0-order"), "utf8")).toBe("second-in-document\nfirst-in-document\n");
  });

  it("rejects an invalid lab with file:line (exit 2)", async () => {
    const r = await runCli(["verify", join(ROOT, "test/fixtures/labs/invalid/bad-attr.md")], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad-attr\.md:\d+:\d+/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

// The lab network's guard (src/host/net-guard.ts), with the real CLI as root: while a lab runs, an address in
// 10.231.0.0/16 that no interface of the host owns is unreachable on the host (lab 13's slip: `curl` to a
// container's address typed outside `ip netns exec` went out through eth0); the lab's own subnet still works; the
// guard is gone after the run; one a killed run (kill -9) left is recognised by `doctor` and removed by the next
// run; without CAP_NET_ADMIN the run goes on and says once why the guard is off.
// Nothing here sends traffic off the machine: the fixture connects only after `ip route get` showed the guard.
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describeAsRoot, isRoot } from "../helpers/root.js";
import { BIN, ROOT, collectOutput, runCli, startCli } from "../helpers/cli.js";

const E2E = join(ROOT, "test/fixtures/labs/e2e");
const LAB = join(E2E, "net-guard.md");
const GATED = join(E2E, "net-guard-gated.md");
const GUARD = ["unreachable", "10.231.0.0/16", "proto", "231"];
let work = "";

/** The host main table's routes for exactly 10.231.0.0/16, in ip's words. */
const prefixRoutes = (): string[] => execFileSync("ip", ["route", "show", "table", "main", "exact", "10.231.0.0/16"], { encoding: "utf8" }).split("\n").map((l) => l.trim()).filter(Boolean);
/** A route the machine's owner made for the prefix: rootlab then adds no guard, and these tests cannot run. */
const ownersRoute = isRoot ? prefixRoutes().find((r) => r !== GUARD.join(" ")) : undefined;
const removeGuard = () => (prefixRoutes().includes(GUARD.join(" ")) ? execFileSync("ip", ["route", "del", ...GUARD]) : undefined);

/** Processes a killed run's sessions left (their environment names the gated lab): SIGKILLed, as cleanup. */
function killGatedLeftovers(): void {
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/environ`, "latin1").split("\0").includes("LAB_ID=e2e-net-guard-gated")) process.kill(Number(pid), "SIGKILL");
    } catch {
      /* gone, or a kernel thread */
    }
  }
}

function describeGuard(name: string, fn: () => void): void {
  if (ownersRoute) describe.skip(`${name} [skipped: this machine routes 10.231.0.0/16 itself (${ownersRoute})]`, fn);
  else describeAsRoot(name, fn);
}

describeGuard("the lab network's guard (real CLI, as root)", () => {
  beforeEach(() => {
    work = mkdtempSync("/var/tmp/rlt31-work-");
  });
  afterEach(() => {
    killGatedLeftovers();
    removeGuard();
    rmSync(work, { recursive: true, force: true });
  });
  afterAll(() => {
    execFileSync("sh", ["-c", "ip netns del rlt31-ns 2>/dev/null; true"]);
  });

  it("during a run the slip is unreachable on the host and the lab's own subnet works; afterwards the guard is gone", async () => {
    expect(prefixRoutes()).toEqual([]);
    const r = await runCli(["verify", "--verbose", "--explain", LAB], { env: { ROOTLAB_WORKDIR: work, ROOTLAB_LABS: E2E } });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/network guard: 10\.231\.0\.0\/16 is unreachable from the host while the lab runs/);
    // What each step changed names the lab's own route, never the guard (there from before the first look to after the last).
    expect(r.stdout).toMatch(/route 10\.231\.231\.0\/24 dev rlt31-h scope link \(host\)/);
    expect(r.stdout).not.toMatch(/route (unreachable )?10\.231\.0\.0\/16/);
    expect(r.stdout).not.toMatch(/network guard off/);
    // The leak check and its report know nothing of the guard: it is rootlab's, not the lab's.
    expect(r.stdout).not.toMatch(/leaked:/);
    expect(prefixRoutes()).toEqual([]);
  });

  it("a guard left by a run killed with SIGKILL: doctor says so, and the next run takes it over and removes it", async () => {
    execFileSync("mkfifo", [join(work, "rlt31-gate")]);
    const cli = startCli(["verify", "--verbose", GATED], { env: { ROOTLAB_WORKDIR: work, ROOTLAB_LABS: E2E } });
    try {
      await cli.waitFor("at-the-gate");
      expect(prefixRoutes()).toEqual([GUARD.join(" ")]);
    } finally {
      cli.child.kill("SIGKILL");
      await cli.exited;
    }
    killGatedLeftovers();
    expect(prefixRoutes(), "a killed run cannot remove its guard").toEqual([GUARD.join(" ")]);

    const doctor = await runCli(["doctor", "--json", "--labs-dir", E2E]);
    expect((JSON.parse(doctor.stdout) as { netGuard: unknown }).netGuard).toEqual({ state: "stale" });

    const r = await runCli(["verify", "--verbose", LAB], { env: { ROOTLAB_WORKDIR: work, ROOTLAB_LABS: E2E } });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/network guard: took over the route a killed run left \(unreachable 10\.231\.0\.0\/16 proto 231\); removed at the end/);
    expect(prefixRoutes()).toEqual([]);
  });

  it("without CAP_NET_ADMIN the runs go on and say once why the guard is off", async () => {
    const minimal = join(ROOT, "test/fixtures/labs/good/minimal.md");
    const crlf = join(ROOT, "test/fixtures/labs/good/crlf.md");
    // The bounding set without cap_net_admin: root, but not allowed to change routes.
    const child = spawn("setpriv", ["--bounding-set=-net_admin", process.execPath, BIN, "verify", minimal, crlf], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: "1", ROOTLAB_DISPOSABLE: "1", ROOTLAB_WORKDIR: work, npm_command: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const r = await collectOutput(child);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const said = r.stdout.split("\n").filter((l) => l.includes("network guard off"));
    expect(said, r.stdout).toHaveLength(1);
    expect(said[0]).toMatch(/network guard off: adding a route is not permitted here \(needs root with CAP_NET_ADMIN\)/);
    expect(prefixRoutes()).toEqual([]);
  });
});

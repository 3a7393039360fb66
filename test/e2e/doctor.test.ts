// `rootlab doctor` through the real CLI: the capability table, and per lab "can run here" or the unmet needs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { BIN, runCli } from "../helpers/cli.js";
import { isRoot } from "../helpers/root.js";
import { displayWidth } from "../../src/term/width.js";
import type { DoctorReport } from "../../src/host/doctor.js";
import { unprivilegedCannotRun } from "../helpers/shared-fixtures.js";

// Runs the CLI as an ordinary user: impossible from a checkout other users cannot enter (root's home).
const NOBODY_CANNOT = isRoot ? unprivilegedCannotRun(BIN) : undefined;

let labs: string;

function lab(id: string, requires: string, uses = "[]"): string {
  return `---\nformat: 1\nid: ${id}\ntitle: Lab ${id}\nrequires:\n${requires}\nuses: ${uses}\n---\n\n## Step\n\n\`\`\`sh\ntrue\n\`\`\`\n`;
}

beforeAll(() => {
  labs = mkdtempSync(join(tmpdir(), "rlt3-doctor-"));
  chmodSync(labs, 0o755); // readable for the test that runs doctor as nobody
  writeFileSync(join(labs, "a-plain.md"), lab("plain", "  root: true\n  commands: [ip]\n  kernel: [netns, veth]", "[busybox-rootfs]"));
  writeFileSync(join(labs, "b-impossible.md"), lab("impossible", "  root: true\n  commands: [rlt3-no-such-tool]\n  systemd: true\n  network: true"));
  writeFileSync(join(labs, "c-broken.md"), "---\nformat: 1\nid: broken\nbogus: 1\n---\n");
});
afterAll(() => rmSync(labs, { recursive: true, force: true }));

describe("rootlab doctor", () => {
  it("prints the capability table and each lab's verdict", async () => {
    const r = await runCli(["doctor", "--labs-dir", labs], { env: { ROOTLAB_ONLINE: "" } });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const pid1 = readFileSync("/proc/1/comm", "utf8").trim();
    expect(r.stdout).toContain(`PID 1            ${pid1}`);
    for (const f of ["netns", "veth", "bridge", "overlay", "aufs", "userns", "cgroup1", "cgroup2", "nftables", "iptables"]) {
      expect(r.stdout).toMatch(new RegExp(`^  [✓✗?] ${f}\\b`, "m"));
    }
    const aufs = readFileSync("/proc/filesystems", "utf8").includes("aufs");
    expect(r.stdout).toMatch(new RegExp(`^  ${aufs ? "✓" : "✗"} aufs`, "m"));
    expect(r.stdout).toMatch(/^ {2}✓ ip +\/\S+\/ip/m);
    expect(r.stdout).toMatch(/^ {2}✗ rlt3-no-such-tool +install the package that provides "rlt3-no-such-tool"/m);
    expect(r.stdout).toContain("disposable       yes (ROOTLAB_DISPOSABLE=1)");
    if (isRoot) expect(r.stdout).toMatch(/✓ plain .* — can run here/);
    else expect(r.stdout).toMatch(/! plain .* — needs root/);
    expect(r.stdout).toMatch(/✗ impossible .* — cannot run here:/);
    expect(r.stdout).toContain("✗ command rlt3-no-such-tool: install the package");
    expect(r.stdout).toContain("✗ network (internet): rootlab never sends traffic off this machine");
    const systemd = existsSync("/run/systemd/system");
    // The need is said once, not "systemd as PID 1: needs systemd as PID 1 (…)".
    if (!systemd) expect(r.stdout).toContain(`✗ systemd as PID 1 (machinectl, systemctl): run this lab in the rootlab VM`);
    expect(r.stdout).not.toMatch(/systemd as PID 1: needs systemd as PID 1/);
    // Lab ids in one column: the titles start at the same place.
    expect(r.stdout).toMatch(/^ {2}[✓!] plain {7}Lab plain/m);
    expect(r.stdout).toMatch(/^ {2}✗ impossible {2}Lab impossible/m);
    expect(r.stdout).toMatch(/c-broken\.md — invalid lab/);
    expect(r.stdout).toMatch(/of 3 labs can run here/);
    expect(r.stdout).not.toMatch(/\x1b\[/); // NO_COLOR
  });

  it("into a pipe at COLUMNS=80: no line wider, a path wider than the line broken after a `/`, nothing lost", async () => {
    // A labs folder whose path alone is wider than 80 columns, holding a broken lab (doctor names its file).
    const deep = join(labs, "a-folder-with-a-rather-long-name", "and-another-one-below-it-for-good-measure");
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(deep, "broken.md"), "---\nformat: 1\nid: broken\nbogus: 1\n---\n");
    try {
      const narrow = await runCli(["doctor", "--labs-dir", deep], { env: { COLUMNS: "80", ROOTLAB_ONLINE: "" } });
      const wide = await runCli(["doctor", "--labs-dir", deep], { env: { COLUMNS: "1000", ROOTLAB_ONLINE: "" } });
      expect(narrow.code).toBe(0);
      for (const line of narrow.stdout.split("\n")) expect(displayWidth(line), line).toBeLessThanOrEqual(80);
      expect(narrow.stdout.replace(/\s+/g, "")).toBe(wide.stdout.replace(/\s+/g, ""));
      expect(wide.stdout).toContain(`${join(deep, "broken.md")} — invalid lab`);
      // The path ends a line after one of its `/`: the next line goes on with the rest of it.
      expect(narrow.stdout).toMatch(/\/\n\s*[\w.-]+(\/[\w.-]+)*\/?(\n|\s)/);
    } finally {
      rmSync(join(labs, "a-folder-with-a-rather-long-name"), { recursive: true, force: true });
    }
  });

  it("explains how to mark the machine disposable when it is not", async () => {
    const r = await runCli(["doctor", "--labs-dir", labs], { env: { ROOTLAB_DISPOSABLE: "" } });
    if (existsSync("/etc/rootlab/disposable")) return expect(r.stdout).toContain("disposable       yes (/etc/rootlab/disposable)");
    expect(r.stdout).toContain("disposable       no");
    expect(r.stdout).toContain("sudo mkdir -p /etc/rootlab && sudo touch /etc/rootlab/disposable");
  });

  it("--json is the same data, machine-readable", async () => {
    const r = await runCli(["doctor", "--json", "--labs-dir", labs], { env: { ROOTLAB_ONLINE: "1" } });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as DoctorReport;
    expect(report.machine.systemdBooted).toBe(existsSync("/run/systemd/system"));
    expect(report.machine.root).toBe(isRoot);
    expect(Object.keys(report.machine.features)).toHaveLength(15);
    expect(report.labs.map((l) => l.id)).toEqual(["plain", "impossible"]);
    const impossible = report.labs[1]!;
    expect(impossible.verdict).toBe("cannot-run");
    expect(impossible.unmet.map((n) => n.need)).not.toContain("network (internet)"); // ROOTLAB_ONLINE=1 declares it
    expect(report.invalid.map((i) => i.file)).toEqual([join(labs, "c-broken.md")]);
    expect(report.invalid[0]!.diagnostics.length).toBeGreaterThan(0);
  });

  it.skipIf(!isRoot || NOBODY_CANNOT)(`works without root and says which probes need it${NOBODY_CANNOT ? ` [skipped: ${NOBODY_CANNOT}]` : ""}`, () => {
    const r = spawnSync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", process.execPath, BIN, "doctor", "--labs-dir", labs], {
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1", HOME: "/tmp" },
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Not running as root: probes marked ? need root. Run `sudo rootlab doctor`");
    expect(r.stdout).toMatch(/^ {2}\? netns +.*needs root/m);
    expect(r.stdout).toMatch(/! plain .* — needs root: run it with sudo/);
  });

  it("rejects unknown options with a usage error", async () => {
    const r = await runCli(["doctor", "--bogus"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Run `node bin/rootlab.js doctor --help`");
    // A misspelt option gets the closest one.
    const typo = await runCli(["doctor", "--jsno"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("unknown option --jsno for `rootlab doctor` (did you mean `--json`?)");
  });
});

describe("the netns probe", () => {
  it.skipIf(!isRoot)("removes a probe netns that a killed rootlab left half-made, and leaves none of its own", async () => {
    // A PID that no longer runs: a child that has exited and been reaped.
    const dead = spawnSync("true").pid;
    const left = `rl-probe-${dead}-beef`;
    mkdirSync("/run/netns", { recursive: true });
    writeFileSync(`/run/netns/${left}`, "", { mode: 0 }); // what `ip netns add` leaves when killed before its mount
    try {
      const r = await runCli(["doctor", "--labs-dir", labs], { env: { ROOTLAB_ONLINE: "" } });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^ {2}✓ netns\b/m);
      expect(existsSync(`/run/netns/${left}`)).toBe(false);
      const ns = spawnSync("ip", ["netns", "list"], { encoding: "utf8" });
      expect(ns.stdout + ns.stderr).not.toMatch(/rl-probe|invalid/);
    } finally {
      rmSync(`/run/netns/${left}`, { force: true });
    }
  });
});

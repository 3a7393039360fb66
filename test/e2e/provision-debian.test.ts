// provision/provision.sh for real, on a fresh Debian 12 root (debootstrap --variant=minbase, cached as a tarball
// in /var/cache/rootlab-test), run with systemd-nspawn like a new VM: the project read-only at /vagrant, as the
// Vagrantfile's synced folder. Runs it twice (the second run must change nothing), then `rootlab verify` inside.
// Needs root, debootstrap, systemd-container, and the Debian mirror + npm registry (both reachable in CI).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";
import { describeAsRoot } from "../helpers/root.js";

const DEBIAN_ROOT = join(ROOT, "test/fixtures/vagrant/debian-root.sh");
const PROVISION = ["/bin/bash", "/vagrant/provision/provision.sh"];
const CACHE_DIR = process.env.ROOTLAB_TEST_CACHE ?? "/var/cache/rootlab-test";
const FIXTURE_LAB = "/opt/rootlab/test/fixtures/vagrant/labs/rlt5-netns.md";

interface Ran {
  code: number | null;
  output: string;
}

/** Runs debian-root.sh in its own process group, so a timeout can kill everything it started. */
function debianRoot(args: string[], timeoutMs: number, project = ""): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const env = project ? { ...process.env, ROOTLAB_TEST_PROJECT: project } : process.env;
    const child = spawn(DEBIAN_ROOT, args, { detached: true, stdio: ["ignore", "pipe", "pipe"], env });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
      reject(new Error(`debian-root.sh ${args.join(" ")} timed out after ${timeoutMs} ms:\n${output.slice(-3000)}`));
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

let project = "";
function inRoot(dir: string, cmd: string[], opts: string[] = [], timeoutMs = 60_000): Promise<Ran> {
  return debianRoot(["run", dir, ...opts, "--", ...cmd], timeoutMs, project);
}

/** Installed packages and versions, read from the root's dpkg database from outside. */
function dpkgList(dir: string): string {
  return readFileSync(join(dir, "var/lib/dpkg/status"), "utf8")
    .split("\n\n")
    .filter((s) => /^Status: install ok installed$/m.test(s))
    .map((s) => `${/^Package: (.*)$/m.exec(s)?.[1]} ${/^Version: (.*)$/m.exec(s)?.[1]}`)
    .sort()
    .join("\n");
}

function cgroupLeftovers(): string[] {
  const base = "/sys/fs/cgroup/systemd";
  if (!existsSync(base)) return [];
  return readdirSync(base).filter((n) => n.startsWith("rlt5-nspawn-"));
}

describeAsRoot("provision.sh on a fresh Debian 12 root", () => {
  let work = "";
  let dir = "";
  let firstRun: Ran;

  beforeAll(async () => {
    const cache = await debianRoot(["cache"], 540_000); // cold: debootstrap ≈ 30–40 s; warm: instant
    expect(cache.code, cache.output).toBe(0);
    // Not under /tmp or /var/tmp: a concurrent `rootlab verify` elsewhere on the machine treats new files there
    // as its own leaks and removes them.
    work = mkdtempSync(join(CACHE_DIR, "rlt5-provision-"));
    dir = join(work, "root");
    // A snapshot of the project, as Vagrant's rsync makes at boot: edits to the checkout during the test
    // must not look like changes to the second run.
    project = join(work, "project");
    const snap = spawnSync("rsync", ["-a", "--exclude=/node_modules", "--exclude=/.git", "--exclude=/dist", "--exclude=/.vagrant", "--exclude=/reports", `${ROOT.replace(/\/$/, "")}/`, `${project}/`], { encoding: "utf8" });
    expect(snap.status, snap.stderr).toBe(0);
    // Host-only things a synced folder may carry (virtualbox/nfs shares do not exclude anything).
    for (const d of ["node_modules/rlt5-host-only", ".vagrant/machines", ".git", "reports"]) mkdirSync(join(project, d), { recursive: true });
    const extracted = await debianRoot(["extract", dir], 120_000);
    expect(extracted.code, extracted.output).toBe(0);
    firstRun = await inRoot(dir, PROVISION, [], 540_000);
  }, 600_000);

  afterAll(() => {
    // nspawn's mounts lived in a private mount namespace that is gone; only the files are left.
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("first run installs the packages, Node.js >= 20, the project and the rootlab command", () => {
    expect(firstRun.code, firstRun.output.slice(-4000)).toBe(0);
    expect(firstRun.output).toContain("rootlab provision: packages: installing ");
    expect(firstRun.output).toMatch(/rootlab provision: node: installed v2\d\.\d+\.\d+ at \/usr\/local\/bin\/node/);
    expect(firstRun.output).toContain("rootlab provision: dependencies: installed");
    // The snapshot has no dist/ (as a clone before `npm ci`): the machine compiles its own.
    expect(firstRun.output).toContain("rootlab provision: build: compiled dist/");
    expect(firstRun.output.trimEnd()).toMatch(/rootlab provision: done \(changed=1\)$/);
    expect(readlinkSync(join(dir, "usr/local/bin/rootlab"))).toBe("/opt/rootlab/bin/rootlab.js");
    expect(existsSync(join(dir, "opt/rootlab/dist/cli/main.js"))).toBe(true);
    // never copied from the host: per-OS binaries and host state
    for (const p of ["node_modules/rlt5-host-only", ".vagrant", ".git", "reports"]) expect(existsSync(join(dir, "opt/rootlab", p)), p).toBe(false);
  });

  it("marks the machine disposable and makes room for reports", () => {
    expect(readFileSync(join(dir, "etc/rootlab/disposable"), "utf8")).toMatch(/^# This machine is a disposable rootlab lab VM/);
    expect(existsSync(join(dir, "var/lib/rootlab/reports"))).toBe(true);
  });

  it("a second run changes nothing and says so", async () => {
    const before = dpkgList(dir);
    const again = await inRoot(dir, PROVISION, [], 120_000);
    expect(again.code, again.output).toBe(0);
    expect(again.output.trimEnd()).toMatch(/rootlab provision: done \(changed=0\)$/);
    expect(again.output).not.toContain("apt-get");
    expect(again.output).toContain("packages: all");
    expect(dpkgList(dir)).toBe(before);
  });

  it("rootlab --version works inside, with the provisioned node", async () => {
    const pkg = JSON.parse(readFileSync(join(project, "package.json"), "utf8")) as { version: string };
    const r = await inRoot(dir, ["/bin/sh", "-c", "rootlab --version && node --version"]);
    expect(r.code, r.output).toBe(0);
    const [version, node] = r.output.trim().split("\n");
    expect(version).toBe(pkg.version);
    expect(Number(/^v(\d+)\./.exec(node ?? "")?.[1])).toBeGreaterThanOrEqual(20);
  });

  it("rootlab verify runs a lab inside and writes a JUnit report", async () => {
    // --private-network: the lab's namespace and links stay inside the container (and nspawn grants CAP_NET_ADMIN).
    const r = await inRoot(
      dir,
      ["/bin/sh", "-c", `cd /opt/rootlab && rootlab verify --report junit --out /var/lib/rootlab/reports/rlt5.xml ${FIXTURE_LAB}`],
      ["--private-network"],
      180_000,
    );
    expect(r.code, r.output.slice(-4000)).toBe(0);
    const report = readFileSync(join(dir, "var/lib/rootlab/reports/rlt5.xml"), "utf8");
    expect(report).toContain("<testsuite");
    expect(report).toContain("rlt5-netns");
    expect(report).not.toMatch(/<failure|<error/);
  });

  it("leaves no cgroups behind", () => {
    expect(cgroupLeftovers()).toEqual([]);
  });
});

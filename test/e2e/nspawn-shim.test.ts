// shims/systemd-nspawn on this machine (systemd is not PID 1): nspawn works as in COOKBOOK T0's `nsp`,
// statuses and signals pass through, and nothing is left in /sys/fs/cgroup, /run/systemd/nspawn or the rootfs's folder.
import { afterAll, beforeAll, expect, it } from "vitest";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { prepareFixtures } from "../../src/host/fixtures/index.js";
import { shimsDir } from "../../src/host/paths.js";
import { describeAsRoot } from "../helpers/root.js";

const SHIM = join(shimsDir(), "systemd-nspawn");
const SAVED_CACHE = process.env.ROOTLAB_CACHE;
let scratch: string;
let rootfs: string;
const shimPids: number[] = [];
const children: ChildProcess[] = [];

function nsp(args: string[], input = "") {
  const r = spawnSync(SHIM, args, { input, encoding: "utf8", timeout: 60_000 });
  if (r.pid) shimPids.push(r.pid);
  return r;
}

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

const linkExists = (name: string) => spawnSync("ip", ["link", "show", name], { stdio: "ignore" }).status === 0;
const sleeping = (n: number) => spawnSync("pgrep", ["-xf", `sleep ${n}`], { stdio: "ignore" }).status === 0;

describeAsRoot("systemd-nspawn shim", () => {
  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), "rlt3-shim-"));
    process.env.ROOTLAB_CACHE = join(scratch, "cache");
    const env = await prepareFixtures(["busybox-rootfs"], scratch);
    rootfs = env.BUSYBOX_ROOTFS!;
  });

  afterAll(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    spawnSync("pkill", ["-KILL", "-xf", "sleep 4205"]); // unique durations: only ours
    for (const n of [4206, 4208, 4209]) spawnSync("pkill", ["-KILL", "-xf", `sleep ${n}`]);
    spawnSync("ip", ["link", "del", "ve-rlt3x"], { stdio: "ignore" });
    if (SAVED_CACHE === undefined) delete process.env.ROOTLAB_CACHE;
    else process.env.ROOTLAB_CACHE = SAVED_CACHE;
    rmSync(scratch, { recursive: true, force: true });
  });

  it("is an executable POSIX sh script", () => {
    expect(spawnSync("sh", ["-n", SHIM]).status).toBe(0);
    expect(spawnSync("test", ["-x", SHIM]).status).toBe(0);
  });

  it("--private-network shows only lo; output is plain (no \\r), stderr stays separate", () => {
    const r = nsp(["-D", rootfs, "-M", "rlt3a", "--private-network", "/bin/sh", "-c", "ip -o link | cut -d: -f2; echo to-stderr >&2"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(" lo\n");
    expect(r.stderr).toBe("to-stderr\n");
  });

  it("propagates the exit status exactly", () => {
    expect(nsp(["-D", rootfs, "-M", "rlt3b", "/bin/sh", "-c", "exit 7"]).status).toBe(7);
    expect(nsp(["-D", rootfs, "-M", "rlt3b", "/bin/true"]).status).toBe(0);
  });

  it("passes stdin through (sessions type into nspawn's stdin)", () => {
    const r = nsp(["-D", rootfs, "-M", "rlt3c", "/bin/sh"], "echo typed-in; cat /etc/os-release | head -1\n");
    expect(r.stdout).toBe("typed-in\nNAME=busybox-lab\n");
  });

  it("copes with a closed stdin", () => {
    const r = spawnSync("sh", ["-c", '"$0" -D "$1" -M rlt3e /bin/sh -c "echo ran" <&-', SHIM, rootfs], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("ran\n");
  });

  it("user arguments come last and override ours", () => {
    // --console=pipe is ours off-terminal; --console=read-only from the user wins, so the payload runs on a pty.
    const r = nsp(["-D", rootfs, "-M", "rlt3d", "--console=read-only", "/bin/sh", "-c", "echo x"]);
    expect(r.stdout).toBe("x\r\n");
  });

  it("--network-veth -M rlt3x creates ve-rlt3x; SIGTERM to the shim stops the container and removes it", async () => {
    const child = spawn(SHIM, ["-D", rootfs, "-M", "rlt3x", "--network-veth", "/bin/sh", "-c", "sleep 4205 & wait"], { stdio: ["ignore", "pipe", "pipe"] });
    children.push(child);
    shimPids.push(child.pid!);
    const done = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    await until(() => linkExists("ve-rlt3x") && sleeping(4205));
    expect(readdirSync("/sys/fs/cgroup/systemd").filter((n) => n === `rootlab-nspawn-${child.pid}`)).toHaveLength(existsSync("/sys/fs/cgroup/systemd/cgroup.procs") ? 1 : 0);
    child.kill("SIGTERM");
    const code = await done;
    expect(code).not.toBe(0); // nspawn reports the container it had to stop
    await until(() => !linkExists("ve-rlt3x") && !sleeping(4205));
  });

  it.each([
    ["SIGINT", 4206],
    ["SIGHUP", 4208], // becomes SIGTERM: nspawn would die of SIGHUP and orphan the container
  ] as const)("%s stops the container too", async (signal, n) => {
    const child = spawn(SHIM, ["-D", rootfs, "-M", "rlt3y", "/bin/sh", "-c", `sleep ${n} & wait`], { stdio: "ignore" });
    children.push(child);
    shimPids.push(child.pid!);
    const done = new Promise<void>((r) => child.on("exit", () => r()));
    await until(() => sleeping(n));
    child.kill(signal);
    await done;
    await until(() => !sleeping(n));
  });

  it("an nspawn killed with SIGKILL does not leave its container running", async () => {
    const child = spawn(SHIM, ["-D", rootfs, "-M", "rlt3z", "/bin/sh", "-c", "sleep 4209 & wait"], { stdio: "ignore" });
    children.push(child);
    shimPids.push(child.pid!);
    const done = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    await until(() => sleeping(4209));
    const nspawn = spawnSync("pgrep", ["-P", String(child.pid), "-x", "systemd-nspawn"], { encoding: "utf8" }).stdout.trim();
    expect(nspawn).toMatch(/^\d+$/);
    process.kill(Number(nspawn), "SIGKILL");
    expect(await done).toBe(137);
    await until(() => !sleeping(4209));
  });

  it("leaves no cgroup dirs, no /run/systemd/nspawn entries and no lock files", () => {
    const mine = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((n) => shimPids.some((p) => n === `rootlab-nspawn-${p}`)) : []);
    for (const h of ["/sys/fs/cgroup/systemd", "/sys/fs/cgroup/unified", "/sys/fs/cgroup"]) expect(mine(h)).toEqual([]);
    for (const d of ["/run/systemd/nspawn/propagate", "/run/systemd/nspawn/locks"]) {
      expect(existsSync(d) ? readdirSync(d).filter((n) => n.includes("rlt3")) : []).toEqual([]);
    }
    expect(readdirSync(scratch).filter((n) => n.endsWith(".lck"))).toEqual([]);
    for (const f of ["etc/resolv.conf", "etc/localtime", "var/log/journal"]) expect(existsSync(join(rootfs, f))).toBe(false);
  });
});

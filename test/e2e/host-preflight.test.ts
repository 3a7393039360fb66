// checkRequires and probeMachine on the real machine, compared with independent looks at the same facts.
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { checkRequires, probeMachine } from "../../src/host/preflight.js";
import type { Requires } from "../../src/format/types.js";
import { describeAsRoot, isRoot } from "../helpers/root.js";

const none: Requires = { root: false, commands: [], kernel: [], systemd: false, network: false };
const byNeed = async (req: Partial<Requires>) => Object.fromEntries((await checkRequires({ ...none, ...req })).map((i) => [i.need, i]));

describe("checkRequires", () => {
  it("asks nothing of a lab that needs nothing", async () => expect(await checkRequires(none)).toEqual([]));

  it("root", async () => {
    const items = await byNeed({ root: true });
    expect(items.root?.met).toBe(isRoot);
    if (!isRoot) expect(items.root?.fix).toMatch(/^run as root: sudo rootlab/);
  });

  it("commands: found on PATH, through the shims, or with an apt-get fix", async () => {
    const items = await byNeed({ commands: ["ip", "systemd-nspawn", "rlt3-missing", "busybox"] });
    expect(items["command ip"]).toEqual({ need: "command ip", met: true });
    expect(items["command systemd-nspawn"]?.met).toBe(existsSync("/usr/bin/systemd-nspawn"));
    expect(items["command rlt3-missing"]).toMatchObject({ met: false, fix: expect.stringContaining('"rlt3-missing"') });
    expect(items["command busybox"]?.met).toBe(true);
  });

  it("systemd as PID 1 is exactly /run/systemd/system", async () => {
    const item = (await byNeed({ systemd: true }))["systemd as PID 1"];
    expect(item?.met).toBe(existsSync("/run/systemd/system"));
    if (!item?.met) expect(item?.fix).toContain(`this machine's PID 1 is ${readFileSync("/proc/1/comm", "utf8").trim()}`);
  });

  it("network is met only when declared with ROOTLAB_ONLINE=1", async () => {
    const saved = process.env.ROOTLAB_ONLINE;
    try {
      delete process.env.ROOTLAB_ONLINE;
      expect((await byNeed({ network: true }))["network (internet)"]).toMatchObject({ met: false, fix: expect.stringContaining("ROOTLAB_ONLINE=1") });
      process.env.ROOTLAB_ONLINE = "1";
      expect((await byNeed({ network: true }))["network (internet)"]).toEqual({ need: "network (internet)", met: true });
    } finally {
      if (saved === undefined) delete process.env.ROOTLAB_ONLINE;
      else process.env.ROOTLAB_ONLINE = saved;
    }
  });
});

describeAsRoot("kernel probes", () => {
  it("agree with the machine, leave no probe netns or link behind, and are cached", async () => {
    const items = await byNeed({ kernel: ["netns", "veth", "bridge", "overlay", "aufs", "userns", "pidns", "mntns", "utsns", "ipcns", "cgroupns", "cgroup1", "cgroup2", "nftables", "iptables"] });
    const fs = readFileSync("/proc/filesystems", "utf8");
    expect(items["kernel overlay"]?.met).toBe(/\boverlay\b/.test(fs) || existsSync(`/lib/modules/${spawnSync("uname", ["-r"]).stdout.toString().trim()}/kernel/fs/overlayfs`));
    expect(items["kernel aufs"]?.met).toBe(/\baufs\b/.test(fs));
    if (!items["kernel aufs"]?.met) expect(items["kernel aufs"]?.fix).toContain("overlayfs");
    const cgroupType = spawnSync("stat", ["-fc", "%T", "/sys/fs/cgroup"]).stdout.toString().trim();
    expect(items["kernel cgroup2"]?.met).toBe(cgroupType === "cgroup2fs");
    expect(items["kernel cgroup1"]?.met).toBe(cgroupType === "tmpfs");
    for (const f of ["netns", "veth", "bridge", "userns", "pidns", "mntns", "utsns", "ipcns"]) expect(items[`kernel ${f}`]).toEqual({ need: `kernel ${f}`, met: true });
    expect(items["kernel nftables"]?.met).toBe(spawnSync("nft", ["list", "tables"]).status === 0);
    expect(spawnSync("ip", ["netns", "list"]).stdout.toString()).not.toContain("rl-probe");
    expect(spawnSync("ip", ["-o", "link"]).stdout.toString()).not.toContain("rl-probe");
    const t = Date.now();
    await byNeed({ kernel: ["netns", "veth", "bridge"] });
    expect(Date.now() - t).toBeLessThan(20); // cached for the life of the process
  });

  it("probeMachine reports the facts the cookbook's preflight collects", async () => {
    const m = await probeMachine();
    expect(m.pid1).toBe(readFileSync("/proc/1/comm", "utf8").trim());
    expect(m.systemdBooted).toBe(existsSync("/run/systemd/system"));
    expect(m.runFsType).toBe(spawnSync("findmnt", ["-no", "FSTYPE", "-T", existsSync("/run/systemd") ? "/run/systemd" : "/run"]).stdout.toString().trim());
    expect(m.rootPropagation).toBe(spawnSync("findmnt", ["-no", "PROPAGATION", "/"]).stdout.toString().trim());
    expect(m.kernelRelease).toBe(spawnSync("uname", ["-r"]).stdout.toString().trim());
    expect(m.root).toBe(true);
    expect(m.tools.ip).toMatch(/iproute2/);
    expect(m.tools.busybox).toMatch(/^BusyBox v/);
    expect(m.features.veth).toEqual({ state: "yes" });
  });
});

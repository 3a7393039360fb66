// Leaks on the real machine: create one of each kind (names carry rlt3), see each named, reclaim them.
// Other work may run on this machine at the same time, so only our own names are asserted and reclaimed.
import { afterAll, beforeAll, expect, it } from "vitest";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { findLeaks, reclaimLeaks, snapshotHost, type HostSnapshot } from "../../src/host/leaks.js";
import type { Leak } from "../../src/exec/types.js";
import { describeAsRoot } from "../helpers/root.js";

const RUN_ID = `rlt3-${randomBytes(4).toString("hex")}`;
const NETNS = "rlt3-red";
const VETH = ["rlt3-v0", "rlt3-v1"];
const TABLE = "rlt3leak";
const CGROUP = existsSync("/sys/fs/cgroup/pids/cgroup.procs") ? "/sys/fs/cgroup/pids/rlt3-leak" : "/sys/fs/cgroup/rlt3-leak";
const SRV_DIR = "/srv/rlt3-leakdir";
let mnt = "";
const pids: number[] = [];
let before: HostSnapshot;
let leaks: Leak[] = [];

const quiet = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: "ignore" });

function alive(pid: number): boolean {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

async function until(cond: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describeAsRoot("leaks", () => {
  beforeAll(async () => {
    before = await snapshotHost();
    execFileSync("ip", ["netns", "add", NETNS]);
    execFileSync("ip", ["link", "add", VETH[0]!, "type", "veth", "peer", "name", VETH[1]!]);
    mnt = mkdtempSync("/tmp/rlt3-leakmnt-");
    execFileSync("mount", ["-t", "tmpfs", "rlt3", mnt]);
    execFileSync("nft", ["add", "table", "inet", TABLE]);
    mkdirSync(CGROUP);
    mkdirSync(SRV_DIR);
    writeFileSync(`${SRV_DIR}/.#rootfs.lck`, "");
    const env = { ...process.env, ROOTLAB_RUN_ID: RUN_ID };
    // A plain process with the run id, and unshare (with it) + sleep in a new pid namespace (without: env -i).
    for (const argv of [["sleep", "4203"], ["unshare", "-p", "-f", "env", "-i", "sleep", "4204"]]) {
      const child = spawn(argv[0]!, argv.slice(1), { env, detached: true, stdio: "ignore" });
      child.unref();
      pids.push(child.pid!);
    }
    await until(() => spawnSync("pgrep", ["-xf", "sleep 4204"]).status === 0);
    pids.push(Number(spawnSync("pgrep", ["-xf", "sleep 4204"]).stdout.toString().trim()));
  });

  afterAll(() => {
    for (const pid of pids) if (alive(pid)) process.kill(pid, "SIGKILL");
    quiet("ip", ["netns", "del", NETNS]);
    quiet("ip", ["link", "del", VETH[0]!]);
    if (mnt) {
      quiet("umount", ["-l", mnt]);
      rmSync(mnt, { recursive: true, force: true });
    }
    quiet("nft", ["delete", "table", "inet", TABLE]);
    quiet("nft", ["delete", "table", "netdev", TABLE]);
    quiet("ip", ["link", "del", "rlt3-d0"]);
    quiet("rmdir", [CGROUP]);
    rmSync(SRV_DIR, { recursive: true, force: true });
  });

  it("a snapshot takes less than 300 ms", async () => {
    const t = Date.now();
    await snapshotHost();
    expect(Date.now() - t).toBeLessThan(300);
  });

  it("names each leak", async () => {
    const after = await snapshotHost();
    leaks = findLeaks(before, after, RUN_ID).filter((l) => l.name.includes("rlt3") || pids.some((p) => l.name.startsWith(`${p} `)));
    const names = leaks.map((l) => `${l.kind} ${l.name}`);
    expect(names).toEqual(
      expect.arrayContaining([
        `netns ${NETNS}`,
        `link ${VETH[0]}`,
        `link ${VETH[1]}`,
        `mount ${mnt} (tmpfs)`,
        `file ${mnt}`,
        `firewall table inet ${TABLE}`,
        `cgroup ${CGROUP}`,
        `file ${SRV_DIR}`,
        `file ${SRV_DIR}/.#rootfs.lck`,
        `process ${pids[0]} sleep`,
        `process ${pids[1]} unshare`,
        `process ${pids[2]} sleep`,
      ]),
    );
    expect(names.filter((n) => n.startsWith("netns") || n.startsWith("file /run/netns"))).toEqual([`netns ${NETNS}`]);
    const self = findLeaks(before, after, RUN_ID).filter((l) => l.kind === "process" && l.name.startsWith(`${process.pid} `));
    expect(self).toEqual([]);
  });

  it("reclaims them all and reports nothing left", async () => {
    expect(leaks.length).toBeGreaterThanOrEqual(12);
    const left = await reclaimLeaks(leaks);
    expect(left).toEqual([]);
    for (const pid of pids) expect(alive(pid)).toBe(false);
    expect(existsSync(`/run/netns/${NETNS}`)).toBe(false);
    expect(spawnSync("ip", ["link", "show", VETH[0]!]).status).not.toBe(0);
    expect(readFileSync("/proc/self/mountinfo", "utf8")).not.toContain(mnt);
    expect(spawnSync("nft", ["list", "table", "inet", TABLE]).status).not.toBe(0);
    for (const p of [CGROUP, mnt, SRV_DIR]) expect(existsSync(p)).toBe(false);
    const again = findLeaks(before, await snapshotHost(), RUN_ID).filter((l) => l.name.includes("rlt3"));
    expect(again).toEqual([]);
  });

  it("reclaims from names alone (leaks read back from a JSON report)", async () => {
    execFileSync("nft", ["add", "table", "inet", TABLE]);
    execFileSync("nft", ["add", "chain", "inet", TABLE, "c"]);
    const mid = await snapshotHost();
    execFileSync("nft", ["add", "rule", "inet", TABLE, "c", "iifname", "rlt3-x", "counter", "accept"]);
    const found = findLeaks(mid, await snapshotHost(), RUN_ID).filter((l) => l.name.includes(TABLE));
    expect(found.map((l) => l.name)).toEqual([`rule inet ${TABLE} c: iifname "rlt3-x" counter accept`]);
    const fromJson = JSON.parse(JSON.stringify(found)) as Leak[];
    expect(await reclaimLeaks(fromJson)).toEqual([]);
    expect(execFileSync("nft", ["list", "chain", "inet", TABLE, "c"]).toString()).not.toContain("rlt3-x");
    execFileSync("nft", ["delete", "table", "inet", TABLE]);
  });

  it("a chain policy changed to drop is reported and put back", async () => {
    // An ingress chain on our own veth: its policy affects no one else's traffic.
    execFileSync("ip", ["link", "add", "rlt3-d0", "type", "veth", "peer", "name", "rlt3-d1"]);
    try {
      execFileSync("nft", ["add", "table", "netdev", TABLE]);
      execFileSync("nft", ["add", "chain", "netdev", TABLE, "c", '{ type filter hook ingress device "rlt3-d0" priority 0; policy accept; }']);
      const mid = await snapshotHost();
      execFileSync("nft", [`chain netdev ${TABLE} c { policy drop; }`]);
      const found = findLeaks(mid, await snapshotHost(), RUN_ID).filter((l) => l.name.includes(TABLE));
      expect(found.map((l) => l.name)).toEqual([`chain netdev ${TABLE} c changed: type filter hook ingress device "rlt3-d0" priority filter; policy accept; -> type filter hook ingress device "rlt3-d0" priority filter; policy drop;`]);
      expect(await reclaimLeaks(found)).toEqual([]);
      expect(execFileSync("nft", ["list", "chain", "netdev", TABLE, "c"]).toString()).toContain("policy accept;");
    } finally {
      quiet("nft", ["delete", "table", "netdev", TABLE]);
      quiet("ip", ["link", "del", "rlt3-d0"]);
    }
  });
});

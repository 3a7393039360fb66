// Best-effort removal of leaks, so the next lab starts clean. Order matters: processes first (they pin
// namespaces, mounts and cgroups), then mounts, loop devices (a mounted one cannot be detached), netns, links,
// firewall, cgroups, files. Returns what is still there.
import { readdirSync, rmdirSync, readFileSync, existsSync, statfsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Leak } from "./types.js";
import { leakDetails } from "./leak-details.js";
import { firewallKey, normaliseNftLine, parseNftRuleset, type FirewallEntry } from "./nft.js";
import { processAlive } from "./proc.js";
import { runCommand } from "./run.js";
import { unmountBelow } from "./workdir.js";
import { parseMountinfo } from "./mountinfo.js";
import { WATCHED_DIRS } from "./snapshot.js";

const ORDER: Leak["kind"][] = ["process", "mount", "loop", "netns", "link", "firewall", "cgroup", "file"];

async function waitUntil(cond: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

function processOf(leak: Leak): { pid: number; startTime?: number } {
  const d = leakDetails.get(leak);
  if (d?.kind === "process") return { pid: d.pid, startTime: d.startTime };
  return { pid: Number(leak.name.split(" ")[0]) };
}

/** "TARGET (fstype)" -> TARGET */
function mountTarget(name: string): string {
  return name.replace(/ \([^()]*\)$/, "");
}

async function linkExists(name: string): Promise<boolean> {
  return (await runCommand("ip", ["link", "show", "dev", name])).ok;
}

function firewallEntryOf(leak: Leak): FirewallEntry | undefined {
  const d = leakDetails.get(leak);
  if (d?.kind === "firewall") return d.entry;
  let m = /^table (\S+) (\S+)$/.exec(leak.name);
  if (m) return { kind: "table", family: m[1] as string, table: m[2] as string };
  m = /^chain (\S+) (\S+) (\S+)$/.exec(leak.name);
  if (m) return { kind: "chain", family: m[1] as string, table: m[2] as string, chain: m[3] as string, props: "" };
  m = /^rule (\S+) (\S+) (\S+): (.*)$/.exec(leak.name);
  if (m) return { kind: "rule", family: m[1] as string, table: m[2] as string, chain: m[3] as string, rule: m[4] as string };
  return undefined;
}

/** Deletes one rule by handle: the handle is looked up by the rule's normalised text. */
async function deleteRule(e: Extract<FirewallEntry, { kind: "rule" }>): Promise<void> {
  const listed = await runCommand("nft", ["-a", "list", "chain", e.family, e.table, e.chain]);
  if (!listed.ok) return;
  for (const line of listed.stdout.split("\n")) {
    const handle = /#\s*handle\s+(\d+)\s*$/.exec(line)?.[1];
    if (handle && normaliseNftLine(line) === e.rule) {
      await runCommand("nft", ["delete", "rule", e.family, e.table, e.chain, "handle", handle]);
      return;
    }
  }
}

async function reclaimFirewall(leak: Leak): Promise<void> {
  const d = leakDetails.get(leak);
  if (d?.kind === "chain-change") {
    const { family, table, chain, props } = d.change.before;
    await runCommand("nft", [`chain ${family} ${table} ${chain} { ${props} }`]);
    return;
  }
  const e = firewallEntryOf(leak);
  if (!e) return;
  if (e.kind === "table") await runCommand("nft", ["delete", "table", e.family, e.table]);
  else if (e.kind === "chain") {
    await runCommand("nft", ["flush", "chain", e.family, e.table, e.chain]);
    await runCommand("nft", ["delete", "chain", e.family, e.table, e.chain]);
  } else if (e.kind === "rule") await deleteRule(e);
  else await runCommand("nft", ["delete", e.type, e.family, e.table, e.name]);
}

async function firewallStillThere(leak: Leak): Promise<boolean> {
  const r = await runCommand("nft", ["list", "ruleset"]);
  if (!r.ok) return true;
  const now = parseNftRuleset(r.stdout);
  const d = leakDetails.get(leak);
  if (d?.kind === "chain-change") return now.some((e) => firewallKey(e) === firewallKey(d.change.after));
  const e = firewallEntryOf(leak);
  if (!e) return true;
  if (e.kind === "chain" && !leakDetails.has(leak)) return now.some((n) => n.kind === "chain" && n.family === e.family && n.table === e.table && n.chain === e.chain);
  return now.some((n) => firewallKey(n) === firewallKey(e));
}

/** TMPFS_MAGIC (statfs(2)): /sys/fs/cgroup itself on a cgroup v1 or hybrid host. */
const TMPFS_MAGIC = 0x01021994;

/**
 * A plain directory made on the tmpfs at /sys/fs/cgroup (cgroup v1: `mkdir /sys/fs/cgroup/NAME`, then maybe
 * `echo 20 > NAME/pids.max`, a plain file): removed with what it holds — unless something is mounted at or below
 * it (a controller mounted there is a cgroup, left to removeCgroupTree and reported when it stays).
 */
async function removePlainCgroupDir(dir: string): Promise<void> {
  if (dirname(dir) !== "/sys/fs/cgroup" || statfsSync(dir).type !== TMPFS_MAGIC) return;
  const mounts = parseMountinfo(readFileSync("/proc/self/mountinfo", "utf8"));
  if (mounts.some((m) => m.target === dir || m.target.startsWith(`${dir}/`))) return;
  await rm(dir, { recursive: true, force: true });
}

/** Removes a cgroup subtree deepest first (a cgroup can only go once it has no processes and no children). */
function removeCgroupTree(dir: string): void {
  let children: string[] = [];
  try {
    children = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(dir, d.name));
  } catch {
    return;
  }
  for (const c of children) removeCgroupTree(c);
  try {
    rmdirSync(dir);
  } catch {
    /* still populated: reported as not reclaimed */
  }
}

/**
 * The systemd-nspawn shim's own cgroups (`rootlab-nspawn-PID`) whose shim is gone: rootlab's scaffolding, never
 * the lab's. The shim removes them itself when nspawn ends, but a shim stopped at the lab's end (its container
 * still running in the background) may not have finished; empty ones are removed here, before the leak check.
 */
export function removeOrphanShimCgroups(root = "/sys/fs/cgroup"): void {
  const walk = (dir: string, depth: number): void => {
    let dirs: string[] = [];
    try {
      dirs = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    } catch {
      return;
    }
    for (const name of dirs) {
      const m = /^rootlab-nspawn-(\d+)$/.exec(name);
      if (m && !processAlive(Number(m[1]))) removeCgroupTree(join(dir, name));
      else if (depth < 4) walk(join(dir, name), depth + 1);
    }
  };
  walk(root, 1);
}

async function reclaimOne(leak: Leak): Promise<boolean> {
  switch (leak.kind) {
    case "process": {
      const { pid, startTime } = processOf(leak);
      if (!processAlive(pid, startTime)) return true;
      try {
        process.kill(pid, "SIGKILL"); // PID 1 of a namespace and `unshare --fork` ignore SIGTERM
      } catch {
        /* gone meanwhile */
      }
      return waitUntil(() => !processAlive(pid, startTime), 2_000);
    }
    case "mount": {
      const target = mountTarget(leak.name);
      const fsType = /\(([^()]*)\)$/.exec(leak.name)?.[1];
      const count = () => parseMountinfo(readFileSync("/proc/self/mountinfo", "utf8")).filter((m) => m.target === target && (!fsType || m.fsType === fsType)).length;
      const before = count();
      if (before === 0) return true;
      const r = await runCommand("umount", [target]);
      if (!r.ok) await runCommand("umount", ["-l", target]);
      return count() < before;
    }
    case "loop": {
      const device = leak.name.split(" ")[0] ?? "";
      if (!/^\/dev\/loop\d+$/.test(device)) return false;
      await runCommand("losetup", ["-d", device]);
      return !existsSync(`/sys/block/${device.slice("/dev/".length)}/loop/backing_file`);
    }
    case "netns": {
      await runCommand("ip", ["netns", "del", leak.name]);
      return !existsSync(join("/run/netns", leak.name));
    }
    case "link": {
      if (await linkExists(leak.name)) await runCommand("ip", ["link", "del", "dev", leak.name]);
      return !(await linkExists(leak.name)); // deleting one end of a veth pair removes its peer too
    }
    case "firewall":
      await reclaimFirewall(leak);
      return !(await firewallStillThere(leak));
    case "cgroup":
      if (!leak.name.startsWith("/sys/fs/cgroup/")) return false;
      removeCgroupTree(leak.name);
      if (existsSync(leak.name)) await removePlainCgroupDir(leak.name);
      return !existsSync(leak.name);
    case "file": {
      // Only inside the folders the snapshot watches; never a parent of them.
      if (!WATCHED_DIRS.some((d) => leak.name.startsWith(`${d}/`))) return false;
      if ((await unmountBelow(leak.name)).length > 0) return false;
      await rm(leak.name, { recursive: true, force: true }).catch(() => undefined);
      return !existsSync(leak.name);
    }
  }
}

/** Tries to remove every leak; returns the ones still there afterwards. */
export async function reclaimLeaks(leaks: Leak[]): Promise<Leak[]> {
  const left: Leak[] = [];
  // Deeper mounts (and cgroups, files) before the ones that contain them.
  const depth = (l: Leak) => l.name.split("/").length;
  const sorted = [...leaks].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind) || depth(b) - depth(a));
  for (const leak of sorted) {
    let gone = false;
    try {
      gone = await reclaimOne(leak);
    } catch {
      gone = false;
    }
    if (!gone) left.push(leak);
  }
  return left;
}

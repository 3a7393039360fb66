// A quick picture of the host's global state (< 300 ms): what a lab could leave behind (loop devices included). Taken before and after
// a lab; src/host/leaks.ts compares two of them. A few commands (ip, nft) and otherwise plain /proc and dir reads.
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync, type Dirent } from "node:fs";
import { join } from "node:path";
import { parseMountinfo } from "./mountinfo.js";
import { parseNftRuleset, type FirewallEntry } from "./nft.js";
import { readProcStat } from "./proc.js";
import { runCommand } from "./run.js";
import { cacheRoot, workRoot } from "./paths.js";

export interface ProcessRecord {
  pid: number;
  ppid: number;
  startTime: number;
  comm: string;
  /** e.g. "pid:[4026531836]" */
  pidNs: string;
  netNs: string;
  /** Value of ROOTLAB_RUN_ID in its environment (readable as root), if any. */
  runId?: string;
}

export interface HostSnapshot {
  takenAt: number;
  /** The process that took the snapshot (never reported as a leak). */
  selfPid: number;
  netns: string[];
  /** The namespace of each /run/netns name, by inode ("net:[4026532…]" → "rl-red"). */
  namedNetns: Record<string, string>;
  /** Link names in the snapshot taker's network namespace. */
  links: string[];
  mounts: { target: string; fsType: string }[];
  /** Attached loop devices: "/dev/loop3 (/var/tmp/x/disk.img)" (the device and its backing file). */
  loops: string[];
  processes: ProcessRecord[];
  /** Every pid/net namespace in use (by a process or a /run/netns name). */
  namespaces: string[];
  /** null when `nft list ruleset` could not run (not installed, not root). */
  firewall: FirewallEntry[] | null;
  cgroups: { path: string; pids: number[] }[];
  files: string[];
  /** Folders whose contents are rootlab's own (work root, fixture cache): never leaks. */
  ownDirs: string[];
}

/** Top-level entries of these folders are compared; `.#NAME.lck` files one level further down too. */
export const WATCHED_DIRS = ["/tmp", "/var/tmp", "/srv", "/opt", "/mnt", "/run/netns", "/var/lib/machines", "/etc/systemd/nspawn", "/run/systemd/nspawn/propagate", "/run/systemd/nspawn/locks", "/run/rootlab"];
const CGROUP_ROOT = "/sys/fs/cgroup";
const CGROUP_DEPTH = 4;

function entries(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

function readlinkQuiet(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return "";
  }
}

function runIdOf(pid: number): string | undefined {
  const key = "ROOTLAB_RUN_ID=";
  try {
    for (const item of readFileSync(`/proc/${pid}/environ`, "latin1").split("\0")) {
      if (item.startsWith(key)) return item.slice(key.length);
    }
  } catch {
    /* gone, or not readable without root */
  }
  return undefined;
}

function readProcesses(): ProcessRecord[] {
  const out: ProcessRecord[] = [];
  for (const d of entries("/proc")) {
    if (!/^\d+$/.test(d.name)) continue;
    const pid = Number(d.name);
    const stat = readProcStat(pid);
    if (!stat || stat.state === "Z") continue;
    const runId = runIdOf(pid);
    out.push({
      pid,
      ppid: stat.ppid,
      startTime: stat.startTime,
      comm: stat.comm,
      pidNs: readlinkQuiet(`/proc/${pid}/ns/pid`),
      netNs: readlinkQuiet(`/proc/${pid}/ns/net`),
      ...(runId !== undefined ? { runId } : {}),
    });
  }
  return out;
}

function readCgroups(): { path: string; pids: number[] }[] {
  const out: { path: string; pids: number[] }[] = [];
  // With systemd as PID 1, a slice (machine.slice, made for the first nspawn machine) is systemd's, holds no
  // process of its own and stays after the lab: not a leak. What runs below it (a machine's scope) still counts.
  const systemdSlices = existsSync("/run/systemd/system");
  const walk = (dir: string, depth: number) => {
    for (const d of entries(dir)) {
      if (!d.isDirectory()) continue;
      const path = join(dir, d.name);
      if (systemdSlices && d.name.endsWith(".slice")) {
        if (depth < CGROUP_DEPTH) walk(path, depth + 1);
        continue;
      }
      let pids: number[] = [];
      try {
        pids = readFileSync(join(path, "cgroup.procs"), "utf8").split("\n").filter(Boolean).map(Number);
      } catch {
        /* not a cgroup dir we can read */
      }
      out.push({ path, pids });
      if (depth < CGROUP_DEPTH) walk(path, depth + 1);
    }
  };
  const unifiedOnly = entries(CGROUP_ROOT).some((d) => d.name === "cgroup.procs");
  if (unifiedOnly) walk(CGROUP_ROOT, 1);
  else {
    // cgroup v1 (or hybrid): /sys/fs/cgroup is a tmpfs holding one mount per controller. Each entry there counts
    // too, not only what is below it: `mkdir /sys/fs/cgroup/NAME` makes a plain directory (no cgroup) that outlives
    // the lab, and a leak check that walked only the controllers said nothing was left behind.
    for (const h of entries(CGROUP_ROOT)) {
      if (!h.isDirectory()) continue;
      out.push({ path: join(CGROUP_ROOT, h.name), pids: [] });
      walk(join(CGROUP_ROOT, h.name), 1);
    }
  }
  return out;
}

function readFiles(): string[] {
  const out: string[] = [];
  for (const dir of WATCHED_DIRS) {
    for (const d of entries(dir)) {
      const path = join(dir, d.name);
      out.push(path);
      if (!d.isDirectory() || dir.startsWith("/run/")) continue;
      for (const inner of entries(path)) if (/^\.#.*\.lck$/.test(inner.name)) out.push(join(path, inner.name));
    }
  }
  return out;
}

/** What `losetup -a` lists, from /sys: a loop device is attached when it has a backing file. */
function readLoops(): string[] {
  const out: string[] = [];
  for (const d of entries("/sys/block")) {
    if (!d.name.startsWith("loop")) continue;
    try {
      out.push(`/dev/${d.name} (${readFileSync(join("/sys/block", d.name, "loop/backing_file"), "utf8").trim()})`);
    } catch {
      /* not attached */
    }
  }
  return out;
}

/** Each /run/netns name's namespace, as /proc/PID/ns/net shows it ("net:[INODE]") → its name. */
function netnsInodes(): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const d of entries("/run/netns")) {
    try {
      ids[`net:[${statSync(join("/run/netns", d.name)).ino}]`] = d.name;
    } catch {
      /* vanished meanwhile */
    }
  }
  return ids;
}

async function readLinks(): Promise<string[]> {
  const r = await runCommand("ip", ["-j", "link", "show"], { timeoutMs: 10_000 });
  if (!r.ok) return [];
  try {
    return (JSON.parse(r.stdout) as { ifname: string }[]).map((l) => l.ifname);
  } catch {
    return [];
  }
}

async function readFirewall(): Promise<FirewallEntry[] | null> {
  const r = await runCommand("nft", ["list", "ruleset"], { timeoutMs: 10_000 });
  return r.ok ? parseNftRuleset(r.stdout) : null;
}

export async function snapshotHost(): Promise<HostSnapshot> {
  const takenAt = Date.now();
  const [links, firewall] = await Promise.all([readLinks(), readFirewall()]);
  const processes = readProcesses();
  const namedNetns = netnsInodes();
  const namespaces = new Set<string>(Object.keys(namedNetns));
  for (const p of processes) {
    if (p.pidNs) namespaces.add(p.pidNs);
    if (p.netNs) namespaces.add(p.netNs);
  }
  return {
    takenAt,
    selfPid: process.pid,
    netns: entries("/run/netns").map((d) => d.name),
    namedNetns,
    links,
    mounts: parseMountinfo(readFileSync("/proc/self/mountinfo", "utf8")).map((m) => ({ target: m.target, fsType: m.fsType })),
    loops: readLoops(),
    processes,
    namespaces: [...namespaces],
    firewall,
    cgroups: readCgroups(),
    files: readFiles(),
    ownDirs: [workRoot(), cacheRoot()],
  };
}

// A view of what a lab can have touched: the host's and the sessions' namespaces (with friendly names), those the
// lab keeps with no process in them (nsfs bind mounts, open descriptors: ./pins-read.ts), each network namespace's
// links, addresses, routes and firewall, each mount namespace's mounts, each session's root, PID and hostname, the
// cgroups and loop devices the lab made. Plain /proc and /sys reads plus one `ip`/`nft` process tree per network
// namespace, in parallel: a snapshot costs a few tens of milliseconds.
import { readdirSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { hostname as hostHostname } from "node:os";
import { parseMountinfo } from "../host/mountinfo.js";
import { runCommand } from "../host/run.js";
import { readCgroupLimits } from "./cgroups-read.js";
import { pairVeths, readNetns, type NetnsHandle } from "./netns-read.js";
import { choosePins, fdPins, nsfsMounts, type PinFound } from "./pins-read.js";
import { isLabProcess, pickHolders, readProcesses, type ProcInfo } from "./processes-read.js";
import type { HolderView, MachineView, MountView, NetnsView, ObservedSession, PinView, SessionView } from "./types.js";

const KINDS = ["net", "mnt", "pid", "uts", "user", "cgroup", "ipc"] as const;

function nsOf(pid: number | "self", kind: string): string {
  try {
    return readlinkSync(`/proc/${pid}/ns/${kind}`);
  } catch {
    return "";
  }
}

function namedNetns(): { name: string; inode: string }[] {
  let names: string[] = [];
  try {
    names = readdirSync("/run/netns");
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    try {
      return [{ name, inode: `net:[${statSync(`/run/netns/${name}`).ino}]` }];
    } catch {
      return [];
    }
  });
}

function innerPid(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith("NSpid:"));
    return Number(line?.trim().split(/\s+/).pop() ?? pid);
  } catch {
    return pid;
  }
}

function mountsOf(pid: number | "self"): ReturnType<typeof parseMountinfo> {
  try {
    return parseMountinfo(readFileSync(`/proc/${pid}/mountinfo`, "utf8"));
  } catch {
    return [];
  }
}

/** Host mounts a lab can make: below its own folder, named netns, machines, /mnt. */
function hostMountOfLab(target: string, labDir: string): boolean {
  return target.startsWith(`${labDir}/`) || target === labDir || /^\/(run\/netns|var\/lib\/machines|mnt)(\/|$)/.test(target);
}

/**
 * Attached loop devices whose backing file lies in LABDIR, as `losetup -a` names them: "/dev/loop3 (FILE)". Read
 * from /sys (one small file per loop device), so it costs no process.
 */
function labLoops(labDir: string): string[] {
  const out: string[] = [];
  let names: string[] = [];
  try {
    names = readdirSync("/sys/block").filter((n) => n.startsWith("loop"));
  } catch {
    return out;
  }
  for (const name of names) {
    try {
      const backing = readFileSync(`/sys/block/${name}/loop/backing_file`, "utf8").trim();
      if (backing.startsWith(`${labDir}/`)) out.push(`/dev/${name} (${backing})`);
    } catch {
      /* not attached */
    }
  }
  return out.sort();
}

export interface ObserveOptions {
  sessions: ObservedSession[];
  labDir: string;
  /** Cgroups that existed before the lab: only the lab's own are shown. */
  baselineCgroups?: Set<string>;
  /** The lab's text: a new cgroup is the lab's when the lab names it (./cgroups-read.ts). */
  labSource?: string;
  /** Read firewall rules too (one more process per namespace: only for labs that use nft or iptables). */
  firewall?: boolean;
  /**
   * Namespaces some process was in before the lab, and when the lab began (clock ticks, ./processes-read.ts):
   * with them, processes the lab started outside its sessions that hold new namespaces are watched too.
   */
  baselineNamespaces?: Set<string>;
  since?: number;
  /** The run's ROOTLAB_RUN_ID: a daemon that kept it in its environment is the lab's wherever it was reparented. */
  runId?: string;
}

type Mounts = ReturnType<typeof parseMountinfo>;

const KIND_WORD: Record<string, string> = { mnt: "mount" };

/** The lab's processes outside its sessions that hold new namespaces, each namespace named after one of them. */
function findHolders(opts: ObserveOptions, names: Map<string, string>, live: ObservedSession[]): { holders: Holder[]; lab: ProcInfo[] } {
  if (!opts.baselineNamespaces || opts.since === undefined) return { holders: [], lab: [] };
  const lab = { sessions: live.map((s) => s.pid), self: process.pid, since: opts.since, ...(opts.runId ? { runId: opts.runId } : {}) };
  // Namespaces are read for the lab's processes only: the rest of the machine costs one small read a process.
  const procs = readProcesses((p, byPid) => isLabProcess(p, byPid, lab));
  const known = new Set([...opts.baselineNamespaces, ...names.keys()]);
  const picks = pickHolders(procs, { known, ...lab });
  const command = new Map(procs.map((p) => [p.pid, p.command]));
  const holders = picks.map((h) => {
    for (const [kind, inode] of Object.entries(h.held)) names.set(inode, `PID ${h.pid}'s ${KIND_WORD[kind] ?? kind} namespace`);
    return { pid: h.pid, command: command.get(h.pid) ?? "?", held: h.held as Record<string, string> };
  });
  return { holders, lab: procs.filter((p) => p.ns.mnt !== undefined) };
}

type Holder = { pid: number; command: string; held: Record<string, string> };

/** Names the pins not named yet (./pins-read.ts) and makes their network namespaces readable. */
function namePins(found: PinFound[], names: Map<string, string>, netHandles: Map<string, NetnsHandle>, opts: ObserveOptions): PinView[] {
  // What was pinned before the lab (a runtime's /run/docker/netns/…) is not the lab's, and costs nothing to skip.
  const pins = choosePins(found, new Set([...(opts.baselineNamespaces ?? []), ...names.keys()]), opts.labDir);
  for (const p of pins) {
    names.set(p.inode, p.name);
    if (p.kind === "net" && !netHandles.has(p.inode)) netHandles.set(p.inode, { kind: "path", path: p.via });
  }
  return pins;
}

export async function observeMachine(opts: ObserveOptions): Promise<MachineView> {
  // Friendly names: the host's own namespaces, then named netns, then "<session>'s <kind> namespace".
  const names = new Map<string, string>();
  for (const kind of KINDS) names.set(nsOf("self", kind), "host");
  const netHandles = new Map<string, NetnsHandle>([[nsOf("self", "net"), { kind: "host" }]]);
  for (const n of namedNetns()) {
    if (!names.has(n.inode)) names.set(n.inode, `netns ${n.name}`);
    if (!netHandles.has(n.inode)) netHandles.set(n.inode, { kind: "named", name: n.name });
  }
  const live = opts.sessions.filter((s) => nsOf(s.pid, "net") !== "");
  // Namespaces kept by a bind mount, in the host's mount table or a session's own, are named before the sessions
  // that may enter them ("box: in net namespace at $LAB_DIR/ns").
  const hostMnt = nsOf("self", "mnt");
  const hostTable = mountsOf("self");
  const tables = new Map(live.map((s) => [s.pid, mountsOf(s.pid)]));
  const mountPins = nsfsMounts(hostTable);
  for (const s of live) {
    const mnt = nsOf(s.pid, "mnt");
    if (mnt !== hostMnt) mountPins.push(...nsfsMounts(tables.get(s.pid) ?? [], { in: names.get(mnt) ?? `${s.name}'s mount namespace`, root: `/proc/${s.pid}/root` }));
  }
  const pins = namePins(mountPins, names, netHandles, opts);
  for (const s of live) {
    for (const kind of KINDS) {
      const inode = nsOf(s.pid, kind);
      if (inode && !names.has(inode)) names.set(inode, `${s.name}'s ${kind === "mnt" ? "mount" : kind} namespace`);
    }
    const net = nsOf(s.pid, "net");
    if (!netHandles.has(net)) netHandles.set(net, { kind: "pid", pid: s.pid });
  }
  const { holders: found, lab } = findHolders(opts, names, live);
  for (const h of found) if (h.held.net && !netHandles.has(h.held.net)) netHandles.set(h.held.net, { kind: "pid", pid: h.pid });
  // Then what only the lab's processes keep: a bind mount inside a container's mount namespace, an open descriptor.
  const holderTables = new Map(found.map((h) => [h.pid, mountsOf(h.pid)]));
  const laterPins = found.flatMap((h) => (h.held.mnt ? nsfsMounts(holderTables.get(h.pid) ?? [], { in: names.get(h.held.mnt) ?? "?", root: `/proc/${h.pid}/root` }) : []));
  for (const p of lab) laterPins.push(...fdPins(p.pid, p.command));
  pins.push(...namePins(laterPins, names, netHandles, opts));

  const netInodes = [...netHandles.keys()];
  // Hostnames (one nsenter each) are asked for alongside the network namespaces, not after them.
  const holderNames = Promise.all(found.map((h) => (h.held.uts ? hostnameOf(h.pid) : Promise.resolve(""))));
  // A new UTS namespace starts with the host's name ("box: hostname is vm" was no news): only another name is.
  const sameAsHost = (name: string) => (name === hostHostname() ? "" : name);
  const sessionNames = Promise.all(live.map(async (s) => (nsOf(s.pid, "uts") === nsOf("self", "uts") ? "" : sameAsHost(await hostnameOf(s.pid)))));
  const raws = await Promise.all(netInodes.map((inode) => readNetns(netHandles.get(inode) as NetnsHandle, Boolean(opts.firewall))));
  const netns: NetnsView[] = [];
  netInodes.forEach((inode, i) => {
    const raw = raws[i];
    if (raw) netns.push({ name: names.get(inode) ?? inode, inode, ...raw });
  });
  pairVeths(netns);

  const view = (m: (typeof hostTable)[number]): MountView => ({ target: m.target, source: m.source, fsType: m.fsType, propagation: m.propagation, root: m.root, options: `${m.options} ${m.superOptions}` });
  const hostMounts = hostTable.map(view);
  const mounts: Record<string, MountView[]> = { host: hostTable.filter((m) => hostMountOfLab(m.target, opts.labDir)).map(view) };
  const hostRoot = hostTable.find((m) => m.target === "/");
  const sessions: SessionView[] = [];
  const hostnames = await sessionNames;
  for (const [k, s] of live.entries()) {
    const mnt = nsOf(s.pid, "mnt");
    const own = tables.get(s.pid) ?? [];
    if (mnt !== hostMnt) mounts[names.get(mnt) ?? mnt] ??= own.map(view);
    const namespaces: Record<string, string> = {};
    const inodes: Record<string, string> = {};
    for (const kind of KINDS) {
      inodes[kind] = nsOf(s.pid, kind);
      namespaces[kind] = names.get(inodes[kind]) ?? "?";
    }
    sessions.push({
      name: s.name,
      hostPid: s.pid,
      innerPid: innerPid(s.pid),
      namespaces,
      inodes,
      root: rootOf(s.pid, own, hostRoot, hostTable),
      hostname: hostnames[k] ?? "",
    });
  }
  const holderHostnames = await holderNames;
  const holders: HolderView[] = found.map((h, k) => {
    const own = holderTables.get(h.pid) ?? [];
    if (h.held.mnt) mounts[names.get(h.held.mnt) ?? h.held.mnt] ??= own.map(view);
    return { pid: h.pid, command: h.command, innerPid: innerPid(h.pid), inodes: h.held, root: rootOf(h.pid, own, hostRoot, hostTable), hostname: sameAsHost(holderHostnames[k] ?? "") };
  });
  return { netns, mounts, hostMounts, sessions, holders, pins, cgroups: readCgroupLimits(opts.baselineCgroups, opts.labSource), loops: labLoops(opts.labDir) };
}

/**
 * The process's root: a chroot shows in /proc/PID/root; after pivot_root, the host's mount of the same filesystem
 * (a runtime's overlay at …/rootfs), else the "/" mount's source and folder.
 */
function rootOf(pid: number, own: Mounts, hostRoot: Mounts[number] | undefined, hostTable: Mounts): string {
  let link = "/";
  try {
    link = readlinkSync(`/proc/${pid}/root`);
  } catch {
    /* gone */
  }
  if (link !== "/") return link;
  const slash = own.find((m) => m.target === "/");
  if (!slash || !hostRoot || (slash.source === hostRoot.source && slash.root === hostRoot.root && slash.fsType === hostRoot.fsType)) return "/";
  // The same superblock options (an overlay's lowerdir/upperdir) and folder: the very tree the host has mounted there.
  const same = hostTable.find((m) => m.target !== "/" && m.fsType === slash.fsType && m.source === slash.source && m.root === slash.root && m.superOptions === slash.superOptions);
  if (same) return `${same.target} (${slash.fsType})`;
  return slash.root === "/" ? `${slash.source} (${slash.fsType})` : `${slash.root} (on ${slash.source})`;
}

async function hostnameOf(pid: number): Promise<string> {
  const r = await runCommand("nsenter", [`--uts=/proc/${pid}/ns/uts`, "hostname"], { timeoutMs: 5_000 });
  return r.ok ? r.stdout.trim() : "";
}

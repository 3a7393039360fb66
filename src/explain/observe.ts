// A view of what a lab can have touched: the host's and the sessions' namespaces (with friendly names), each
// network namespace's links, addresses, routes and firewall, each mount namespace's mounts, each session's root,
// PID and hostname, the cgroups and loop devices the lab made. Plain /proc and /sys reads plus one `ip`/`nft` process tree
// per network namespace, in parallel: a snapshot costs a few tens of milliseconds.
import { readdirSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { hostname as hostHostname } from "node:os";
import { parseMountinfo } from "../host/mountinfo.js";
import { runCommand } from "../host/run.js";
import { readCgroupLimits } from "./cgroups-read.js";
import { readNetns, type NetnsHandle } from "./netns-read.js";
import { isLabProcess, pickHolders, readProcesses } from "./processes-read.js";
import type { HolderView, MachineView, MountView, NetnsView, ObservedSession, SessionView } from "./types.js";

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
  /** Read firewall rules too (one more process per namespace: only for labs that use nft or iptables). */
  firewall?: boolean;
  /**
   * Namespaces some process was in before the lab, and when the lab began (clock ticks, ./processes-read.ts):
   * with them, processes the lab started outside its sessions that hold new namespaces are watched too.
   */
  baselineNamespaces?: Set<string>;
  since?: number;
}

type Mounts = ReturnType<typeof parseMountinfo>;

const KIND_WORD: Record<string, string> = { mnt: "mount" };

/** The lab's processes outside its sessions that hold new namespaces, each namespace named after one of them. */
function findHolders(opts: ObserveOptions, names: Map<string, string>, live: ObservedSession[]): { pid: number; command: string; held: Record<string, string> }[] {
  if (!opts.baselineNamespaces || opts.since === undefined) return [];
  const lab = { sessions: live.map((s) => s.pid), self: process.pid, since: opts.since };
  // Namespaces are read for the lab's processes only: the rest of the machine costs one small read a process.
  const procs = readProcesses((p, byPid) => isLabProcess(p, byPid, lab));
  const known = new Set([...opts.baselineNamespaces, ...names.keys()]);
  const picks = pickHolders(procs, { known, ...lab });
  const command = new Map(procs.map((p) => [p.pid, p.command]));
  return picks.map((h) => {
    for (const [kind, inode] of Object.entries(h.held)) names.set(inode, `PID ${h.pid}'s ${KIND_WORD[kind] ?? kind} namespace`);
    return { pid: h.pid, command: command.get(h.pid) ?? "?", held: h.held as Record<string, string> };
  });
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
  for (const s of live) {
    for (const kind of KINDS) {
      const inode = nsOf(s.pid, kind);
      if (inode && !names.has(inode)) names.set(inode, `${s.name}'s ${kind === "mnt" ? "mount" : kind} namespace`);
    }
    const net = nsOf(s.pid, "net");
    if (!netHandles.has(net)) netHandles.set(net, { kind: "pid", pid: s.pid });
  }
  const found = findHolders(opts, names, live);
  for (const h of found) if (h.held.net && !netHandles.has(h.held.net)) netHandles.set(h.held.net, { kind: "pid", pid: h.pid });

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

  const hostMnt = nsOf("self", "mnt");
  const hostTable = mountsOf("self");
  const view = (m: (typeof hostTable)[number]): MountView => ({ target: m.target, source: m.source, fsType: m.fsType, propagation: m.propagation, root: m.root, options: `${m.options} ${m.superOptions}` });
  const hostMounts = hostTable.map(view);
  const mounts: Record<string, MountView[]> = { host: hostTable.filter((m) => hostMountOfLab(m.target, opts.labDir)).map(view) };
  const hostRoot = hostTable.find((m) => m.target === "/");
  const sessions: SessionView[] = [];
  const hostnames = await sessionNames;
  for (const [k, s] of live.entries()) {
    const mnt = nsOf(s.pid, "mnt");
    const own = mountsOf(s.pid);
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
    const own = mountsOf(h.pid);
    if (h.held.mnt) mounts[names.get(h.held.mnt) ?? h.held.mnt] ??= own.map(view);
    return { pid: h.pid, command: h.command, innerPid: innerPid(h.pid), inodes: h.held, root: rootOf(h.pid, own, hostRoot, hostTable), hostname: sameAsHost(holderHostnames[k] ?? "") };
  });
  return { netns, mounts, hostMounts, sessions, holders, cgroups: readCgroupLimits(opts.baselineCgroups), loops: labLoops(opts.labDir) };
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

/** Each veth end learns its peer's name and namespace (ends point at each other by ifindex). */
function pairVeths(netns: NetnsView[]): void {
  for (const ns of netns) {
    for (const link of ns.links) {
      if (link.kind !== "veth") continue;
      if (!link.peerElsewhere) {
        const peer = link.peer?.name ?? ns.links.find((l) => l.ifindex === link.iflink)?.name;
        if (peer) link.peer = { name: peer, netns: ns.name };
        continue;
      }
      const match = netns.filter((o) => o !== ns).flatMap((o) => o.links.filter((l) => l.kind === "veth" && l.ifindex === link.iflink && l.iflink === link.ifindex).map((l) => ({ l, o })));
      if (match.length === 1 && match[0]) link.peer = { name: match[0].l.name, netns: match[0].o.name };
      else delete link.peer;
    }
  }
}

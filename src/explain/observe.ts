// A view of what a lab can have touched: the host's and the sessions' namespaces (with friendly names), each
// network namespace's links, addresses, routes and firewall, each mount namespace's mounts, each session's root,
// PID and hostname, the cgroups and loop devices the lab made. Plain /proc and /sys reads plus one `ip`/`nft` process tree
// per network namespace, in parallel: a snapshot costs a few tens of milliseconds.
import { readdirSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { parseMountinfo } from "../host/mountinfo.js";
import { runCommand } from "../host/run.js";
import { readCgroupLimits } from "./cgroups-read.js";
import { readNetns, type NetnsHandle } from "./netns-read.js";
import type { MachineView, MountView, NetnsView, ObservedSession, SessionView } from "./types.js";

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

  const netInodes = [...netHandles.keys()];
  const raws = await Promise.all(netInodes.map((inode) => readNetns(netHandles.get(inode) as NetnsHandle, Boolean(opts.firewall))));
  const netns: NetnsView[] = [];
  netInodes.forEach((inode, i) => {
    const raw = raws[i];
    if (raw) netns.push({ name: names.get(inode) ?? inode, inode, ...raw });
  });
  pairVeths(netns);

  const hostMnt = nsOf("self", "mnt");
  const hostTable = mountsOf("self");
  const view = (m: (typeof hostTable)[number]): MountView => ({ target: m.target, source: m.source, fsType: m.fsType, propagation: m.propagation, options: `${m.options} ${m.superOptions}` });
  const hostMounts = hostTable.map(view);
  const mounts: Record<string, MountView[]> = { host: hostTable.filter((m) => hostMountOfLab(m.target, opts.labDir)).map(view) };
  const hostRoot = hostTable.find((m) => m.target === "/");
  const sessions: SessionView[] = [];
  const hostnames = await Promise.all(live.map((s) => (nsOf(s.pid, "uts") === nsOf("self", "uts") ? "" : hostnameOf(s.pid))));
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
      root: rootOf(s.pid, own, hostRoot),
      hostname: hostnames[k] ?? "",
    });
  }
  return { netns, mounts, hostMounts, sessions, cgroups: readCgroupLimits(opts.baselineCgroups), loops: labLoops(opts.labDir) };
}

/** The session's root: a chroot shows in /proc/PID/root; after pivot_root, the "/" mount's source and folder. */
function rootOf(pid: number, own: ReturnType<typeof parseMountinfo>, hostRoot: ReturnType<typeof parseMountinfo>[number] | undefined): string {
  let link = "/";
  try {
    link = readlinkSync(`/proc/${pid}/root`);
  } catch {
    /* gone */
  }
  if (link !== "/") return link;
  const slash = own.find((m) => m.target === "/");
  if (!slash || !hostRoot || (slash.source === hostRoot.source && slash.root === hostRoot.root && slash.fsType === hostRoot.fsType)) return "/";
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

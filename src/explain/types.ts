// What the machine looks like to a lab (a view), and what a step changed. Types only.

/** A network interface as `ip -d -j addr` shows it, reduced to what a student can reason about. */
export interface LinkView {
  name: string;
  /** veth, bridge, dummy, loopback, … ("device" when the kernel names no kind). */
  kind: string;
  state: string;
  /** Bridge (or other master) the link is a port of. */
  master?: string;
  /** The other end of a veth: its name and the friendly name of its namespace. */
  peer?: { name: string; netns: string };
  addresses: string[];
  /** Kernel ifindex and peer ifindex (iflink), to pair veth ends across namespaces. */
  ifindex: number;
  iflink?: number;
  /** Set when the peer lives in another namespace (`link_netnsid`). */
  peerElsewhere?: boolean;
  /**
   * Its state is about to change by itself (./netns-read.ts `settling`): up with carrier but not yet reported as
   * up, or a bridge still without carrier though a port has it. Not compared: a view is taken again once it settles.
   */
  settling?: boolean;
}

export interface NetnsView {
  /** Friendly: "host", "netns rlv-ns1", "box's net namespace". */
  name: string;
  inode: string;
  links: LinkView[];
  routes: string[];
  /** `nft list ruleset` lines that define tables, chains and rules (null: nft could not run). */
  firewall: string[] | null;
}

export interface MountView {
  target: string;
  source: string;
  fsType: string;
  propagation: string;
  /** The folder of the filesystem mounted there ("/" for all of it; a bind's folder): a new root on the same disk differs here. */
  root?: string;
  /** Mount and superblock options ("ro,relatime ro,lowerdir=…"): a mount replaced in place with others is a change. */
  options?: string;
}

export interface SessionView {
  name: string;
  /** Host PID of the session's shell, and the PID it has in its own PID namespace. */
  hostPid: number;
  innerPid: number;
  /** Friendly names of the session's namespaces, by kind (net, mnt, pid, uts, user, cgroup, ipc). */
  namespaces: Record<string, string>;
  /** The same namespaces by identity ("net:[4026532001]"): a namespace that loses its name is still the same. */
  inodes: Record<string, string>;
  /** The session's root as its mount table says ("/" = the host's). */
  root: string;
  hostname: string;
}

export interface CgroupView {
  path: string;
  /** Limits written in the cgroup (memory.max, pids.max, cpu.max, memory.limit_in_bytes …) that are not "max". */
  limits: Record<string, string>;
  /** The processes in it (cgroup.procs), with what they run; absent in views recorded before. */
  procs?: ProcessRef[];
}

/** A process as a student finds it with ps: its host PID and what it runs (/proc/PID/comm). */
export interface ProcessRef {
  pid: number;
  command: string;
}

/**
 * A process the lab started, outside its sessions, that holds namespaces of its own: a container's first process
 * (`unshare … &`), a daemon. Its namespaces are named after it: "PID 4243's net namespace".
 */
export interface HolderView extends ProcessRef {
  /** Its PID inside its own PID namespace (1 for a container's first process). */
  innerPid: number;
  /** The namespaces it stands for, by kind (net, mnt, pid, uts, user, cgroup, ipc) → identity ("net:[…]"). */
  inodes: Record<string, string>;
  /** Its root as its mount table says ("/" = the host's). */
  root: string;
  /** Its hostname, when it has a UTS namespace of its own. */
  hostname: string;
}

/**
 * A namespace something other than a process in it keeps alive: a bind mount of its nsfs file (`unshare --net=FILE`,
 * `ip netns add` inside another mount namespace) or a lab process's open descriptor (./pins-read.ts). It keeps
 * that name when a session enters it later.
 */
export interface PinView {
  /** Identity ("net:[4026532290]"). */
  inode: string;
  kind: string;
  /** Friendly: "net namespace at $LAB_DIR/ns", "net namespace open in PID 4243". */
  name: string;
  /** "kept by a bind mount", "held open by PID 4243 (sleep)". */
  how: string;
  /** A path the host opens it by (not compared: /proc/PID/… changes with nothing else). */
  via: string;
}

export interface MachineView {
  netns: NetnsView[];
  /** Mount namespace friendly name → its mounts (the host's: only what lies under the lab's own folders). */
  mounts: Record<string, MountView[]>;
  /** The host's whole mount table: a new mount namespace starts as a copy of it, so it is compared with this. */
  hostMounts: MountView[];
  sessions: SessionView[];
  cgroups: CgroupView[];
  /** Processes the lab started outside its sessions that hold namespaces of their own; absent in views recorded before. */
  holders?: HolderView[];
  /** Namespaces kept by a bind mount or a descriptor, new since the lab began; absent in views recorded before. */
  pins?: PinView[];
  /** Attached loop devices whose backing file is the lab's ("/dev/loop3 (/var/tmp/…/disk.img)"); absent in views recorded before. */
  loops?: string[];
}

/** A documented vocabulary (docs/report-json.md). */
export type ChangeKind = "namespace" | "link" | "address" | "route" | "firewall" | "mount" | "loop" | "root" | "process" | "hostname" | "cgroup" | "limit";
export type ChangeAction = "added" | "removed" | "changed";

export interface Change {
  kind: ChangeKind;
  action: ChangeAction;
  /** What changed, e.g. "rlv-h1", "netns rlv-ns1", "/sys/fs/cgroup/rl-demo". */
  subject: string;
  /** The change in plain words, e.g. "+ veth rlv-h1 (host) ⇄ eth0 (netns rlv-ns1)". */
  text: string;
  /** The namespace (friendly name) it happened in, where that matters. */
  where?: string;
}

/** The lab's sessions as the engine knows them: what the observer needs, nothing of the engine itself. */
export interface ObservedSession {
  name: string;
  pid: number;
}

// Kernel feature probes for `requires: kernel:` and `rootlab doctor`. Each probe does the real thing once
// (create and delete a probe netns, a veth pair inside a throw-away network namespace, unshare each namespace
// type) and is cached for the life of the process. No probe sends traffic or touches the host's links.
import { existsSync, readFileSync, statfsSync } from "node:fs";
import { release } from "node:os";
import { randomBytes } from "node:crypto";
import type { KernelFeature } from "../format/types.js";
import { runCommand } from "./run.js";
import { parseMountinfo } from "./mountinfo.js";
import { isRoot } from "./paths.js";
import { probeNetnsName, sweepStaleProbesText } from "./probe-netns.js";

export type Probe =
  | { state: "yes"; detail?: string }
  | { state: "no"; detail: string }
  /** Could not be decided here, e.g. the probe needs root. */
  | { state: "unknown"; detail: string };

const NEEDS_ROOT = "probing this needs root: run `sudo rootlab doctor`";
const cache = new Map<KernelFeature, Promise<Probe>>();

export function probeFeature(feature: KernelFeature): Promise<Probe> {
  let p = cache.get(feature);
  if (!p) {
    p = PROBES[feature]().catch((err: unknown): Probe => ({ state: "unknown", detail: `the probe failed: ${(err as Error).message}` }));
    cache.set(feature, p);
  }
  return p;
}

export async function probeAllFeatures(features: readonly KernelFeature[]): Promise<Record<string, Probe>> {
  probeFeatures(features);
  const results = await Promise.all(features.map((f) => probeFeature(f)));
  return Object.fromEntries(features.map((f, i) => [f, results[i] as Probe]));
}

/** Short, unique probe names (link names are limited to 15 characters). */
const probeTag = `rl-probe${randomBytes(2).toString("hex")}`;

/** Without root, probes run inside a user namespace (they prove kernel support, not permission). */
const asUser = (): string[] => (isRoot() ? [] : ["-U", "-r"]);

/**
 * Each probe's work, all at once: one process instead of one per kind (each a fork of rootlab and an exec; `list`
 * made fourteen). If the whole succeeds, every part does; if not, each probe tries its own part to say which.
 */
let namespacesTogether: Promise<boolean> | undefined;
let linksTogether: Promise<boolean> | undefined;
const allNamespaces = (): Promise<boolean> =>
  (namespacesTogether ??= runCommand("unshare", [...asUser(), "-p", "-f", "-m", "-u", "-i", "-C", "true"], { timeoutMs: 10_000 }).then((r) => r.ok));
const allLinks = (): Promise<boolean> =>
  (linksTogether ??= runCommand("unshare", [...asUser(), "-n", "sh", "-c", `ip ${linkArgs("veth").join(" ")} && ip ${linkArgs("bridge").join(" ")}`], { timeoutMs: 10_000 }).then((r) => r.ok));

/** `unshare FLAG true`; without root inside a user namespace (proves kernel support, not permission). */
async function unshareProbe(flag: string, name: string): Promise<Probe> {
  if (await allNamespaces()) return { state: "yes" };
  const args = isRoot() ? [flag, ...(flag === "-p" ? ["-f"] : []), "true"] : ["-U", "-r", flag, ...(flag === "-p" ? ["-f"] : []), "true"];
  const r = await runCommand("unshare", args, { timeoutMs: 10_000 });
  if (r.ok) return { state: "yes" };
  if (!isRoot()) return { state: "unknown", detail: `${NEEDS_ROOT} (unshare ${args.join(" ")} failed without root)` };
  return { state: "no", detail: `cannot create a ${name} namespace: ${r.reason}` };
}

function linkArgs(kind: "veth" | "bridge"): string[] {
  return kind === "veth" ? ["link", "add", `${probeTag}v`, "type", "veth", "peer", "name", `${probeTag}p`] : ["link", "add", `${probeTag}b`, "type", "bridge"];
}

/** Creates a link inside a throw-away network namespace (gone when the command exits, nothing to clean up). */
async function linkProbe(kind: "veth" | "bridge"): Promise<Probe> {
  if (await allLinks()) return { state: "yes" };
  const args = [...asUser(), "-n", "ip", ...linkArgs(kind)];
  const r = await runCommand("unshare", args, { timeoutMs: 10_000 });
  if (r.ok) return { state: "yes" };
  if (!isRoot()) return { state: "unknown", detail: NEEDS_ROOT };
  return { state: "no", detail: `ip ${linkArgs(kind).join(" ")} failed: ${r.reason}` };
}

const quote = (arg: string): string => `'${arg.replace(/'/g, "'\\''")}'`;

/** The probes that are one command each, as that command (the features each decides), for `probeFeatures`. */
function commandParts(): Record<string, { argv: string[]; features: KernelFeature[] }> {
  return {
    namespaces: { argv: ["unshare", ...asUser(), "-p", "-f", "-m", "-u", "-i", "-C", "true"], features: ["pidns", "mntns", "utsns", "ipcns", "cgroupns"] },
    links: { argv: ["unshare", ...asUser(), "-n", "sh", "-c", `ip ${linkArgs("veth").join(" ")} && ip ${linkArgs("bridge").join(" ")}`], features: ["veth", "bridge"] },
    userns: { argv: ["unshare", "-U", "true"], features: ["userns"] },
    // As root, `ip netns add` and `del` (without root the netns probe needs no command of its own).
    ...(isRoot() ? { netns: { argv: ["sh", "-c", netnsProbeScript()], features: ["netns"] as KernelFeature[] } } : {}),
  };
}

/**
 * Starts the probes of several features at once (`list` and `doctor` know every feature they will ask about):
 * the probes that are one command each run side by side in one shell, so rootlab spawns one process instead of
 * one per probe (each spawn forks the whole node process and holds its main thread for milliseconds). A command
 * that succeeds is its features' "yes", exactly as their own probes would say; one that fails leaves each of its
 * features to its own probe, which finds out why. Results land in the cache `probeFeature` reads.
 */
export function probeFeatures(features: readonly KernelFeature[]): void {
  const wanted = new Set(features.filter((f) => !cache.has(f)));
  const parts = Object.entries(commandParts()).filter(([, part]) => part.features.some((f) => wanted.has(f)));
  if (parts.length < 2) return; // one command is no batch: the feature's own probe runs it
  const script = parts.map(([name, part]) => `{ ${part.argv.map(quote).join(" ")} >/dev/null 2>&1; echo "${name} $?"; } &`).join("\n") + "\nwait";
  const batch = runCommand("sh", ["-c", script], { timeoutMs: 10_000, detached: true }).then((r) => new Set(r.stdout.split("\n").filter((l) => l.endsWith(" 0")).map((l) => l.split(" ")[0])));
  for (const [name, part] of parts) {
    for (const feature of part.features) {
      if (!wanted.has(feature)) continue;
      const p = batch.then((ok) => (ok.has(name) ? ({ state: "yes" } as Probe) : PROBES[feature]())).catch((err: unknown): Probe => ({ state: "unknown", detail: `the probe failed: ${(err as Error).message}` }));
      cache.set(feature, p);
    }
  }
}

async function netnsProbe(): Promise<Probe> {
  if (!isRoot()) return (await unshareProbe("-n", "network")).state === "yes" ? { state: "unknown", detail: `the kernel has network namespaces; ${NEEDS_ROOT} to try \`ip netns add\`` } : { state: "unknown", detail: NEEDS_ROOT };
  const r = await runCommand("sh", ["-c", netnsProbeScript()], { timeoutMs: 10_000, detached: true });
  return r.ok ? { state: "yes" } : { state: "no", detail: `ip netns add/del ${probeNetnsName} failed: ${r.reason}` };
}

/**
 * Adds and deletes the probe netns, after removing the names earlier probes left when killed half-way
 * (./probe-netns.ts). Run detached from rootlab's process group: a Ctrl-C at the terminal must not stop it between
 * the add and the del; if rootlab dies meanwhile, the shell still deletes the name.
 */
function netnsProbeScript(): string {
  return `${sweepStaleProbesText()}ip netns add ${probeNetnsName} && ip netns del ${probeNetnsName}`;
}

function filesystemProbe(fs: string): Probe {
  const list = readFileSync("/proc/filesystems", "utf8");
  if (list.split("\n").some((l) => l.trim().split(/\s+/).pop() === fs)) return { state: "yes" };
  const moduleDir = `/lib/modules/${release()}/kernel/fs/${fs === "overlay" ? "overlayfs" : fs}`;
  if (existsSync(moduleDir)) return { state: "yes", detail: `module in ${moduleDir}, loaded on first mount` };
  return { state: "no", detail: `"${fs}" is not in /proc/filesystems and no kernel module for it is installed` };
}

export type CgroupMode = "v1" | "hybrid" | "v2" | "none";

export function cgroupMode(): CgroupMode {
  let type: number;
  try {
    type = Number(statfsSync("/sys/fs/cgroup").type);
  } catch {
    return "none";
  }
  if (type === 0x63677270) return "v2"; // CGROUP2_SUPER_MAGIC
  const mounts = parseMountinfo(readFileSync("/proc/self/mountinfo", "utf8"));
  const unified = mounts.some((m) => m.fsType === "cgroup2" && m.target.startsWith("/sys/fs/cgroup/"));
  const v1 = mounts.some((m) => m.fsType === "cgroup");
  if (v1) return unified ? "hybrid" : "v1";
  return "none";
}

function cgroupProbe(version: 1 | 2): Probe {
  const mode = cgroupMode();
  if (version === 1) {
    return mode === "v1" || mode === "hybrid" ? { state: "yes", detail: `${mode}: v1 hierarchies under /sys/fs/cgroup/` } : { state: "no", detail: mode === "v2" ? "/sys/fs/cgroup is cgroup v2 only (unified)" : "no cgroup filesystem at /sys/fs/cgroup" };
  }
  if (mode === "v2") return { state: "yes", detail: "/sys/fs/cgroup is cgroup2 (unified)" };
  return { state: "no", detail: mode === "hybrid" ? "/sys/fs/cgroup is cgroup v1 (hybrid: only a controller-less cgroup2 at /sys/fs/cgroup/unified)" : "/sys/fs/cgroup is not cgroup2" };
}

async function nftablesProbe(): Promise<Probe> {
  const v = await runCommand("nft", ["-v"]);
  if (!v.ok) return { state: "no", detail: v.reason };
  if (!isRoot()) return { state: "unknown", detail: `${v.stdout.trim()} is installed; ${NEEDS_ROOT} to try \`nft list tables\`` };
  const r = await runCommand("nft", ["list", "tables"]);
  return r.ok ? { state: "yes", detail: v.stdout.trim() } : { state: "no", detail: `nft list tables failed: ${r.reason}` };
}

/** Only `iptables -V`: listing rules with the legacy backend would create a table that can never be removed. */
async function iptablesProbe(): Promise<Probe> {
  const v = await runCommand("iptables", ["-V"]);
  if (!v.ok) return { state: "no", detail: v.reason };
  const version = v.stdout.trim();
  if (!version.includes("nf_tables")) return { state: "yes", detail: `${version} — legacy backend: its tables cannot be removed again` };
  if (!isRoot()) return { state: "yes", detail: version };
  const nft = await probeFeature("nftables"); // the same probe `requires: kernel: [nftables]` makes, made once
  return nft.state === "no" ? { state: "no", detail: `${version} needs nf_tables: ${nft.detail}` } : { state: "yes", detail: version };
}

const PROBES: Record<KernelFeature, () => Promise<Probe>> = {
  netns: netnsProbe,
  veth: () => linkProbe("veth"),
  bridge: () => linkProbe("bridge"),
  overlay: async () => filesystemProbe("overlay"),
  aufs: async () => filesystemProbe("aufs"),
  userns: async () => {
    const r = await runCommand("unshare", ["-U", "true"], { timeoutMs: 10_000 });
    return r.ok ? { state: "yes" } : { state: "no", detail: `unshare -U true failed: ${r.reason}` };
  },
  pidns: () => unshareProbe("-p", "PID"),
  mntns: () => unshareProbe("-m", "mount"),
  utsns: () => unshareProbe("-u", "UTS"),
  ipcns: () => unshareProbe("-i", "IPC"),
  cgroupns: () => unshareProbe("-C", "cgroup"),
  cgroup1: async () => cgroupProbe(1),
  cgroup2: async () => cgroupProbe(2),
  nftables: nftablesProbe,
  iptables: iptablesProbe,
};

// `requires:` of a lab checked against this machine: one item per need, each with a fix that says how.
import { existsSync, readFileSync } from "node:fs";
import type { FixtureName, KernelFeature, Requires } from "../format/types.js";
import type { PreflightItem } from "./types.js";
import { fixtureNeed } from "./fixtures/needs.js";
import { probeFeature, type Probe } from "./features.js";
import { findCommand, installFix } from "./commands.js";
import { declaredOnline, isRoot, sudoRerun } from "./paths.js";
import { rootlabCommand } from "../core/rootlab-command.js";

export { probeMachine, type MachineFacts } from "./facts.js";

/** A need with three states, for `doctor` (a probe that needs root is "unknown" when run without it). */
export interface Need {
  need: string;
  state: "met" | "unmet" | "unknown";
  /** What was found (e.g. the command's path, the probe's detail). */
  detail?: string;
  fix?: string;
}

export function systemdBooted(): boolean {
  return existsSync("/run/systemd/system"); // exactly sd_booted()
}

export function pid1Name(): string {
  try {
    return readFileSync("/proc/1/comm", "utf8").trim();
  } catch {
    return "unknown";
  }
}

const VM_FIX = `run this lab in the rootlab VM (\`${rootlabCommand()} vm up\`, i.e. vagrant up)`;

/** Why a kernel feature is missing and what to do, beyond the probe's own detail. */
const FEATURE_FIX: Record<KernelFeature, string> = {
  netns: `network namespaces (CONFIG_NET_NS) and \`ip netns\` are needed; ${VM_FIX}`,
  veth: `veth links (CONFIG_VETH) are needed; ${VM_FIX}`,
  bridge: `Linux bridges (CONFIG_BRIDGE) are needed; ${VM_FIX}`,
  overlay: `overlayfs is needed: modprobe overlay, or ${VM_FIX}`,
  aufs: "aufs is not part of mainline Linux (most kernels never had it): this lab needs a kernel with aufs (Debian: apt-get install aufs-dkms) — overlayfs is the modern replacement",
  userns: `user namespaces are needed: sysctl kernel.unprivileged_userns_clone / user.max_user_namespaces may disable them; ${VM_FIX}`,
  pidns: `PID namespaces (CONFIG_PID_NS) are needed; ${VM_FIX}`,
  mntns: `mount namespaces are needed; ${VM_FIX}`,
  utsns: `UTS namespaces (CONFIG_UTS_NS) are needed; ${VM_FIX}`,
  ipcns: `IPC namespaces (CONFIG_IPC_NS) are needed; ${VM_FIX}`,
  cgroupns: `cgroup namespaces (CONFIG_CGROUPS, Linux ≥ 4.6) are needed; ${VM_FIX}`,
  cgroup1: "needs cgroup v1 hierarchies under /sys/fs/cgroup: boot with systemd.unified_cgroup_hierarchy=0 (v1/hybrid), or use a machine that runs cgroup v1",
  cgroup2: "needs cgroup v2 at /sys/fs/cgroup (unified mode): boot with systemd.unified_cgroup_hierarchy=1, or run this lab in the rootlab VM (Debian 12 uses cgroup v2)",
  nftables: "needs nftables: apt-get install nftables (and a kernel with CONFIG_NF_TABLES)",
  iptables: "needs iptables: apt-get install iptables (Debian's default is the nf_tables backend)",
};

function rootNeed(): Need {
  return isRoot()
    ? { need: "root", state: "met" }
    : { need: "root", state: "unmet", fix: `run as root: ${sudoRerun()}` };
}

function commandNeed(name: string): Need {
  const found = findCommand(name);
  if (!found) return { need: `command ${name}`, state: "unmet", fix: installFix(name) };
  return { need: `command ${name}`, state: "met", detail: found.shim ? `${found.path} (run through rootlab's shim ${found.shim})` : found.path };
}

async function kernelNeed(feature: KernelFeature): Promise<Need> {
  const probe: Probe = await probeFeature(feature);
  const need = `kernel ${feature}`;
  if (probe.state === "yes") return { need, state: "met", ...(probe.detail ? { detail: probe.detail } : {}) };
  if (probe.state === "unknown") return { need, state: "unknown", detail: probe.detail, fix: `could not be checked without root: ${sudoRerun()}` };
  return { need, state: "unmet", detail: probe.detail, fix: `${probe.detail} — ${FEATURE_FIX[feature]}` };
}

function systemdNeed(): Need {
  if (systemdBooted()) return { need: "systemd as PID 1", state: "met" };
  return {
    need: "systemd as PID 1",
    state: "unmet",
    fix: `needs systemd as PID 1 (machinectl, systemctl): ${VM_FIX} — this machine's PID 1 is ${pid1Name()}`,
  };
}

function networkNeed(): Need {
  if (declaredOnline()) return { need: "network (internet)", state: "met", detail: "declared by ROOTLAB_ONLINE=1" };
  return {
    need: "network (internet)",
    state: "unmet",
    fix: "rootlab never sends traffic off this machine to find out whether it is online; if this machine reaches the internet, declare it: ROOTLAB_ONLINE=1 (with sudo: sudo ROOTLAB_ONLINE=1 rootlab …)",
  };
}

/**
 * Every need of REQ (and of the fixtures in USES: a lab whose fixture cannot be had here cannot run), with
 * three-valued states. `commands` (given by a caller that assesses many labs at once, e.g. `list`) keeps each
 * command's lookup for the other labs: a lookup is a search of the PATH, file by file.
 */
export async function assessRequires(req: Requires, uses: readonly FixtureName[] = [], commands?: Map<string, Need>): Promise<Need[]> {
  const needs: Need[] = [];
  if (req.root) needs.push(rootNeed());
  for (const c of req.commands) {
    const need = commands?.get(c) ?? commandNeed(c);
    commands?.set(c, need);
    needs.push(need);
  }
  needs.push(...(await Promise.all(req.kernel.map((f) => kernelNeed(f)))));
  if (req.systemd) needs.push(systemdNeed());
  if (req.network) needs.push(networkNeed());
  for (const name of new Set(uses)) needs.push(await fixtureNeed(name));
  return needs;
}

export function toPreflightItem(n: Need): PreflightItem {
  return n.state === "met" ? { need: n.need, met: true } : { need: n.need, met: false, ...(n.fix ? { fix: n.fix } : {}) };
}

/** One item per need of a lab's `requires:`; "unknown" (a probe that needs root) counts as unmet. */
export async function checkRequires(req: Requires, uses: readonly FixtureName[] = []): Promise<PreflightItem[]> {
  return (await assessRequires(req, uses)).map(toPreflightItem);
}

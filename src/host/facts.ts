// What `rootlab doctor` shows about the machine: the facts the cookbook's T0 preflight collects.
import { existsSync, readFileSync } from "node:fs";
import { release } from "node:os";
import { KERNEL_FEATURES } from "../format/types.js";
import { cgroupMode, probeAllFeatures, type CgroupMode, type Probe } from "./features.js";
import { mountContaining, parseMountinfo } from "./mountinfo.js";
import { runCommand } from "./run.js";
import { DISPOSABLE_MARKER, isRoot } from "./paths.js";

export interface MachineFacts {
  /** /proc/1/comm, e.g. "systemd", "process_api". */
  pid1: string;
  /** /run/systemd/system exists (sd_booted()). */
  systemdBooted: boolean;
  /** Filesystem holding /run/systemd ("tmpfs" on systemd hosts; "ext4" means nspawn needs the tmpfs trick). */
  runFsType: string;
  /** Mount propagation of / ("shared" on systemd hosts, "private" here). */
  rootPropagation: string;
  cgroupMode: CgroupMode;
  kernelRelease: string;
  root: boolean;
  disposable: { marker: boolean; env: boolean };
  features: Record<string, Probe>;
  /** First line of each tool's version output; null when the tool is missing. */
  tools: Record<string, string | null>;
}

/** tool -> version command; the first output line is kept. */
const TOOL_VERSIONS: Record<string, string[]> = {
  "systemd-nspawn": ["systemd-nspawn", "--version"],
  busybox: ["busybox", "--help"],
  ip: ["ip", "-V"],
  unshare: ["unshare", "-V"],
  nft: ["nft", "-v"],
  iptables: ["iptables", "-V"],
  debootstrap: ["debootstrap", "--version"],
  skopeo: ["skopeo", "--version"],
  tar: ["tar", "--version"],
};

async function toolVersion(argv: string[]): Promise<string | null> {
  const [file, ...args] = argv as [string, ...string[]];
  const r = await runCommand(file, args, { timeoutMs: 10_000 });
  const text = (r.stdout || r.stderr).trim().split("\n")[0]?.trim() ?? "";
  if (r.ok) return text || "installed";
  // busybox --help exits 0 on some builds, 1 on others: a version line still proves it is there.
  return text && !r.reason.includes("not installed") ? text : null;
}

export async function probeMachine(): Promise<MachineFacts> {
  const mounts = parseMountinfo(readFileSync("/proc/self/mountinfo", "utf8"));
  const runTarget = existsSync("/run/systemd") ? "/run/systemd" : "/run";
  const toolNames = Object.keys(TOOL_VERSIONS);
  const [features, versions] = await Promise.all([
    probeAllFeatures(KERNEL_FEATURES),
    Promise.all(toolNames.map((t) => toolVersion(TOOL_VERSIONS[t] as string[]))),
  ]);
  let pid1 = "unknown";
  try {
    pid1 = readFileSync("/proc/1/comm", "utf8").trim();
  } catch {
    /* hidepid or a restricted /proc: stays "unknown" */
  }
  return {
    pid1,
    systemdBooted: existsSync("/run/systemd/system"),
    runFsType: mountContaining(mounts, runTarget)?.fsType ?? "unknown",
    rootPropagation: mountContaining(mounts, "/")?.propagation ?? "unknown",
    cgroupMode: cgroupMode(),
    kernelRelease: release(),
    root: isRoot(),
    disposable: { marker: existsSync(DISPOSABLE_MARKER), env: process.env.ROOTLAB_DISPOSABLE === "1" },
    features,
    tools: Object.fromEntries(toolNames.map((t, i) => [t, versions[i] ?? null])),
  };
}

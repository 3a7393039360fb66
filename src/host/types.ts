// Types of what the machine says: leaks left behind and unmet requirements. Types only.

export interface Leak {
  kind: "netns" | "link" | "mount" | "loop" | "process" | "firewall" | "cgroup" | "file";
  /** What is left, e.g. "rl-red", "veth-host", "/var/tmp/x (overlay)", "/dev/loop3 (/var/tmp/x/disk.img)", "1234 sleep". */
  name: string;
}

export interface PreflightItem {
  /** e.g. "root", "command ip", "kernel veth", "systemd as PID 1". */
  need: string;
  met: boolean;
  /** How to fix it when unmet. */
  fix?: string;
}

/**
 * The lab network's guard for one run (src/host/net-guard.ts): on; taken over from a run that was killed (removed at
 * this run's end); or off, with why in a few words.
 */
export type NetGuardStatus = { state: "on" } | { state: "taken-over" } | { state: "off"; reason: string };

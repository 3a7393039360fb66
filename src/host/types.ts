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

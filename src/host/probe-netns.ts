// The netns probe's name, and the sweep of names a killed probe left behind. `ip netns add` creates
// /run/netns/NAME before it mounts the namespace there; a probe interrupted between that and its `ip netns del`
// (Ctrl-C sent to the whole process group, a timeout's SIGKILL, rootlab killed) leaves the name on the host, where
// every later `ip netns list` complains about it ("Peer netns reference is invalid"). So the name carries the
// prober's PID, and each probe first removes the names whose prober is gone.
import { readdirSync } from "node:fs";
import { randomBytes } from "node:crypto";

const NETNS_DIR = "/run/netns";

const PATTERN = /^rl-probe-(\d+)-[0-9a-f]{4}$/;

/** This process's probe netns name (netns names are not limited to a link name's 15 characters). */
export const probeNetnsName = `rl-probe-${process.pid}-${randomBytes(2).toString("hex")}`;

/** The probe names among NAMES whose prober process is no longer alive (pure: ALIVE says). */
export function staleProbeNames(names: readonly string[], alive: (pid: number) => boolean): string[] {
  return names.filter((name) => {
    const m = PATTERN.exec(name);
    return m !== null && Number(m[1]) !== process.pid && !alive(Number(m[1]));
  });
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Shell text that removes the probe names left by dead probers (empty when there are none). */
export function sweepStaleProbesText(): string {
  let names: string[];
  try {
    names = readdirSync(NETNS_DIR);
  } catch {
    return "";
  }
  // `ip netns del` unmounts (if mounted) and unlinks: it also removes a name whose mount never happened.
  return staleProbeNames(names, pidAlive).map((n) => `ip netns del ${n} 2>/dev/null; `).join("");
}

// Namespaces that no process is in but something keeps alive: a bind mount of an nsfs file (`ip netns add` at
// /run/netns/NAME, `unshare --net=FILE`, `--mount=FILE`, in the host's mount namespace or another one), or an open
// file descriptor of some process. The kernel ends a namespace once nothing refers to it, so these are as real as
// a container's, and a lab that makes one must see it. Found from mount tables and /proc/PID/fd; choosing and
// naming is pure and table-tested.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { parseMountinfo, type MountEntry } from "../host/mountinfo.js";
import type { PinView } from "./types.js";

/** "net:[4026532290]" → its kind; nsfs files read this way from a mount's root or a descriptor's link. */
const NSFS_LINK = /^(net|mnt|uts|ipc|user|pid|cgroup|time|pid_for_children|time_for_children):\[\d+\]$/;

const KIND_WORD: Record<string, string> = { mnt: "mount" };

export interface PinFound {
  /** The namespace ("net:[4026532290]"). */
  inode: string;
  kind: string;
  /** How it is kept: a bind mount at a path (in the host's or another mount namespace), or an open descriptor. */
  how: { by: "mount"; target: string; in?: string } | { by: "fd"; pid: number; command: string };
  /** A path the host can open it by (for `nsenter --net=PATH`). */
  via: string;
}

/**
 * The nsfs bind mounts of one mount table. IN is the friendly name of the mount namespace when it is not the
 * host's, and ROOT the path the host reaches that namespace's "/" by (/proc/PID/root).
 */
export function nsfsMounts(table: readonly MountEntry[], place?: { in: string; root: string }): PinFound[] {
  const out: PinFound[] = [];
  for (const m of table) {
    if (m.fsType !== "nsfs" || !NSFS_LINK.test(m.root)) continue;
    const kind = m.root.slice(0, m.root.indexOf(":"));
    const how: PinFound["how"] = place ? { by: "mount", target: m.target, in: place.in } : { by: "mount", target: m.target };
    out.push({ inode: m.root, kind, how, via: place ? `${place.root}${m.target}` : m.target });
  }
  return out;
}

/** The namespaces bind-mounted in the host's mount table now: before the lab, they are not the lab's. */
export function pinnedNow(): string[] {
  try {
    return nsfsMounts(parseMountinfo(readFileSync("/proc/self/mountinfo", "utf8"))).map((p) => p.inode);
  } catch {
    return [];
  }
}

/** The namespaces PID holds open (descriptors whose link reads "net:[…]"). Few descriptors a process: cheap. */
export function fdPins(pid: number, command: string): PinFound[] {
  let fds: string[] = [];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  const out: PinFound[] = [];
  for (const fd of fds) {
    let link = "";
    try {
      link = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue;
    }
    if (NSFS_LINK.test(link)) out.push({ inode: link, kind: link.slice(0, link.indexOf(":")), how: { by: "fd", pid, command }, via: `/proc/${pid}/fd/${fd}` });
  }
  return out;
}

/** LABDIR shown as "$LAB_DIR", as the lab's own commands write it (and short enough for 80 columns). */
export function shortPath(path: string, labDir: string): string {
  return labDir && (path === labDir || path.startsWith(`${labDir}/`)) ? `$LAB_DIR${path.slice(labDir.length)}` : path;
}

/** A friendly name: "net namespace at $LAB_DIR/ns", "… at /run/netns/x in box's mount namespace", "net namespace open in PID 7". */
export function pinName(p: PinFound, labDir: string): string {
  const kind = `${KIND_WORD[p.kind] ?? p.kind.replace(/_for_children$/, "")} namespace`;
  if (p.how.by === "fd") return `${kind} open in PID ${p.how.pid}`;
  return `${kind} at ${shortPath(p.how.target, labDir)}${p.how.in ? ` in ${p.how.in}` : ""}`;
}

/**
 * The pins to show: one per namespace not named already (a named netns, a session's), the first way it is kept
 * winning (mounts are listed before descriptors), and never the host's /run/netns (that is `netns NAME`).
 */
export function choosePins(found: readonly PinFound[], named: ReadonlySet<string>, labDir: string): PinView[] {
  const seen = new Set<string>();
  const out: PinView[] = [];
  for (const p of found) {
    if (named.has(p.inode) || seen.has(p.inode)) continue;
    if (p.how.by === "mount" && !p.how.in && p.how.target.startsWith("/run/netns/")) continue;
    seen.add(p.inode);
    const how = p.how.by === "fd" ? `held open by PID ${p.how.pid} (${p.how.command})` : "kept by a bind mount";
    out.push({ inode: p.inode, kind: p.kind, name: pinName(p, labDir), how, via: p.via });
  }
  return out;
}

// Which leftovers belong to a lab. A file another program created in /tmp while the lab ran is not the lab's
// leak (on a student's VM that would fail a lab for nothing), so files are reported only when attributable.
// Only attributable leftovers are removed, and only they are the lab's: on a shared machine a netns or link that
// appeared meanwhile may be someone else's work (another terminal, another test), which rootlab must leave alone.
// A name is the lab's when the lab's text names it as a whole word ("rlt9xns" is not in a lab that says "rlt9"),
// and rootlab's own folders (/run/rootlab) are rootlab's: the run lock lets one lab run use them at a time.
import { basename } from "node:path";
import { labNamesObject, mentions } from "../format/mentions.js";
import type { Leak } from "./types.js";

export { mentions };

/** Names nspawn derives from a machine name (`-M x` → ve-x, vb-x, vz-x): strip the prefix to find `x` in the lab. */
const NSPAWN_PREFIX = /^v[ebz]-/;

/** rootlab's own scratch: the folders of block output FIFOs (left only by a rootlab bug, never the lab's). */
export const ROOTLAB_RUN_DIR = "/run/rootlab";

function namedNetnsAttributable(name: string, labSource: string): boolean {
  return mentions(labSource, name) || mentions(labSource, name.replace(NSPAWN_PREFIX, ""));
}

/**
 * A block-output folder in /run/rootlab is this run's when its name carries this process's pid (`p<pid>-ch-…`):
 * another rootlab process — a second terminal's `rootlab verify`, a test's sessions — has its own there while
 * it runs, and removing those would break it.
 */
function ownRunDir(path: string, ownPid: number): boolean {
  const pid = /^\/run\/rootlab\/p(\d+)-/.exec(path)?.[1];
  return pid === undefined || Number(pid) === ownPid;
}

export function isAttributable(leak: Leak, labSource: string, labDir: string, ownPid = process.pid): boolean {
  switch (leak.kind) {
    case "process": {
      // Found by this run's ROOTLAB_RUN_ID in its environment, or in a namespace born during the run; one found only
      // in a named netns (host/leaks.ts says which) is the lab's when that netns is.
      const netns = /\(in netns ([^()]+)\)$/.exec(leak.name)?.[1];
      return netns === undefined || namedNetnsAttributable(netns, labSource);
    }
    case "file": {
      const base = basename(leak.name);
      if (leak.name.startsWith(`${ROOTLAB_RUN_DIR}/`)) return ownRunDir(leak.name, ownPid);
      return leak.name.startsWith(`${labDir}/`) || labSource.includes(leak.name) || (base.length >= 4 && labSource.includes(base));
    }
    case "mount": {
      const target = leak.name.replace(/ \([^()]*\)$/, "");
      // `ip netns add X` binds X's namespace at /run/netns/X: that mount is the lab's exactly when X is.
      if (target.startsWith("/run/netns/")) return namedNetnsAttributable(target.slice("/run/netns/".length), labSource);
      return target.startsWith(`${labDir}/`) || mentions(labSource, target);
    }
    case "loop": {
      // "/dev/loop3 (/var/tmp/rootlab/x/disk.img)": the lab's if its backing file is in LAB_DIR or named by the lab.
      const backing = /\((.*)\)$/.exec(leak.name)?.[1] ?? "";
      return backing.startsWith(`${labDir}/`) || (backing !== "" && labSource.includes(basename(backing)));
    }
    case "netns":
    case "link": {
      const name = leak.name.split("@")[0] ?? leak.name;
      return namedNetnsAttributable(name, labSource);
    }
    case "firewall":
    case "cgroup":
      return labNamesObject(labSource, leak.name);
  }
}

/** rootlab's own feature probes (`rootlab list`/`doctor` in another terminal) create short-lived rl-probe* resources. */
const PROBE = /(^|\/)rl-probe/;

/**
 * What the leak check reports: everything but rootlab's own probes, and files and cgroups that cannot be tied to
 * the lab. Other programs make both all the time (a file in /tmp; a cgroup for each login, service and timer under
 * systemd, for each command under a container agent): naming them after every run would be noise.
 */
export function reportableLeaks(leaks: Leak[], labSource: string, labDir: string): Leak[] {
  return leaks.filter((l) => !PROBE.test(l.name) && ((l.kind !== "file" && l.kind !== "cgroup") || isAttributable(l, labSource, labDir)));
}

export function attributableLeaks(leaks: Leak[], labSource: string, labDir: string): Leak[] {
  return leaks.filter((l) => isAttributable(l, labSource, labDir));
}

/**
 * What appeared on the machine during the run, split: `mine`, the lab's (rootlab removes them and they fail the
 * lab), and `others`, not attributable to it (left alone, mentioned neutrally). Stray files and cgroups and rootlab's
 * own probes are neither: they are not reported at all.
 */
export function splitLeaks(found: Leak[], labSource: string, labDir: string): { mine: Leak[]; others: Leak[] } {
  const reportable = reportableLeaks(found, labSource, labDir);
  const mine = attributableLeaks(reportable, labSource, labDir);
  return { mine, others: reportable.filter((l) => !mine.includes(l)) };
}

/**
 * The leaks rootlab tried to remove that are not verifiably gone: those its removal reported as still there, and
 * those a fresh look at the machine (`again`, found after removing) still shows.
 */
export function stillThere(tried: Leak[], notRemoved: Leak[], again: Leak[]): Leak[] {
  const seen = new Set(again.map((l) => `${l.kind} ${l.name}`));
  return tried.filter((l) => notRemoved.includes(l) || seen.has(`${l.kind} ${l.name}`));
}

// Which leftovers belong to a lab. A file another program created in /tmp while the lab ran is not the lab's
// leak (on a student's VM that would fail a lab for nothing), so files are reported only when attributable.
// Only attributable leftovers are removed afterwards: on a shared machine anything else may be someone's work.
import { basename } from "node:path";
import type { Leak } from "./types.js";

/** Names nspawn derives from a machine name (`-M x` → ve-x, vb-x, vz-x): strip the prefix to find `x` in the lab. */
const NSPAWN_PREFIX = /^v[ebz]-/;
/** rootlab's own helpers (the nspawn shim's cgroups) carry this prefix. */
const ROOTLAB_OWN = /(^|\/)rootlab-/;
const GENERIC_WORDS = new Set(["table", "chain", "rule", "inet", "filter", "input", "output", "forward", "sys", "cgroup", "memory", "pids", "systemd", "unified", "payload", "supervisor"]);

export function isAttributable(leak: Leak, labSource: string, labDir: string): boolean {
  switch (leak.kind) {
    case "process":
      return true; // found by this run's ROOTLAB_RUN_ID in its environment, or in a namespace born during the run
    case "file": {
      const base = basename(leak.name);
      return leak.name.startsWith(`${labDir}/`) || labSource.includes(leak.name) || (base.length >= 4 && labSource.includes(base));
    }
    case "mount":
      return leak.name.startsWith(`${labDir}/`) || labSource.includes(leak.name.replace(/ \([^()]*\)$/, ""));
    case "loop": {
      // "/dev/loop3 (/var/tmp/rootlab/x/disk.img)": the lab's if its backing file is in LAB_DIR or named by the lab.
      const backing = /\((.*)\)$/.exec(leak.name)?.[1] ?? "";
      return backing.startsWith(`${labDir}/`) || (backing !== "" && labSource.includes(basename(backing)));
    }
    case "netns":
    case "link": {
      const name = leak.name.split("@")[0] ?? leak.name;
      return labSource.includes(name) || labSource.includes(name.replace(NSPAWN_PREFIX, ""));
    }
    case "firewall":
    case "cgroup": {
      if (ROOTLAB_OWN.test(leak.name)) return true;
      const words = leak.name.split(/[\s/:"]+/).filter((w) => w.length >= 3 && /[a-z]/.test(w) && !GENERIC_WORDS.has(w));
      return words.some((w) => labSource.includes(w));
    }
  }
}

/** rootlab's own feature probes (`rootlab list`/`doctor` in another terminal) create short-lived rl-probe* resources. */
const PROBE = /(^|\/)rl-probe/;

/** What the leak check reports: everything but files that cannot be tied to the lab, and rootlab's own probes. */
export function reportableLeaks(leaks: Leak[], labSource: string, labDir: string): Leak[] {
  return leaks.filter((l) => !PROBE.test(l.name) && (l.kind !== "file" || isAttributable(l, labSource, labDir)));
}

export function attributableLeaks(leaks: Leak[], labSource: string, labDir: string): Leak[] {
  return leaks.filter((l) => isAttributable(l, labSource, labDir));
}

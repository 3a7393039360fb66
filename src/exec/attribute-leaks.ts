// Which leftovers rootlab may remove by itself after a lab. Anything else found by the leak check is only
// reported: on a shared machine another program may have created it while the lab ran.
import type { Leak } from "./types.js";

/** Names nspawn derives from a machine name (`-M x` → ve-x, vb-x, vz-x): strip the prefix to find `x` in the lab. */
const NSPAWN_PREFIX = /^v[ebz]-/;

export function attributableLeaks(leaks: Leak[], labSource: string, labDir: string): Leak[] {
  return leaks.filter((leak) => {
    switch (leak.kind) {
      case "process":
        return true; // found by this run's ROOTLAB_RUN_ID in its environment, or in a namespace born during the run
      case "file":
        return leak.name.startsWith(`${labDir}/`);
      case "mount":
        return leak.name.startsWith(`${labDir}/`) || labSource.includes(leak.name.replace(/ \([^()]*\)$/, ""));
      case "netns":
      case "link": {
        const name = leak.name.split("@")[0] ?? leak.name;
        return labSource.includes(name) || labSource.includes(name.replace(NSPAWN_PREFIX, ""));
      }
      case "firewall":
      case "cgroup": {
        const words = leak.name.split(/[\s/:"]+/).filter((w) => w.length >= 3);
        return words.some((w) => /[a-z]/.test(w) && labSource.includes(w) && !["table", "chain", "rule", "inet", "filter", "input", "output", "forward", "sys", "cgroup", "memory", "pids", "systemd", "unified"].includes(w));
      }
    }
  });
}

// Which cgroups (and firewall objects) a lab made: the ones whose names the lab's text uses. Everything else that
// appears meanwhile is another program's (systemd's scopes, a container agent's per-command groups).
import { describe, expect, it } from "vitest";
import { labNamesObject } from "../../src/format/mentions.js";

const LAB = [
  "CG=/sys/fs/cgroup/rlg-lab; mkdir \"$CG\"",
  "systemd-nspawn -M rlm-web -D \"$LAB_DIR/root\"",
  "systemd-run --unit=rlx-sleep sleep 60",
  "nft add table inet rltest",
  "The kernel's memory controller counts what a process uses.",
].join("\n");

describe("labNamesObject", () => {
  it.each([
    ["/sys/fs/cgroup/rlg-lab", true],
    ["/sys/fs/cgroup/rlg-lab/child", true],
    ["/sys/fs/cgroup/pids/rlg-lab", true],
    ["rlg-lab", true],
    // systemd's escaping and unit suffixes: machine-NAME.scope for nspawn and machinectl, NAME.service for systemd-run.
    ["/sys/fs/cgroup/machine.slice/machine-rlm\\x2dweb.scope", true],
    ["/sys/fs/cgroup/machine.slice/machine-rlm\\x2dweb.scope/payload", true],
    ["/sys/fs/cgroup/system.slice/rlx-sleep.service", true],
    ["/sys/fs/cgroup/unified/rootlab-nspawn-4242/payload", true],
    ["table inet rltest", true],
    // Other programs' groups: a container agent's per-command group, systemd's logins, timers and transient units.
    ["/sys/fs/cgroup/memory/process_api/4f076e2c198f43d81c250b9171dd6bf3", false],
    ["/sys/fs/cgroup/user.slice/user-0.slice/session-3.scope", false],
    ["/sys/fs/cgroup/system.slice/apt-daily.service", false],
    ["/sys/fs/cgroup/system.slice/run-r3f2a.scope", false],
    ["/sys/fs/cgroup/machine.slice/machine-other.scope", false],
    // A name that only contains the lab's is not it; controller names are no one's.
    ["/sys/fs/cgroup/rlg-lab2", false],
    ["/sys/fs/cgroup/memory", false],
    ["table inet filter", false],
  ])("%s → %s", (name, expected) => {
    expect(labNamesObject(LAB, name)).toBe(expected);
  });
});

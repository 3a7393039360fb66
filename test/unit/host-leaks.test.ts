import { describe, expect, it } from "vitest";
import { findLeaks } from "../../src/host/leaks.js";
import type { HostSnapshot, ProcessRecord } from "../../src/host/snapshot.js";
import { parseNftRuleset } from "../../src/host/nft.js";

const HOST_PID = "pid:[4026531836]";
const HOST_NET = "net:[4026531840]";
const RUN = "run-42";

function proc(pid: number, ppid: number, comm: string, extra: Partial<ProcessRecord> = {}): ProcessRecord {
  return { pid, ppid, startTime: pid * 10, comm, pidNs: HOST_PID, netNs: HOST_NET, ...extra };
}

function snap(over: Partial<HostSnapshot> = {}): HostSnapshot {
  return {
    takenAt: 0,
    selfPid: 500,
    netns: [],
    namedNetns: {},
    links: ["lo", "eth0"],
    mounts: [{ target: "/", fsType: "ext4" }],
    loops: ["/dev/loop0 (/srv/keep.img)"],
    processes: [proc(1, 0, "init"), proc(500, 1, "node"), proc(600, 1, "bash")],
    namespaces: [HOST_PID, HOST_NET],
    firewall: [],
    cgroups: [{ path: "/sys/fs/cgroup/systemd/user", pids: [600] }],
    files: ["/tmp/keep"],
    ownDirs: ["/var/tmp/rootlab", "/var/cache/rootlab"],
    ...over,
  };
}

const before = snap();
const names = (after: HostSnapshot) => findLeaks(before, after, RUN).map((l) => `${l.kind} ${l.name}`);

describe("findLeaks", () => {
  const cases: { name: string; after: HostSnapshot; want: string[] }[] = [
    { name: "nothing changed", after: snap(), want: [] },
    { name: "a netns (its /run/netns file is not reported twice)", after: snap({ netns: ["rl-red"], files: ["/tmp/keep", "/run/netns/rl-red"] }), want: ["netns rl-red"] },
    { name: "a link", after: snap({ links: ["lo", "eth0", "veth-host"] }), want: ["link veth-host"] },
    { name: "a mount, also a second one on the same target", after: snap({ mounts: [{ target: "/", fsType: "ext4" }, { target: "/", fsType: "ext4" }, { target: "/srv/x", fsType: "overlay" }] }), want: ["mount / (ext4)", "mount /srv/x (overlay)"] },
    { name: "a loop device attached during the run", after: snap({ loops: ["/dev/loop0 (/srv/keep.img)", "/dev/loop1 (/var/tmp/rootlab/x/disk.img)"] }), want: ["loop /dev/loop1 (/var/tmp/rootlab/x/disk.img)"] },
    { name: "a removed item is no leak", after: snap({ links: ["lo"] }), want: [] },
    { name: "a process carrying the run id", after: snap({ processes: [...before.processes, proc(700, 1, "sleep", { runId: RUN })] }), want: ["process 700 sleep"] },
    { name: "another run's process is not ours", after: snap({ processes: [...before.processes, proc(700, 1, "sleep", { runId: "other" })] }), want: [] },
    { name: "the caller itself is never a leak", after: snap({ processes: [proc(1, 0, "init"), proc(500, 1, "node", { runId: RUN }), proc(600, 1, "bash")] }), want: [] },
    {
      name: "an orphan in a new pid namespace without the run id (env -i)",
      after: snap({ processes: [...before.processes, proc(800, 1, "sh", { pidNs: "pid:[999]" })] }),
      want: ["process 800 sh"],
    },
    {
      name: "a container under a leaked nspawn: both",
      after: snap({ processes: [...before.processes, proc(700, 1, "systemd-nspawn", { runId: RUN }), proc(701, 700, "sh", { pidNs: "pid:[999]", netNs: "net:[998]" })] }),
      want: ["process 700 systemd-nspawn", "process 701 sh"],
    },
    {
      name: "someone else's live container is not ours",
      after: snap({ processes: [...before.processes, proc(900, 600, "systemd-nspawn"), proc(901, 900, "sh", { pidNs: "pid:[999]" })] }),
      want: [],
    },
    {
      name: "an orphan in a named netns made during the run says which (attribution decides by that name)",
      after: snap({ netns: ["other"], namedNetns: { "net:[777]": "other" }, processes: [...before.processes, proc(802, 1, "sleep", { netNs: "net:[777]" })] }),
      want: ["process 802 sleep (in netns other)", "netns other"],
    },
    {
      name: "a process in a namespace that existed before is not new",
      after: snap({ processes: [...before.processes, proc(801, 1, "sleep", { netNs: HOST_NET })] }),
      want: [],
    },
    { name: "an iptables-nft filter table", after: snap({ firewall: parseNftRuleset("table ip filter {\n\tchain FORWARD {\n\t\ttype filter hook forward priority filter; policy accept;\n\t}\n}") }), want: ["firewall table ip filter"] },
    { name: "nspawn's payload/supervisor cgroups (empty)", after: snap({ cgroups: [...before.cgroups, { path: "/sys/fs/cgroup/systemd/payload", pids: [] }, { path: "/sys/fs/cgroup/unified/supervisor", pids: [] }] }), want: ["cgroup /sys/fs/cgroup/systemd/payload", "cgroup /sys/fs/cgroup/unified/supervisor"] },
    {
      name: "a new cgroup tree is reported at its top",
      after: snap({ cgroups: [...before.cgroups, { path: "/sys/fs/cgroup/memory/rl-lab", pids: [] }, { path: "/sys/fs/cgroup/memory/rl-lab/inner", pids: [] }] }),
      want: ["cgroup /sys/fs/cgroup/memory/rl-lab"],
    },
    {
      name: "a new cgroup holding a leaked process is a leak; one holding someone else's is not",
      after: snap({
        processes: [...before.processes, proc(700, 1, "sleep", { runId: RUN }), proc(710, 600, "worker")],
        cgroups: [...before.cgroups, { path: "/sys/fs/cgroup/pids/rl-a", pids: [700] }, { path: "/sys/fs/cgroup/pids/other", pids: [710] }],
      }),
      want: ["process 700 sleep", "cgroup /sys/fs/cgroup/pids/rl-a"],
    },
    { name: "files in watched dirs, not the work root or cache", after: snap({ files: ["/tmp/keep", "/srv/lab", "/var/tmp/rootlab", "/srv/lab/.#rootfs.lck"] }), want: ["file /srv/lab", "file /srv/lab/.#rootfs.lck"] },
  ];
  it.each(cases)("$name", ({ after, want }) => expect(names(after)).toEqual(want));

  it("skips the firewall when a snapshot could not read it", () => {
    expect(findLeaks(snap({ firewall: null }), snap({ firewall: parseNftRuleset("table inet x {\n}") }), RUN)).toEqual([]);
  });
});

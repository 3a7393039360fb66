// What a step changed, folded for a 30-row screen: the nspawn lab's step 1 (as observed on a real run: ~40 lines,
// duplicates, a dozen /sys/fs/cgroup mounts turned shared, lines starting lower-case) and smaller cases.
import { describe, expect, it } from "vitest";
import { asSentence, foldChanges } from "../../src/explain/fold.js";
import type { Change } from "../../src/explain/types.js";

const MNT = "c1's mount namespace";
const ns = (kind: string): Change => ({ kind: "namespace", action: "added", subject: `c1 ${kind}`, text: `c1: in its own ${kind} namespace` });
const mount = (target: string, fs: string): Change => ({ kind: "mount", action: "added", subject: target, where: MNT, text: `c1: ${target} mounted (${fs})` });
const shared = (target: string): Change => ({ kind: "mount", action: "changed", subject: target, where: MNT, text: `c1: ${target} is now shared` });

/** The nspawn lab's step 1, as the explainer reported it on a real run. */
const nspawnStep1: Change[] = [
  ...["mount", "pid", "uts", "cgroup", "ipc"].map(ns),
  ...[["/tmp", "tmpfs"], ["/dev", "tmpfs"], ["/run", "tmpfs"], ["/run/host", "tmpfs"], ["/run/host/os-release", "ext4 from /dev/vda"], ["/run/host/incoming", "tmpfs"]].map(([t, f]) => mount(t!, f!)),
  mount("/run/host/os-release", "ext4 from /dev/vda"),
  mount("/run/host/incoming", "tmpfs"),
  ...["/proc/sys", "/proc/acpi", "/proc/bus"].map((t) => mount(t, "proc")),
  { kind: "mount", action: "removed", subject: MNT, where: MNT, text: "c1: 4 of the host's mounts are no longer visible" },
  ...["/", "/sys", "/dev/shm", "/proc", "/sys/fs/cgroup", ...["pids", "blkio", "devices", "cpu", "memory", "cpuset", "systemd"].map((c) => `/sys/fs/cgroup/${c}`)].map(shared),
  { kind: "root", action: "changed", subject: "c1", text: "c1: root is now /var/tmp/rootlab/nspawn-ha0NVB/busybox-rootfs (on /dev/vda) (was /)" },
  { kind: "process", action: "added", subject: "c1", text: "c1: its shell is PID 1 inside = PID 11287 on the host" },
  { kind: "hostname", action: "changed", subject: "c1", text: "c1: hostname is rlns1" },
];

describe("foldChanges", () => {
  it("nspawn step 1: about 40 changes in 5 lines, duplicates dropped, every line a sentence", () => {
    const folded = foldChanges(nspawnStep1, 6);
    expect(folded.lines).toEqual([
      "Session c1: in its own mount, pid, uts, cgroup and ipc namespaces",
      "In c1's mount namespace: 9 new mounts (/tmp, /dev, /run, …), 4 host mounts no longer visible and 12 mounts now shared",
      "Session c1: root is now /var/tmp/rootlab/nspawn-ha0NVB/busybox-rootfs (on /dev/vda) (was /)",
      "Session c1: its shell is PID 1 inside = PID 11287 on the host",
      "Session c1: hostname is rlns1",
    ]);
    expect(folded.more).toBe(0);
    expect(folded.folded).toBe(true);
    // "See all" has every change once: the two duplicated mounts appear once each.
    expect(folded.all).toHaveLength(nspawnStep1.length - 2);
    expect(folded.all.filter((l) => l.includes("/run/host/os-release"))).toHaveLength(1);
    for (const line of [...folded.lines, ...folded.all]) expect(line).toMatch(/^([A-Z+-]|… )/);
  });

  it("cut to MAX lines: the last place is left for the caller's \"… and N more\"", () => {
    const folded = foldChanges(nspawnStep1, 3);
    expect(folded.lines).toHaveLength(2);
    expect(folded.more).toBe(3);
  });

  it.each<[string, Change[], string[]]>([
    ["nothing", [], []],
    ["a few mounts are listed one by one", [mount("/proc", "proc"), mount("/tmp", "tmpfs")], ["In c1's mount namespace: /proc mounted (proc)", "In c1's mount namespace: /tmp mounted (tmpfs)"]],
    ["one own namespace keeps its words", [ns("net")], ["Session c1: in its own net namespace"]],
    [
      "links and addresses as diff.ts says them",
      [
        { kind: "namespace", action: "added", subject: "netns rlv-ns1", text: "+ netns rlv-ns1" },
        { kind: "link", action: "changed", subject: "rlv-h1", where: "host", text: "rlv-h1 (host) is up" },
        { kind: "limit", action: "added", subject: "/sys/fs/cgroup/rl/memory.max", text: "rl: memory.max = 52428800" },
      ],
      ["+ netns rlv-ns1", "Link rlv-h1 (host) is up", "Cgroup rl: memory.max = 52428800"],
    ],
  ])("%s", (_name, changes, lines) => {
    expect(foldChanges(changes, 10).lines).toEqual(lines);
  });
});

describe("asSentence", () => {
  it.each<[Change, string]>([
    [{ kind: "mount", action: "added", subject: "/var/tmp/x/m", where: "host", text: "/var/tmp/x/m mounted (tmpfs)" }, "On the host: /var/tmp/x/m mounted (tmpfs)"],
    [{ kind: "namespace", action: "changed", subject: "netns a", text: "netns a lost its name, but lives on as box's net namespace" }, "Netns a lost its name, but lives on as box's net namespace"],
    [{ kind: "process", action: "removed", subject: "c1", text: "- session c1 ended" }, "- session c1 ended"],
  ])("%j", (change, want) => {
    expect(asSentence(change)).toBe(want);
  });
});

import { describe, expect, it } from "vitest";
import { attributableLeaks, isAttributable, mentions, reportableLeaks, splitLeaks, stillThere } from "../../src/exec/attribute-leaks.js";
import type { Leak } from "../../src/exec/types.js";

const SOURCE = "ip netns add rl-red\nsystemd-nspawn -M rlns1 --network-veth\necho hi > /tmp/rl-note.txt\nmkdir /sys/fs/cgroup/pids/rlg-demo\nnft add table inet rltest";
const LAB_DIR = "/var/tmp/rootlab/x-123";

describe("isAttributable", () => {
  it.each<[Leak, boolean]>([
    [{ kind: "process", name: "1234 sleep" }, true],
    [{ kind: "process", name: "1235 sleep (in netns rl-red)" }, true],
    [{ kind: "process", name: "1236 sleep (in netns someone-else)" }, false],
    [{ kind: "netns", name: "rl-red" }, true],
    [{ kind: "netns", name: "someone-else" }, false],
    [{ kind: "link", name: "ve-rlns1" }, true],
    [{ kind: "link", name: "ve-rlns1@if2" }, true],
    [{ kind: "link", name: "docker0" }, false],
    [{ kind: "file", name: "/tmp/rl-note.txt" }, true],
    [{ kind: "file", name: "/tmp/vscode-ipc-1.sock" }, false],
    [{ kind: "file", name: `${LAB_DIR}/x` }, true],
    [{ kind: "mount", name: `${LAB_DIR}/merged (overlay)` }, true],
    [{ kind: "mount", name: "/mnt/usb (vfat)" }, false],
    [{ kind: "loop", name: `/dev/loop3 (${LAB_DIR}/disk.img)` }, true],
    [{ kind: "loop", name: "/dev/loop0 (/var/lib/snapd/snaps/core.snap)" }, false],
    [{ kind: "cgroup", name: "/sys/fs/cgroup/pids/rlg-demo" }, true],
    // cgroup v1: a plain directory the student made at /sys/fs/cgroup itself (the leak check now sees it).
    [{ kind: "cgroup", name: "/sys/fs/cgroup/rlg-demo" }, true],
    [{ kind: "cgroup", name: "/sys/fs/cgroup/unified/rootlab-nspawn-25852/payload" }, true],
    [{ kind: "cgroup", name: "/sys/fs/cgroup/memory/payload" }, false],
    [{ kind: "firewall", name: "table inet rltest" }, true],
    [{ kind: "firewall", name: "table inet filter" }, false],
    // Another terminal's namespace whose name only contains one the lab uses is not the lab's.
    [{ kind: "netns", name: "rl-red2" }, false],
    [{ kind: "netns", name: "red" }, false],
    [{ kind: "mount", name: "/run/netns/rl-red (nsfs)" }, true],
    [{ kind: "mount", name: "/run/netns/rlt9xns (nsfs)" }, false],
    [{ kind: "link", name: "ve-rlns10" }, false],
    [{ kind: "file", name: "/run/rootlab/ch-host-8b48a1da-1" }, true],
    // Block-output folders carry their rootlab's pid: this run's are its own, another process's (a test's
    // sessions, a second terminal's run) are left alone.
    [{ kind: "file", name: `/run/rootlab/p${process.pid}-ch-host-8b48a1da-1` }, true],
    [{ kind: "file", name: `/run/rootlab/p${process.pid}-ch-host-8b48a1da-1/f3` }, true],
    [{ kind: "file", name: `/run/rootlab/p${process.pid + 1}-ch-host-8b48a1da-1` }, false],
    [{ kind: "file", name: `/run/rootlab/p${process.pid}0-ch-host-8b48a1da-1` }, false],
  ])("%o → %s", (leak, expected) => {
    expect(isAttributable(leak, SOURCE, LAB_DIR)).toBe(expected);
  });

  it("reports every leak except files and cgroups it cannot tie to the lab", () => {
    const leaks: Leak[] = [
      { kind: "netns", name: "someone-else" },
      { kind: "file", name: "/tmp/unrelated" },
      { kind: "file", name: "/tmp/rl-note.txt" },
      // A container agent's group for a command it ran meanwhile (seen in CI), a login's scope under systemd.
      { kind: "cgroup", name: "/sys/fs/cgroup/memory/process_api/4f076e2c198f43d81c250b9171dd6bf3" },
      { kind: "cgroup", name: "/sys/fs/cgroup/user.slice/user-0.slice/session-3.scope" },
      { kind: "cgroup", name: "/sys/fs/cgroup/pids/rlg-demo" },
    ];
    expect(reportableLeaks(leaks, SOURCE, LAB_DIR)).toEqual([leaks[0], leaks[2], leaks[5]]);
    expect(attributableLeaks(leaks, SOURCE, LAB_DIR)).toEqual([leaks[2], leaks[5]]);
  });

  it("splits what appeared into the lab's leftovers and others' objects, left alone", () => {
    const leaks: Leak[] = [
      { kind: "netns", name: "nutest" },
      { kind: "mount", name: "/run/netns/nutest (nsfs)" },
      { kind: "netns", name: "rl-red" },
      { kind: "file", name: "/tmp/unrelated" },
      { kind: "link", name: "rl-probe-veth" },
    ];
    expect(splitLeaks(leaks, SOURCE, LAB_DIR)).toEqual({ mine: [leaks[2]], others: [leaks[0], leaks[1]] });
  });

  it("says still there what removal left or a fresh look still finds", () => {
    const tried: Leak[] = [
      { kind: "netns", name: "rl-red" },
      { kind: "link", name: "veth-host" },
      { kind: "mount", name: "/mnt/x (tmpfs)" },
    ];
    expect(stillThere(tried, [tried[1]!], [{ kind: "mount", name: "/mnt/x (tmpfs)" }])).toEqual([tried[1], tried[2]]);
    expect(stillThere(tried, [], [])).toEqual([]);
  });
});

describe("mentions", () => {
  it.each<[string, string, boolean]>([
    ["ip netns add rl-red", "rl-red", true],
    ["ip netns add rl-red2", "rl-red", false],
    ["ip netns add rl-red.", "rl-red", true],
    ["NS=rl-red; ip netns exec \"$NS\" ip a", "rl-red", true],
    ["ls /run/netns/rl-red", "rl-red", true],
    ["mount -t tmpfs none /mnt/usb", "/mnt", false],
    ["umount /mnt/usb\n", "/mnt/usb", true],
    ["ip link add veth0 type bridge", "veth", false],
    ["", "x", false],
  ])("%j names %j: %s", (source, name, expected) => {
    expect(mentions(source, name)).toBe(expected);
  });
});

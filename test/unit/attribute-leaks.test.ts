import { describe, expect, it } from "vitest";
import { attributableLeaks, isAttributable, reportableLeaks } from "../../src/exec/attribute-leaks.js";
import type { Leak } from "../../src/exec/types.js";

const SOURCE = "ip netns add rl-red\nsystemd-nspawn -M rlns1 --network-veth\necho hi > /tmp/rl-note.txt\nmkdir /sys/fs/cgroup/pids/rlg-demo\nnft add table inet rltest";
const LAB_DIR = "/var/tmp/rootlab/x-123";

describe("isAttributable", () => {
  it.each<[Leak, boolean]>([
    [{ kind: "process", name: "1234 sleep" }, true],
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
    [{ kind: "cgroup", name: "/sys/fs/cgroup/unified/rootlab-nspawn-25852/payload" }, true],
    [{ kind: "cgroup", name: "/sys/fs/cgroup/memory/payload" }, false],
    [{ kind: "firewall", name: "table inet rltest" }, true],
    [{ kind: "firewall", name: "table inet filter" }, false],
  ])("%o → %s", (leak, expected) => {
    expect(isAttributable(leak, SOURCE, LAB_DIR)).toBe(expected);
  });

  it("reports every leak except files it cannot tie to the lab", () => {
    const leaks: Leak[] = [
      { kind: "netns", name: "someone-else" },
      { kind: "file", name: "/tmp/unrelated" },
      { kind: "file", name: "/tmp/rl-note.txt" },
    ];
    expect(reportableLeaks(leaks, SOURCE, LAB_DIR)).toEqual([leaks[0], leaks[2]]);
    expect(attributableLeaks(leaks, SOURCE, LAB_DIR)).toEqual([leaks[2]]);
  });
});

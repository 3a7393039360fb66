// explain, namespaces no process is in: found from nsfs bind mounts (in the host's mount table or another's) and
// open descriptors, named for a student, and what a step changed about them — the pure parts.
import { describe, expect, test } from "vitest";
import { diffViews } from "../../src/explain/diff.js";
import { foldChanges } from "../../src/explain/fold.js";
import { choosePins, nsfsMounts, type PinFound } from "../../src/explain/pins-read.js";
import { parseMountinfo } from "../../src/host/mountinfo.js";
import type { LinkView, MachineView, NetnsView, PinView, SessionView } from "../../src/explain/types.js";

const LAB = "/var/tmp/rootlab/pins-x1";
const line = (id: number, root: string, target: string, fsType: string) => `${id} 1 0:4 ${root} ${target} rw shared:9 - ${fsType} ${fsType} rw`;
const TABLE = parseMountinfo(
  [
    line(20, "/", "/", "ext4"),
    line(21, "net:[4026532290]", "/run/netns/rlv-ns1", "nsfs"),
    line(22, "net:[4026532400]", `${LAB}/ns-a`, "nsfs"),
    line(23, "mnt:[4026532401]", `${LAB}/mnt\\040a`, "nsfs"),
    line(24, "/", "/proc", "proc"),
    line(25, "uts:[4026532402]", "/srv/uts", "nsfs"),
  ].join("\n"),
);

describe("nsfsMounts", () => {
  test("the host's table: each nsfs mount, its kind and identity from the mount's root, opened at its target", () => {
    expect(nsfsMounts(TABLE).map((p) => [p.inode, p.kind, p.via])).toEqual([
      ["net:[4026532290]", "net", "/run/netns/rlv-ns1"],
      ["net:[4026532400]", "net", `${LAB}/ns-a`],
      ["mnt:[4026532401]", "mnt", `${LAB}/mnt a`],
      ["uts:[4026532402]", "uts", "/srv/uts"],
    ]);
  });
  test("another mount namespace's table: opened through the root of a process in it", () => {
    const [pin] = nsfsMounts(parseMountinfo(line(30, "net:[7]", "/run/netns/inner", "nsfs")), { in: "box's mount namespace", root: "/proc/4242/root" });
    expect(pin).toEqual({ inode: "net:[7]", kind: "net", how: { by: "mount", target: "/run/netns/inner", in: "box's mount namespace" }, via: "/proc/4242/root/run/netns/inner" });
  });
  test("an nsfs mount whose root names no namespace (an old kernel) is left out", () => {
    expect(nsfsMounts(parseMountinfo(line(31, "/", `${LAB}/x`, "nsfs")))).toEqual([]);
  });
});

describe("choosePins", () => {
  const fd = (inode: string, pid = 4243): PinFound => ({ inode, kind: inode.split(":")[0] as string, how: { by: "fd", pid, command: "sleep" }, via: `/proc/${pid}/fd/3` });
  const found = [...nsfsMounts(TABLE), fd("net:[4026532400]"), fd("ipc:[9]")];
  const pick = (named: string[]) => choosePins(found, new Set(named), LAB).map((p: PinView) => `${p.name} | ${p.how}`);
  test.each([
    [
      "nothing named yet: the host's /run/netns is left to `netns NAME`, a namespace mounted and open is said once, as mounted",
      [],
      [
        "net namespace at $LAB_DIR/ns-a | kept by a bind mount",
        "mount namespace at $LAB_DIR/mnt a | kept by a bind mount",
        "uts namespace at /srv/uts | kept by a bind mount",
        "ipc namespace open in PID 4243 | held open by PID 4243 (sleep)",
      ],
    ],
    ["named ones (the baseline's, a named netns', a session's) are left out", ["net:[4026532400]", "uts:[4026532402]", "ipc:[9]"], ["mount namespace at $LAB_DIR/mnt a | kept by a bind mount"]],
  ])("%s", (_, named, expected) => expect(pick(named)).toEqual(expected));
  test("a pin inside another mount namespace says which, and /run/netns there is no named netns of the host's", () => {
    const inner = nsfsMounts(parseMountinfo(line(30, "net:[7]", "/run/netns/inner", "nsfs")), { in: "box's mount namespace", root: "/proc/4242/root" });
    expect(choosePins(inner, new Set(), LAB).map((p) => p.name)).toEqual(["net namespace at /run/netns/inner in box's mount namespace"]);
  });
});

describe("diffViews with namespaces no process is in", () => {
  const HOST = "net:[1]";
  const PIN = "net:[4026532400]";
  const pin: PinView = { inode: PIN, kind: "net", name: "net namespace at $LAB_DIR/ns-a", how: "kept by a bind mount", via: `${LAB}/ns-a` };
  const lo: LinkView = { name: "lo", kind: "loopback", state: "DOWN", addresses: [], ifindex: 1 };
  const dummy: LinkView = { name: "rlp-d0", kind: "dummy", state: "UP", addresses: ["10.231.9.1/24"], ifindex: 2 };
  const ns = (name: string, inode: string, links: LinkView[], routes: string[] = []): NetnsView => ({ name, inode, links, routes, firewall: null });
  const nsfsMount = { target: `${LAB}/ns-a`, source: "nsfs", fsType: "nsfs", propagation: "shared" };
  const view = (v: Partial<MachineView>): MachineView => ({ netns: [ns("host", HOST, [])], mounts: { host: [] }, hostMounts: [], sessions: [], holders: [], pins: [], cgroups: [], ...v });
  const session = (net: string): SessionView => ({ name: "box", hostPid: 4300, innerPid: 4300, namespaces: { net }, inodes: { net: PIN }, root: "/", hostname: "" });
  const pinned = view({ pins: [pin], netns: [ns("host", HOST, []), ns(pin.name, PIN, [lo, dummy], ["10.231.9.0/24 dev rlp-d0 scope link"])], mounts: { host: [nsfsMount] } });
  test.each([
    [
      "unshare --net=FILE, then a link, address and route in it: the pin once, no nsfs mount, no loopback",
      view({}),
      pinned,
      [
        "+ net namespace at $LAB_DIR/ns-a (kept by a bind mount)",
        "+ dummy rlp-d0 (net namespace at $LAB_DIR/ns-a)",
        "+ 10.231.9.1/24 on rlp-d0 (net namespace at $LAB_DIR/ns-a)",
        "+ route 10.231.9.0/24 dev rlp-d0 scope link (net namespace at $LAB_DIR/ns-a)",
      ],
    ],
    ["umount FILE: the namespace and its link are gone", pinned, view({}), ["- net namespace at $LAB_DIR/ns-a", "- dummy rlp-d0 (net namespace at $LAB_DIR/ns-a)"]],
    [
      "umount FILE while a session is in it (nsenter --net=FILE): it lives on, its link too",
      { ...pinned, sessions: [session(pin.name)] },
      view({ sessions: [session("box's net namespace")], netns: [ns("host", HOST, []), ns("box's net namespace", PIN, [lo, dummy], ["10.231.9.0/24 dev rlp-d0 scope link"])] }),
      ["net namespace at $LAB_DIR/ns-a: unmounted; lives on as box's net namespace"],
    ],
    [
      "an open descriptor is all that is left of it",
      view({}),
      view({ pins: [{ ...pin, name: "net namespace open in PID 77", how: "held open by PID 77 (sleep)", via: "/proc/77/fd/3" }], netns: [ns("host", HOST, []), ns("net namespace open in PID 77", PIN, [lo])] }),
      ["+ net namespace open in PID 77 (held open by PID 77 (sleep))"],
    ],
    ["a mount namespace pinned with unshare --mount=FILE", view({}), view({ pins: [{ inode: "mnt:[5]", kind: "mnt", name: "mount namespace at $LAB_DIR/mnt", how: "kept by a bind mount", via: "" }] }), ["+ mount namespace at $LAB_DIR/mnt (kept by a bind mount)"]],
    ["views recorded before pins were read say nothing", { ...pinned, pins: undefined }, view({}), ["- dummy rlp-d0 (net namespace at $LAB_DIR/ns-a)"]],
  ])("%s", (_, before, after, expected) => expect(diffViews(before, after).map((c) => c.text)).toEqual(expected));
  test("in a new namespace: an address on its loopback is said, and a veth pair with both ends there is one short line", () => {
    const a: LinkView = { name: "rlp-a", kind: "veth", state: "DOWN", addresses: [], ifindex: 3, iflink: 4, peer: { name: "rlp-b", netns: pin.name } };
    const b: LinkView = { name: "rlp-b", kind: "veth", state: "DOWN", addresses: [], ifindex: 4, iflink: 3, peer: { name: "rlp-a", netns: pin.name } };
    const after = view({ pins: [pin], netns: [ns("host", HOST, []), ns(pin.name, PIN, [{ ...lo, addresses: ["10.231.9.1/24"] }, a, b])] });
    expect(diffViews(view({}), after).map((c) => c.text)).toEqual([
      "+ net namespace at $LAB_DIR/ns-a (kept by a bind mount)",
      "+ veth rlp-a ⇄ rlp-b (net namespace at $LAB_DIR/ns-a)",
      "+ 10.231.9.1/24 on lo (net namespace at $LAB_DIR/ns-a)",
    ]);
  });
  test("every line fits 80 columns and folds as it is", () => {
    const folded = foldChanges(diffViews(view({}), pinned), 10);
    expect(folded.lines[0]).toBe("+ net namespace at $LAB_DIR/ns-a (kept by a bind mount)");
    for (const l of folded.lines) expect(l.length, l).toBeLessThanOrEqual(78);
  });
});

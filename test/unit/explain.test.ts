// explain, the pure parts: views in → changes in plain words, the wiring as a picture and as Mermaid, the
// instructor's document. The views come from a recording of a real machine (test/fixtures/explain) and small
// hand-made ones for the cases a recording cannot stage cheaply.
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { diffViews } from "../../src/explain/diff.js";
import { renderDiagram, renderMermaid, wiringOf } from "../../src/explain/diagram.js";
import { explainDocument } from "../../src/explain/document.js";
import { firewallLines, parseNetnsOutput } from "../../src/explain/netns-read.js";
import type { LinkView, MachineView, SessionView } from "../../src/explain/types.js";
import { parseLab } from "../../src/format/parse.js";
import { renderMarkdown } from "../../src/term/markdown.js";
import { plainStyle } from "../../src/term/style.js";

const recorded = JSON.parse(readFileSync(new URL("../fixtures/explain/veth-bridge.json", import.meta.url), "utf8")) as { before: MachineView; after: MachineView };

const link = (name: string, extra: Partial<LinkView> = {}): LinkView => ({ name, kind: "veth", state: "DOWN", addresses: [], ifindex: 10, ...extra });
const session = (name: string, extra: Partial<SessionView> = {}): SessionView => ({
  name,
  hostPid: 100,
  innerPid: 100,
  namespaces: { net: "host", mnt: "host", pid: "host", uts: "host" },
  inodes: { net: "n0", mnt: "m0", pid: "p0", uts: "u0" },
  root: "/",
  hostname: "",
  ...extra,
});
const view = (v: Partial<MachineView>): MachineView => ({ netns: [{ name: "host", inode: "n0", links: [], routes: [], firewall: [] }], mounts: { host: [] }, hostMounts: [], sessions: [], cgroups: [], ...v });

describe("diff, a mount replaced in place", () => {
  // layers step 5: `umount merged`, then a read-only overlay of the lower layers at the same place.
  const merged = (options: string) => ({ target: "/var/tmp/rootlab/layers-x/merged", source: "overlay", fsType: "overlay", propagation: "private", options });
  test("other options at the same place are a change, named", () => {
    const before = view({ mounts: { host: [merged("rw,relatime rw,lowerdir=/l/base,upperdir=/l/app,workdir=/l/work")] } });
    const after = view({ mounts: { host: [merged("ro,relatime ro,lowerdir=/l/cfg:/l/app:/l/base")] } });
    expect(diffViews(before, after).map((c) => c.text)).toEqual([
      "/var/tmp/rootlab/layers-x/merged mounted again with other options: now ro, lowerdir=/l/cfg:/l/app:/l/base; no longer rw, lowerdir=/l/base, upperdir=/l/app, workdir=/l/work",
    ]);
  });
  test("the same options: no change", () => {
    const same = view({ mounts: { host: [merged("rw,relatime rw,lowerdir=/l/base")] } });
    expect(diffViews(same, same)).toEqual([]);
  });
});

describe("diff, mounts stacked at one place", () => {
  // nspawn's /run/host/os-release: a read-write bind with a read-only one stacked over it, in a container seen
  // before (nspawn step 4 trial: "In c1's mount namespace: 4 mounts now changed and shared" after every step).
  const osRelease = (options: string, propagation: string) => ({ target: "/run/host/os-release", source: "/dev/vda", fsType: "ext4", propagation, options });
  const stacked = { "c1's mount namespace": [osRelease("ro,nosuid,nodev,noexec,relatime", "shared"), osRelease("rw,relatime", "private")] };
  test("the same stack is no change", () => {
    expect(diffViews(view({ mounts: { host: [], ...stacked } }), view({ mounts: { host: [], ...stacked } }))).toEqual([]);
  });
  test("the upper one remounted is named once", () => {
    const after = { "c1's mount namespace": [osRelease("ro,nosuid,nodev,noexec,relatime", "shared"), osRelease("ro,relatime", "private")] };
    expect(diffViews(view({ mounts: { host: [], ...stacked } }), view({ mounts: { host: [], ...after } })).map((c) => c.text)).toEqual([
      "c1: /run/host/os-release mounted again with other options: now ro; no longer rw",
    ]);
  });
});

describe("diff, from a recorded machine", () => {
  test("a veth into a named netns, an address, a bridge", () => {
    expect(diffViews(recorded.before, recorded.after).map((c) => c.text)).toEqual([
      "+ netns rlx-n1",
      "+ veth rlx-h1 (host) ⇄ eth0 (netns rlx-n1)",
      "+ bridge rlx-br (host)",
      "+ 10.231.99.1/24 on rlx-h1 (host)",
      "+ route 10.231.99.0/24 dev rlx-h1 scope link (host)",
    ]);
  });

  test("no change is no change", () => {
    expect(diffViews(recorded.after, recorded.after)).toEqual([]);
  });

  test("the way back is the same list, removed", () => {
    const back = diffViews(recorded.after, recorded.before);
    expect(back.map((c) => c.text)).toContain("- netns rlx-n1");
    expect(back.map((c) => c.text)).toContain("- veth rlx-h1 (host) ⇄ eth0 (netns rlx-n1)");
    expect(back.every((c) => c.action !== "added")).toBe(true);
  });
});

describe("diff, table of cases", () => {
  const pivot = {
    before: view({ sessions: [session("box", { namespaces: { mnt: "box's mount namespace", pid: "box's pid namespace" }, inodes: { mnt: "m1", pid: "p1" }, innerPid: 1, hostPid: 4242 })], mounts: { host: [], "box's mount namespace": [{ target: "/", source: "/dev/vda", fsType: "ext4", propagation: "private" }] } }),
    after: view({
      sessions: [session("box", { namespaces: { mnt: "box's mount namespace", pid: "box's pid namespace" }, inodes: { mnt: "m1", pid: "p1" }, innerPid: 1, hostPid: 4242, root: "/var/tmp/rootlab/x/rootfs (on /dev/vda)" })],
      mounts: { host: [], "box's mount namespace": [{ target: "/", source: "/dev/vda", fsType: "ext4", propagation: "private" }, { target: "/proc", source: "proc", fsType: "proc", propagation: "private" }] },
    }),
  };
  test.each([
    ["pivot_root and /proc in the box", pivot.before, pivot.after, ["box: /proc mounted (proc)", "box: root is now /var/tmp/rootlab/x/rootfs (on /dev/vda) (was /)"]],
    [
      "a limit written in a new cgroup",
      view({}),
      view({ cgroups: [{ path: "/sys/fs/cgroup/rl-demo", limits: { "memory.max": "52428800", "pids.max": "20" } }] }),
      ["+ cgroup /sys/fs/cgroup/rl-demo", "rl-demo: memory.max = 52428800", "rl-demo: pids.max = 20"],
    ],
    [
      "a session in new namespaces, PID 1 inside",
      view({}),
      view({ sessions: [session("c1", { namespaces: { net: "c1's net namespace", pid: "c1's pid namespace" }, inodes: { net: "n9", pid: "p9" }, innerPid: 1, hostPid: 48213, hostname: "rlns1" })] }),
      ["c1: in its own net namespace", "c1: in its own pid namespace", "c1: its shell is PID 1 inside = PID 48213 on the host", "c1: hostname is rlns1"],
    ],
    [
      "a named netns loses its name but lives on",
      view({ netns: [{ name: "host", inode: "n0", links: [], routes: [], firewall: [] }, { name: "netns rl-a", inode: "n5", links: [link("eth0")], routes: [], firewall: [] }] }),
      view({ netns: [{ name: "host", inode: "n0", links: [], routes: [], firewall: [] }, { name: "box's net namespace", inode: "n5", links: [link("eth0")], routes: [], firewall: [] }] }),
      ["netns rl-a lost its name, but lives on as box's net namespace"],
    ],
    [
      "a port joins a bridge, a rule in the lab's table",
      view({ netns: [{ name: "host", inode: "n0", links: [link("rl-p"), link("rl-br", { kind: "bridge" })], routes: [], firewall: [] }] }),
      view({ netns: [{ name: "host", inode: "n0", links: [link("rl-p", { master: "rl-br" }), link("rl-br", { kind: "bridge" })], routes: [], firewall: ["table bridge rl", "rule bridge rl fwd: counter"] }] }),
      ["rl-p is now a port of bridge rl-br", "+ firewall table bridge rl (host)", "+ firewall rule bridge rl fwd: counter (host)"],
    ],
    // capabilities step 1 attached a loop device: "no change to … mounts" said nothing of it.
    ["a loop device attached on the lab's disk image", view({ loops: [] }), view({ loops: ["/dev/loop3 (/var/tmp/rootlab/x/disk.img)"] }), ["+ loop device /dev/loop3 (/var/tmp/rootlab/x/disk.img)"]],
    ["a loop device detached", view({ loops: ["/dev/loop3 (/var/tmp/rootlab/x/disk.img)"] }), view({ loops: [] }), ["- loop device /dev/loop3 (/var/tmp/rootlab/x/disk.img) detached"]],
    ["a view recorded without loop devices says nothing of them", view({}), view({ loops: ["/dev/loop3 (/var/tmp/rootlab/x/disk.img)"] }), []],
  ])("%s", (_name, before, after, texts) => {
    expect(diffViews(before, after).map((c) => c.text)).toEqual(texts);
  });

  test("every change uses the documented vocabulary", () => {
    const kinds = new Set(["namespace", "link", "address", "route", "firewall", "mount", "loop", "root", "process", "hostname", "cgroup", "limit"]);
    for (const c of diffViews(recorded.before, recorded.after)) {
      expect(kinds.has(c.kind)).toBe(true);
      expect(["added", "removed", "changed"]).toContain(c.action);
      expect(c.subject.length).toBeGreaterThan(0);
    }
  });
});

describe("the picture", () => {
  const w = wiringOf(recorded.after, recorded.before);
  test("namespaces as boxes, the veth pair as a line, addresses on the ends", () => {
    const lines = renderDiagram(w);
    const text = lines.join("\n");
    expect(text).toMatch(/┌─ host/);
    expect(text).toMatch(/┌─ netns rlx-n1/);
    expect(text).toMatch(/│ rlx-h1 10\.231\.99\.1\/24 +├─+┤ eth0 +│/);
    expect(text).toContain("rlx-br (bridge)");
    expect(new Set(lines.map((l) => l.length)).size).toBeGreaterThan(0);
  });
  test("plain ASCII when the terminal needs it", () => {
    expect(renderDiagram(w, { ascii: true }).join("\n")).toMatch(/^[\x20-\x7e\n]+$/);
  });
  test("Mermaid: a subgraph per namespace and an edge per pair", () => {
    const m = renderMermaid(w);
    expect(m.startsWith("flowchart LR\n")).toBe(true);
    expect(m).toContain('subgraph ns_netns_rlx_n1["netns rlx-n1"]');
    expect(m).toContain("host_rlx_h1 --- netns_rlx_n1_eth0");
  });
  test("nothing to draw without the lab's links", () => {
    expect(renderDiagram(wiringOf(recorded.before, recorded.before))).toEqual([]);
  });
});

describe("reading a namespace", () => {
  test("ip -d -j addr, ip -j route and nft, split and reduced", () => {
    const addr = JSON.stringify([{ ifindex: 3, ifname: "rl-h", link_index: 2, link_netnsid: 0, operstate: "UP", linkinfo: { info_kind: "veth" }, addr_info: [{ family: "inet", local: "10.0.0.1", prefixlen: 24 }, { family: "inet6", local: "fe80::1", prefixlen: 64 }] }]);
    const route = JSON.stringify([{ dst: "10.0.0.0/24", dev: "rl-h", scope: "link" }]);
    const nft = "table inet rl {\n\tchain fwd {\n\t\ttype filter hook forward priority filter; policy accept;\n\t\tiifname \"rl-h\" counter packets 3 bytes 252 accept # handle 4\n\t}\n}\n";
    const raw = parseNetnsOutput(`${addr}\n@@rootlab-explain@@\n${route}\n@@rootlab-explain@@\n${nft}`);
    expect(raw?.links[0]).toMatchObject({ name: "rl-h", kind: "veth", state: "UP", addresses: ["10.0.0.1/24"], iflink: 2, peerElsewhere: true });
    expect(raw?.routes).toEqual(["10.0.0.0/24 dev rl-h scope link"]);
    expect(raw?.firewall).toEqual(["table inet rl", "chain inet rl fwd", 'rule inet rl fwd: iifname "rl-h" counter accept']);
  });
  test("counters never make a rule new", () => {
    expect(firewallLines("table ip t {\nchain c {\ncounter packets 9 bytes 9 drop\n}\n}")).toEqual(firewallLines("table ip t {\nchain c {\ncounter packets 1 bytes 1 drop\n}\n}"));
  });
});

describe("rootlab explain's document", () => {
  const src = "---\nid: t\nformat: 1\n---\n# T\n\n## Make it\n\n```sh\ntrue\n```\n\nThe veth now joins the host and rlx-n1.\n\n## Look\n\n```sh\ntrue\n```\n";
  const parsed = parseLab(src, "t.md");
  test("the lab's words beside the machine's, per step", () => {
    if (!parsed.ok) throw new Error("fixture lab must parse");
    const doc = explainDocument({ lab: parsed.lab, observed: new Map([[0, { changes: diffViews(recorded.before, recorded.after), wiring: wiringOf(recorded.after, recorded.before) }], [-1, { changes: [] }]]), diagram: "mermaid" });
    expect(doc).toContain("## 1. Make it");
    expect(doc).toContain("> The veth now joins the host and rlx-n1.");
    expect(doc).toContain("- \\+ veth rlx-h1 (host) ⇄ eth0 (netns rlx-n1)");
    // On a terminal the "+" stays a mark, not a second bullet ("• • netns …" before).
    const shown = renderMarkdown(doc, { width: 200, style: plainStyle(true) });
    expect(shown).toContain("• + veth rlx-h1 (host) ⇄ eth0 (netns rlx-n1)");
    expect(shown).not.toMatch(/• •/);
    expect(doc).toContain("```mermaid\nflowchart LR");
    expect(doc).toContain("_(the step did not run)_");
    expect(doc).toContain("The machine is as it was before the lab.");
  });
});

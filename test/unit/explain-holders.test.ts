// explain, the lab's processes outside its sessions (a container runtime's first process, a daemon): which
// processes are the lab's, whom a namespace is named after, and what a step changed about them, in words.
import { describe, expect, test } from "vitest";
import { diffCgroupProcs, diffHolders, mergeHierarchies, processList } from "../../src/explain/diff-holders.js";
import { diffViews } from "../../src/explain/diff.js";
import { foldChanges } from "../../src/explain/fold.js";
import { isLabProcess, parseStat, pickHolders, type ProcInfo } from "../../src/explain/processes-read.js";
import type { CgroupView, Change, HolderView, MachineView, MountView } from "../../src/explain/types.js";

const HOST = { user: "user:[1]", mnt: "mnt:[2]", uts: "uts:[3]", ipc: "ipc:[4]", net: "net:[5]", pid: "pid:[6]", cgroup: "cgroup:[7]" };
const C1 = { user: "user:[11]", mnt: "mnt:[12]", uts: "uts:[13]", ipc: "ipc:[14]", net: "net:[15]", pid: "pid:[16]", cgroup: "cgroup:[17]" };
const proc = (pid: number, ppid: number, start: number, ns: Partial<ProcInfo["ns"]> = {}, command = "sh"): ProcInfo => ({ pid, ppid, start, command, ns: { ...HOST, ...ns } });

// rootlab is PID 100 (started at tick 10), its session shell PID 200, the lab began at tick 50.
const ROOTLAB = { ...proc(100, 1, 10, {}, "node"), sid: 100 };
const SHELL = { ...proc(200, 100, 20, {}, "bash"), sid: 200 };
const opts = { sessions: [200], self: 100, since: 50 };
const known = new Set(Object.values(HOST));

describe("parseStat", () => {
  test.each([
    ["a plain name", "4243 (sh) S 4242 4243 1 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 123456 0 0", { pid: 4243, ppid: 4242, sid: 1, start: 123456, command: "sh", state: "S" }],
    ["a name with spaces and parentheses", "77 (a (b) c) S 1 77 77 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 99 0 0", { pid: 77, ppid: 1, sid: 77, start: 99, command: "a (b) c", state: "S" }],
    ["no name at all", "garbage", undefined],
  ])("%s", (_, text, expected) => expect(parseStat(text)).toEqual(expected));
});

describe("isLabProcess", () => {
  const byPid = (...ps: ProcInfo[]) => new Map([ROOTLAB, SHELL, ...ps].map((p) => [p.pid, p]));
  test.each([
    ["a child of a session", proc(300, 200, 60), true],
    ["a grandchild of a session started before the lab began (an nspawn machine's)", proc(301, 200, 5), true],
    ["an orphan started during the lab (setsid -f, a daemon)", proc(302, 1, 70), true],
    ["an orphan older than the lab (a service)", proc(303, 1, 40), false],
    ["rootlab's own helper, outside the sessions (the observer's nsenter)", proc(304, 100, 80, {}, "nsenter"), false],
  ])("%s", (_, p, expected) => expect(isLabProcess(p, byPid(p), opts)).toBe(expected));
  // Reparented under an old subreaper (systemd --user, a container's init: PID 50, started before the lab).
  const reaper = { ...proc(50, 1, 5, {}, "systemd"), sid: 50 };
  const env = (pids: number[]) => ({ ...opts, runId: "r1", carriesRunId: (p: ProcInfo, id: string) => id === "r1" && pids.includes(p.pid) });
  test.each([
    ["a daemon that kept the session's terminal session (no setsid)", { ...proc(310, 50, 70), sid: 200 }, opts, true],
    ["a daemon that called setsid but kept its environment (ROOTLAB_RUN_ID)", { ...proc(311, 50, 70), sid: 311 }, env([311]), true],
    ["a daemon that called setsid and cleared its environment: nothing left to tell", { ...proc(312, 50, 70), sid: 312 }, env([]), false],
    ["a process of the subreaper's own, started during the lab", { ...proc(313, 50, 70), sid: 50 }, env([]), false],
    ["an old process in the session's terminal session is not new", { ...proc(314, 50, 30), sid: 200 }, env([314]), false],
    ["rootlab's own helper carrying the run's id is still rootlab's", { ...proc(315, 100, 80, {}, "nsenter"), sid: 100 }, env([315]), false],
  ])("under an old subreaper: %s", (_, p, o, expected) => expect(isLabProcess(p, byPid(reaper, p), o)).toBe(expected));
  test("sessions sharing rootlab's terminal session do not make rootlab's session the lab's", () => {
    const shared = { ...SHELL, sid: 100 };
    const p = { ...proc(316, 50, 70), sid: 100 };
    expect(isLabProcess(p, new Map([ROOTLAB, shared, reaper, p].map((x) => [x.pid, x])), opts)).toBe(false);
  });
  test("a new process under someone else's older shell is not the lab's", () => {
    const other = proc(400, 1, 30, {}, "bash");
    const child = proc(401, 400, 90);
    expect(isLabProcess(child, byPid(other, child), opts)).toBe(false);
  });
});

describe("pickHolders", () => {
  // lab 14's create: sh (cgroup) exec's unshare, which forks the container's PID 1; unshare stays outside the new PID namespace.
  const unshare = proc(4242, 200, 60, { ...C1, pid: HOST.pid }, "unshare");
  const first = proc(4243, 4242, 61, C1, "sh");
  test.each([
    ["the container's PID 1 holds all seven, not unshare", [unshare, first], known, [{ pid: 4243, held: C1 }]],
    ["the order of /proc does not matter", [first, unshare], known, [{ pid: 4243, held: C1 }]],
    ["known namespaces (a session's, a named netns) are nobody's", [unshare, first], new Set([...known, C1.net, C1.uts]), [{ pid: 4243, held: { user: C1.user, mnt: C1.mnt, ipc: C1.ipc, pid: C1.pid, cgroup: C1.cgroup } }]],
    ["two processes of one container: the older holds a tie", [proc(500, 1, 70, { net: "net:[9]" }, "sleep"), proc(501, 1, 75, { net: "net:[9]" }, "sleep")], known, [{ pid: 500, held: { net: "net:[9]" } }]],
    ["a service's private namespace is not the lab's", [proc(600, 1, 20, { mnt: "mnt:[60]" }, "svc")], known, []],
  ])("%s", (_, procs, k, expected) => expect(pickHolders([ROOTLAB, SHELL, ...procs], { ...opts, known: k })).toEqual(expected));
});

const holder = (extra: Partial<HolderView> = {}): HolderView => ({ pid: 4243, command: "sh", innerPid: 1, inodes: { ...C1 }, root: "/", hostname: "", ...extra });
const run = (f: (out: Change[]) => void) => {
  const out: Change[] = [];
  f(out);
  return out.map((c) => c.text);
};

describe("diffHolders", () => {
  test.each([
    ["a container's first process appears", [], [holder()], ["+ PID 4243 (sh): 7 new namespaces (user, mnt, uts, ipc, net, pid, cgroup)", "PID 4243 is PID 1 inside its PID namespace"]],
    ["one new network namespace, no PID namespace", [], [holder({ innerPid: 4243, inodes: { net: "net:[9]" }, command: "sleep" })], ["+ PID 4243 (sleep): a new net namespace"]],
    ["a time namespace (unshare --time) is watched too", [], [holder({ innerPid: 4243, inodes: { time: "time:[9]" }, command: "sleep" })], ["+ PID 4243 (sleep): a new time namespace"]],
    ["nothing changed", [holder()], [holder()], []],
    ["pivot_root and a hostname", [holder()], [holder({ root: "/var/tmp/rootlab/x/rootfs", hostname: "one" })], ["PID 4243: root is now /var/tmp/rootlab/x/rootfs (was /)", "PID 4243: hostname is one"]],
    ["exec of the image's command", [holder({ root: "/r" })], [holder({ root: "/r", command: "httpd" })], ["PID 4243 now runs httpd (was sh)"]],
    ["it ended, its namespaces with it", [holder({ command: "httpd" })], [], ["- PID 4243 (httpd) ended: its 7 namespaces are gone"]],
    ["it ended, another process still holds its net namespace", [holder({ inodes: { net: "net:[9]" } })], [holder({ pid: 4300, inodes: { net: "net:[9]" } })], []],
  ])("%s", (_, before, after, expected) => expect(run((out) => diffHolders(before, after, out))).toEqual(expected));
});

describe("diffCgroupProcs", () => {
  const cg = (procs?: { pid: number; command: string }[]): CgroupView => ({ path: "/sys/fs/cgroup/rlr-one", limits: {}, ...(procs ? { procs } : {}) });
  test.each([
    ["two processes join", cg([]), cg([{ pid: 4242, command: "unshare" }, { pid: 4243, command: "sh" }]), ["cgroup rlr-one: PID 4242 (unshare) and PID 4243 (sh) joined"]],
    ["a new group with a process in it", undefined, cg([{ pid: 7, command: "sleep" }]), ["cgroup rlr-one: PID 7 (sleep) joined"]],
    ["one leaves", cg([{ pid: 7, command: "sleep" }]), cg([]), ["cgroup rlr-one: PID 7 (sleep) left"]],
    ["many leave", cg([1, 2, 3, 4].map((pid) => ({ pid, command: "x" }))), cg([]), ["cgroup rlr-one: 4 processes left"]],
    ["an exec is no change", cg([{ pid: 7, command: "sh" }]), cg([{ pid: 7, command: "httpd" }]), []],
    ["a view recorded before processes were read", cg(), cg([{ pid: 7, command: "sleep" }]), []],
  ])("%s", (_, was, now, expected) => expect(run((out) => diffCgroupProcs(was, now, out))).toEqual(expected));
  test("processList names three and counts the rest", () => {
    expect(processList([1, 2, 3, 4, 5].map((pid) => ({ pid, command: "w" })))).toBe("PID 1 (w), PID 2 (w), PID 3 (w) and 2 more");
  });
});

describe("diffViews with a lab process", () => {
  const m = (target: string, propagation = "shared", fsType = "ext4"): MountView => ({ target, source: "/dev/vda", fsType, propagation });
  const hostMounts = ["/", ...Array.from({ length: 10 }, (_, i) => `/m${i}`)].map((t) => m(t));
  const view = (v: Partial<MachineView>): MachineView => ({ netns: [{ name: "host", inode: HOST.net, links: [], routes: [], firewall: [] }], mounts: { host: [] }, hostMounts, sessions: [], holders: [], cgroups: [], ...v });
  const NS = "PID 4243's mount namespace";
  test("a new mount namespace whose copies all turned private is one line, and folds to one", () => {
    const after = view({ holders: [holder()], mounts: { host: [], [NS]: hostMounts.map((x) => ({ ...x, propagation: "private" })) } });
    const changes = diffViews(view({}), after);
    expect(changes.map((c) => c.text)).toEqual([
      "+ PID 4243 (sh): 7 new namespaces (user, mnt, uts, ipc, net, pid, cgroup)",
      "PID 4243: 11 mounts copied from the host are now private",
      "PID 4243 is PID 1 inside its PID namespace",
    ]);
    expect(foldChanges(changes, 10).lines).toContain("PID 4243: 11 mounts copied from the host are now private");
  });
  test("pivot_root inside it: its mounts, the host's gone from view, the new root", () => {
    // The copy of the host's table had a /proc too: the container's own is a new mount all the same.
    const before = view({ holders: [holder()], mounts: { host: [], [NS]: [...hostMounts, m("/proc", "private", "proc")] } });
    const after = view({ holders: [holder({ root: "/lab/rootfs" })], mounts: { host: [], [NS]: [m("/", "private", "overlay"), m("/proc", "private", "proc"), m("/dev", "private", "tmpfs")] } });
    expect(diffViews(before, after).map((c) => c.text)).toEqual([
      "PID 4243: /proc mounted (proc from /dev/vda)",
      "PID 4243: /dev mounted (tmpfs from /dev/vda)",
      "PID 4243: 11 of the host's mounts are no longer visible",
      "PID 4243: root is now /lab/rootfs (was /)",
    ]);
  });
  test("a namespace new in this step with another root (runc): its /proc is new although the host has one", () => {
    const after = view({ holders: [holder()], mounts: { host: [], [NS]: [m("/", "private", "overlay"), m("/proc", "private", "proc")] } });
    const texts = diffViews(view({ hostMounts: [...hostMounts, m("/proc", "shared", "proc")] }), after).map((c) => c.text);
    expect(texts).toContain("PID 4243: /proc mounted (proc from /dev/vda)");
    expect(texts).toContain("PID 4243: 11 of the host's mounts are no longer visible");
  });
  test("its mount namespace ending is said once, by the process", () => {
    const before = view({ holders: [holder()], mounts: { host: [], [NS]: hostMounts } });
    expect(diffViews(before, view({})).map((c) => c.text)).toEqual(["- PID 4243 (sh) ended: its 7 namespaces are gone"]);
  });
  test("a veth end moved into its network namespace names it", () => {
    const ns = (name: string, inode: string, links: MachineView["netns"][number]["links"]) => ({ name, inode, links, routes: [], firewall: [] });
    const before = view({ holders: [holder()], netns: [ns("host", HOST.net, []), ns("PID 4243's net namespace", C1.net, [])] });
    const after = view({
      holders: [holder()],
      netns: [ns("host", HOST.net, []), ns("PID 4243's net namespace", C1.net, [{ name: "eth0", kind: "veth", state: "DOWN", addresses: ["10.231.14.2/24"], ifindex: 2 }])],
    });
    expect(diffViews(before, after).map((c) => c.text)).toEqual(["+ veth eth0 (PID 4243's net namespace)", "+ 10.231.14.2/24 on eth0 (PID 4243's net namespace)"]);
  });
});

describe("mergeHierarchies (cgroup v1: one tree per controller)", () => {
  const added = (h: string, leaf = "rlr-three"): Change => ({ kind: "cgroup", action: "added", subject: `/sys/fs/cgroup/${h}/${leaf}`, text: `+ cgroup /sys/fs/cgroup/${h}/${leaf}` });
  const joined = (h: string, who = "PID 7 (httpd)"): Change => ({ kind: "cgroup", action: "changed", subject: `/sys/fs/cgroup/${h}/rlr-three`, text: `cgroup ${h}/rlr-three: ${who} joined` });
  const limit: Change = { kind: "limit", action: "added", subject: "/sys/fs/cgroup/pids/rlr-three/pids.max", text: "pids/rlr-three: pids.max = 32" };
  test.each([
    ["one hierarchy (v2) stays as it is", [added("rlr-demo", "x")], ["+ cgroup /sys/fs/cgroup/rlr-demo/x"]],
    ["two (a runtime's memory and pids groups) are one line, both named", [added("memory/process_api/06ee"), added("pids")], ["+ cgroup rlr-three in 2 hierarchies (memory, pids)"]],
    ["groups of other names stay apart", [added("memory", "rlg-mem"), added("pids", "rlg-pids")], ["+ cgroup /sys/fs/cgroup/memory/rlg-mem", "+ cgroup /sys/fs/cgroup/pids/rlg-pids"]],
    [
      "runc's ten, one nested below rootlab's own group, become one line each; limits stay",
      [added("blkio"), joined("blkio"), added("cpu"), joined("cpu"), added("memory/process_api/06ee"), joined("memory/process_api/06ee"), added("pids"), joined("pids"), limit],
      ["+ cgroup rlr-three in 4 hierarchies (blkio, cpu, memory, …)", "cgroup rlr-three (4 hierarchies): PID 7 (httpd) joined", "pids/rlr-three: pids.max = 32"],
    ],
    ["different processes joined stay apart", [joined("blkio"), joined("pids", "PID 8 (sh)")], ["cgroup blkio/rlr-three: PID 7 (httpd) joined", "cgroup pids/rlr-three: PID 8 (sh) joined"]],
  ])("%s", (_, changes, expected) => expect(mergeHierarchies(changes).map((c) => c.text)).toEqual(expected));
});

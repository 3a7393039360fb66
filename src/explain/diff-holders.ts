// What a step changed about the lab's processes outside its sessions — a container's first process in seven new
// namespaces, its root after pivot_root, its hostname, the program it runs after exec — and who joined or left
// the lab's cgroups. Pure: views in, changes in plain words out (./diff.ts puts them with the rest).
import type { Change, CgroupView, HolderView, MachineView, ProcessRef } from "./types.js";

/** Processes named on one line before "and N more". */
const NAMED = 3;

const ORDER = ["user", "mnt", "uts", "ipc", "net", "pid", "cgroup", "time"];

const who = (p: ProcessRef) => `PID ${p.pid} (${p.command})`;

function list(words: string[]): string {
  return words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}

/** "PID 4242 (unshare) and PID 4243 (sh)", "PID 1 (a), PID 2 (b), PID 3 (c) and 2 more". */
export function processList(procs: readonly ProcessRef[]): string {
  const named = procs.slice(0, NAMED).map(who);
  return procs.length > NAMED ? `${named.join(", ")} and ${procs.length - NAMED} more` : list(named);
}

export function diffHolders(before: readonly HolderView[], after: readonly HolderView[], out: Change[]): void {
  const old = new Map(before.map((h) => [h.pid, h]));
  const seenBefore = new Set(before.flatMap((h) => Object.values(h.inodes)));
  const seenAfter = new Set(after.flatMap((h) => Object.values(h.inodes)));
  for (const h of after) {
    const was = old.get(h.pid);
    const fresh = ORDER.filter((k) => h.inodes[k] !== undefined && !seenBefore.has(h.inodes[k] as string));
    if (fresh.length > 0) {
      const words = fresh.length === 1 ? `a new ${fresh[0]} namespace` : `${fresh.length} new namespaces (${fresh.join(", ")})`;
      out.push({ kind: "namespace", action: "added", subject: `PID ${h.pid}`, text: `+ ${who(h)}: ${words}` });
    }
    const pidNsNew = fresh.includes("pid");
    if (pidNsNew && h.innerPid !== h.pid) out.push({ kind: "process", action: "added", subject: `PID ${h.pid}`, text: `PID ${h.pid} is PID ${h.innerPid} inside its PID namespace` });
    if (was && was.command !== h.command) out.push({ kind: "process", action: "changed", subject: `PID ${h.pid}`, text: `PID ${h.pid} now runs ${h.command} (was ${was.command})` });
    if ((was?.root ?? "/") !== h.root) out.push({ kind: "root", action: "changed", subject: `PID ${h.pid}`, text: `PID ${h.pid}: root is now ${h.root} (was ${was?.root ?? "/"})` });
    if (h.hostname && h.hostname !== (was?.hostname ?? "")) out.push({ kind: "hostname", action: "changed", subject: `PID ${h.pid}`, text: `PID ${h.pid}: hostname is ${h.hostname}` });
  }
  for (const h of before) {
    if (after.some((x) => x.pid === h.pid)) continue;
    // Namespaces another process still holds live on (./diff.ts says what they are called now).
    const gone = Object.values(h.inodes).filter((inode) => !seenAfter.has(inode));
    if (gone.length > 0) out.push({ kind: "namespace", action: "removed", subject: `PID ${h.pid}`, text: `- ${who(h)} ended: ${gone.length === 1 ? "its namespace is" : `its ${gone.length} namespaces are`} gone` });
  }
}

/** Every namespace a view names: the network namespaces it read, the sessions', the lab's processes', the pinned. */
function namedIn(view: MachineView): Set<string> {
  const sessions = view.sessions.flatMap((s) => Object.values(s.inodes));
  const holders = (view.holders ?? []).flatMap((h) => Object.values(h.inodes));
  return new Set([...view.netns.map((n) => n.inode), ...sessions, ...holders, ...(view.pins ?? []).map((p) => p.inode)]);
}

/**
 * Namespaces kept alive with no process in them (a bind mount of their nsfs file, an open descriptor): made, or
 * gone with nothing else holding them. One that only changed hands (unmounted while a process is in it) is said by
 * ./diff.ts for network namespaces ("…: unmounted; lives on as …") and by the process's own lines otherwise.
 */
export function diffPins(before: MachineView, after: MachineView, out: Change[]): void {
  // Views recorded before pins were read say nothing either way.
  if (!before.pins || !after.pins) return;
  const [was, now] = [namedIn(before), namedIn(after)];
  const afterPins = new Set(after.pins.map((p) => p.inode));
  for (const p of after.pins) if (!was.has(p.inode)) out.push({ kind: "namespace", action: "added", subject: p.name, text: `+ ${p.name} (${p.how})` });
  for (const p of before.pins) if (!afterPins.has(p.inode) && !now.has(p.inode)) out.push({ kind: "namespace", action: "removed", subject: p.name, text: `- ${p.name}` });
}

/** Who joined and who left each cgroup the lab made (a new cgroup's processes all joined in the step). */
export function diffCgroupProcs(was: CgroupView | undefined, now: CgroupView, out: Change[]): void {
  // Views recorded before processes were read say nothing either way.
  if (!now.procs || (was && !was.procs)) return;
  const short = now.path.replace(/^\/sys\/fs\/cgroup\//, "");
  const before = new Set((was?.procs ?? []).map((p) => p.pid));
  const after = new Set(now.procs.map((p) => p.pid));
  const joined = now.procs.filter((p) => !before.has(p.pid));
  const left = (was?.procs ?? []).filter((p) => !after.has(p.pid));
  if (joined.length > 0) out.push({ kind: "cgroup", action: "changed", subject: now.path, text: `cgroup ${short}: ${processList(joined)} joined` });
  if (left.length > 0) out.push({ kind: "cgroup", action: "changed", subject: now.path, text: `cgroup ${short}: ${left.length > NAMED ? `${left.length} processes` : processList(left)} left` });
}

/** A group made in this many v1 hierarchies or more is one line (a runtime's memory and pids groups: two). */
const HIERARCHIES = 2;

/**
 * cgroup v1 keeps one tree per controller, and runc makes the container's group in each: the same group made (or
 * joined) in many hierarchies is one line naming them, not ten. Other changes pass unchanged, in order.
 */
export function mergeHierarchies(changes: readonly Change[]): Change[] {
  const parse = (c: Change) => {
    if (c.kind !== "cgroup") return undefined;
    const m = /^\/sys\/fs\/cgroup\/([^/]+)\/(?:.*\/)?([^/]+)$/.exec(c.subject);
    if (!m) return undefined;
    const short = c.subject.replace(/^\/sys\/fs\/cgroup\//, "");
    const template = c.text.replace(c.subject, "\0").replace(short, "\0");
    return template.includes("\0") ? { hierarchy: m[1] as string, leaf: m[2] as string, template, key: `${c.action} ${m[2]} ${template}` } : undefined;
  };
  const groups = new Map<string, string[]>();
  for (const c of changes) {
    const p = parse(c);
    if (p) groups.set(p.key, [...(groups.get(p.key) ?? []), p.hierarchy]);
  }
  const out: Change[] = [];
  const done = new Set<string>();
  for (const c of changes) {
    const p = parse(c);
    const hs = p ? (groups.get(p.key) ?? []) : [];
    if (!p || hs.length < HIERARCHIES) {
      out.push(c);
      continue;
    }
    if (done.has(p.key)) continue;
    done.add(p.key);
    const named = c.action === "added" && c.text.startsWith("+ ") ? `${p.leaf} in ${hs.length} hierarchies (${hs.slice(0, 3).join(", ")}${hs.length > 3 ? ", …" : ""})` : `${p.leaf} (${hs.length} hierarchies)`;
    out.push({ ...c, text: p.template.replace("\0", named) });
  }
  return out;
}

// What a step changed, in plain words: two views in, a short list of changes out. Pure.
import { diffCgroupProcs, diffHolders, diffPins, mergeHierarchies } from "./diff-holders.js";
import type { Change, LinkView, MachineView, MountView, NetnsView, SessionView } from "./types.js";

/** A mount namespace that appears with more than this many changes is summed up, not listed mount by mount. */
const MANY = 6;

const where = (ns: string) => (ns === "host" ? "host" : ns);

function linkText(link: LinkView, ns: string): string {
  if (link.kind === "veth" && link.peer) {
    // Both ends in one namespace: it is named once ("+ veth a ⇄ b (host)"), which keeps the line short.
    if (link.peer.netns === ns) return `veth ${link.name} ⇄ ${link.peer.name} (${where(ns)})`;
    return `veth ${link.name} (${where(ns)}) ⇄ ${link.peer.name} (${where(link.peer.netns)})`;
  }
  return `${link.kind} ${link.name} (${where(ns)})`;
}

/** A veth pair is one change: the first end reported claims the pair. */
function pairKey(link: LinkView, ns: string): string | undefined {
  return link.kind === "veth" && link.peer ? [`${ns}/${link.name}`, `${link.peer.netns}/${link.peer.name}`].sort().join("|") : undefined;
}

function diffLinks(before: NetnsView | undefined, after: NetnsView | undefined, out: Change[], pairs: Set<string>): void {
  const ns = (after ?? before)?.name ?? "?";
  const old = new Map((before?.links ?? []).map((l) => [l.name, l]));
  const now = new Map((after?.links ?? []).map((l) => [l.name, l]));
  for (const [name, link] of now) {
    const was = old.get(name);
    // A new namespace's own loopback says nothing ("+ netns …" does); an address on it does.
    if (!was && !(link.kind === "loopback" && !before)) {
      const key = pairKey(link, ns);
      if (!key || !pairs.has(key)) out.push({ kind: "link", action: "added", subject: name, where: ns, text: `+ ${linkText(link, ns)}` });
      if (key) pairs.add(key);
      if (link.master) out.push({ kind: "link", action: "changed", subject: name, where: ns, text: `${name} is now a port of bridge ${link.master}` });
    } else if (was) {
      if (was.state !== link.state && !(was.state !== "UP" && link.state !== "UP")) out.push({ kind: "link", action: "changed", subject: name, where: ns, text: `${name} (${where(ns)}) is ${link.state === "UP" ? "up" : "down"}` });
      if (was.master !== link.master) {
        out.push({ kind: "link", action: "changed", subject: name, where: ns, text: link.master ? `${name} is now a port of bridge ${link.master}` : `${name} left bridge ${was.master}` });
      }
    }
    for (const a of link.addresses) if (!was?.addresses.includes(a)) out.push({ kind: "address", action: "added", subject: a, where: ns, text: `+ ${a} on ${name} (${where(ns)})` });
    for (const a of was?.addresses ?? []) if (!link.addresses.includes(a)) out.push({ kind: "address", action: "removed", subject: a, where: ns, text: `- ${a} on ${name} (${where(ns)})` });
  }
  for (const [name, link] of old) {
    if (now.has(name) || (link.kind === "loopback" && !after)) continue;
    const key = pairKey(link, ns);
    if (key && pairs.has(`-${key}`)) continue;
    if (key) pairs.add(`-${key}`);
    out.push({ kind: "link", action: "removed", subject: name, where: ns, text: `- ${linkText(link, ns)}` });
  }
}

function diffLines(kind: "route" | "firewall", ns: string, before: string[], after: string[], out: Change[]): void {
  const label = kind === "route" ? "route" : "firewall";
  for (const r of after) if (!before.includes(r)) out.push({ kind, action: "added", subject: r, where: ns, text: `+ ${label} ${r} (${where(ns)})` });
  for (const r of before) if (!after.includes(r)) out.push({ kind, action: "removed", subject: r, where: ns, text: `- ${label} ${r} (${where(ns)})` });
}

function mountKey(m: MountView): string {
  return `${m.target} ${m.fsType} ${m.source}`;
}

function mountText(m: MountView): string {
  return `${m.target} mounted (${m.fsType}${m.source && m.source !== m.fsType && m.source !== "none" ? ` from ${m.source}` : ""})`;
}

function diffMounts(ns: string, before: MountView[] | undefined, after: MountView[] | undefined, baseline: MountView[], out: Change[]): void {
  // A new mount namespace starts as a copy of the one it came from: compare it with the host's table.
  const old = before ?? baseline;
  const now = after ?? [];
  // Under another root (pivot_root, a new namespace made with one) every mount is new, a /proc as well.
  const slash = (t: MountView[]) => t.find((m) => m.target === "/");
  const [oldRoot, newRoot] = [slash(old), slash(now)];
  const rootSwitched = Boolean(
    after && oldRoot && newRoot && (mountKey(oldRoot) !== mountKey(newRoot) || (oldRoot.root !== undefined && newRoot.root !== undefined && oldRoot.root !== newRoot.root)),
  );
  const oldKeys = new Set(rootSwitched ? [] : old.map(mountKey));
  const nowKeys = new Set(rootSwitched ? [] : now.map(mountKey));
  // `ip netns add`, `unshare --net=FILE` pin a namespace with an nsfs mount: "+ netns NAME", "+ net namespace at
  // FILE (kept by a bind mount)" already say it.
  const added = now.filter((m) => !oldKeys.has(mountKey(m)) && m.target !== "/" && m.fsType !== "nsfs");
  const removed = old.filter((m) => !nowKeys.has(mountKey(m)) && m.target !== "/" && m.fsType !== "nsfs");
  const label = ns === "host" ? "" : `${ns.replace(/'s mount namespace$/, "")}: `;
  if (!after) {
    // A lab process's namespaces end with it: "- PID N (cmd) ended: its namespaces are gone" says so once.
    if (before && ns !== "host" && !/^PID \d+'s /.test(ns)) out.push({ kind: "namespace", action: "removed", subject: ns, text: `- ${ns}` });
    return;
  }
  for (const m of added) out.push({ kind: "mount", action: "added", subject: m.target, where: ns, text: `${label}${mountText(m)}` });
  const wasInBaseline = !before;
  if (removed.length > MANY || (wasInBaseline && removed.length > 2)) {
    out.push({ kind: "mount", action: "removed", subject: ns, where: ns, text: `${label}${removed.length} of the host's mounts are no longer visible` });
  } else {
    for (const m of removed) out.push({ kind: "mount", action: "removed", subject: m.target, where: ns, text: `${label}${m.target} unmounted` });
  }
  // Mounts stacked at one place share their key (nspawn bind-mounts /run/host/os-release, then mounts its
  // read-only copy over it): pair the nth such mount now with the nth before, or every container seen before
  // "changed" its stacked mounts in each step, although nothing was remounted.
  const seen = new Map<string, number>();
  const turned: Change[] = [];
  for (const m of rootSwitched ? [] : now) {
    const key = mountKey(m);
    const nth = seen.get(key) ?? 0;
    seen.set(key, nth + 1);
    const was = old.filter((o) => mountKey(o) === key)[nth];
    if (was && was.propagation !== m.propagation) turned.push({ kind: "mount", action: "changed", subject: m.target, where: ns, text: `${label}${m.target} is now ${m.propagation}` });
    // Only within a namespace seen before: a new one is compared with the host's table, and a container remounts
    // dozens of its copies (read-only /proc/sys …), which its own "N new mounts" line already stands for.
    const other = was && before ? otherOptions(was, m) : undefined;
    if (other) out.push({ kind: "mount", action: "changed", subject: m.target, where: ns, text: `${label}${m.target} mounted again with other options: ${other}` });
  }
  // `unshare --mount` makes every copied mount private (a systemd host's are shared): one line, not thirty.
  const states = new Set(turned.map((c) => c.text.split(" ").at(-1)));
  if (wasInBaseline && turned.length > MANY && states.size === 1) {
    out.push({ kind: "mount", action: "changed", subject: ns, where: ns, text: `${label}${turned.length} mounts copied from the host are now ${[...states][0]}` });
  } else out.push(...turned);
}

/**
 * What differs between two mounts' options ("now ro, lowerdir=…; no longer rw, upperdir=…"), undefined when
 * nothing does (or they were not read): `umount merged` then a read-only overlay there is a change to show.
 */
function otherOptions(was: MountView, now: MountView): string | undefined {
  if (was.options === undefined || now.options === undefined || was.options === now.options) return undefined;
  const set = (o: string) => [...new Set(o.split(/[ ,]/).filter(Boolean))];
  const before = set(was.options);
  const after = set(now.options);
  const gained = after.filter((o) => !before.includes(o));
  const lost = before.filter((o) => !after.includes(o));
  const parts = [...(gained.length ? [`now ${gained.join(", ")}`] : []), ...(lost.length ? [`no longer ${lost.join(", ")}`] : [])];
  return parts.length ? parts.join("; ") : undefined;
}

function diffSession(before: SessionView | undefined, s: SessionView, out: Change[]): void {
  for (const [kind, name] of Object.entries(s.namespaces)) {
    if (before?.inodes[kind] === s.inodes[kind] || name === "host") continue;
    if (before || name.startsWith(`${s.name}'s`) || name.startsWith("netns ")) {
      out.push({ kind: "namespace", action: before ? "changed" : "added", subject: `${s.name} ${kind}`, text: `${s.name}: in ${name.startsWith(`${s.name}'s`) ? `its own ${kind === "mnt" ? "mount" : kind} namespace` : name}` });
    }
  }
  if ((before?.root ?? "/") !== s.root) out.push({ kind: "root", action: "changed", subject: s.name, text: `${s.name}: root is now ${s.root} (was ${before?.root ?? "/"})` });
  const pidChanged = !before || before.innerPid !== s.innerPid || before.hostPid !== s.hostPid;
  if (pidChanged && s.innerPid !== s.hostPid) out.push({ kind: "process", action: before ? "changed" : "added", subject: s.name, text: `${s.name}: its shell is PID ${s.innerPid} inside = PID ${s.hostPid} on the host` });
  if (s.hostname && s.hostname !== (before?.hostname ?? "")) out.push({ kind: "hostname", action: "changed", subject: s.name, text: `${s.name}: hostname is ${s.hostname}` });
}

/** A network namespace that lost the name it had: its pin went, something else still holds it. */
function renamed(was: string, now: string): string {
  if (was.startsWith("netns ")) return `${was} lost its name, but lives on as ${now}`;
  if (/^net namespace (at|open in) /.test(was)) return `${was}: ${was.includes(" at ") ? "unmounted" : "closed"}; lives on as ${now}`;
  return `${was} is now ${now}`;
}

const ORDER: Change["kind"][] = ["namespace", "link", "address", "route", "firewall", "mount", "loop", "root", "process", "hostname", "cgroup", "limit"];

export function diffViews(before: MachineView, after: MachineView): Change[] {
  const out: Change[] = [];
  const pairs = new Set<string>();
  // Namespaces are compared by identity: `ip netns del` removes a name, not a namespace something still uses.
  const beforeNs = new Map(before.netns.map((n) => [n.inode, n]));
  const afterNs = new Map(after.netns.map((n) => [n.inode, n]));
  diffPins(before, after, out);
  for (const [inode, ns] of afterNs) {
    const { name } = ns;
    const found = beforeNs.get(inode);
    if (!found && name !== "host" && name.startsWith("netns ")) out.push({ kind: "namespace", action: "added", subject: name, text: `+ ${name}` });
    if (found && found.name !== name) {
      out.push({ kind: "namespace", action: "changed", subject: found.name, text: renamed(found.name, name) });
    }
    // Renamed: compare under the new name, so its links are not reported as removed and added again.
    const was = found && found.name !== name ? { ...found, name, links: found.links.map((l) => ({ ...l })) } : found;
    diffLinks(was, ns, out, pairs);
    diffLines("route", name, was?.routes ?? [], ns.routes, out);
    // nft that could not run says nothing either way.
    if (ns.firewall && (!was || was.firewall)) diffLines("firewall", name, was?.firewall ?? [], ns.firewall, out);
  }
  for (const [inode, was] of beforeNs) {
    if (afterNs.has(inode)) continue;
    const { name } = was;
    if (name.startsWith("netns ")) out.push({ kind: "namespace", action: "removed", subject: name, text: `- ${name}` });
    diffLinks(was, undefined, out, pairs);
  }
  for (const ns of new Set([...Object.keys(before.mounts), ...Object.keys(after.mounts)])) {
    diffMounts(ns, before.mounts[ns], after.mounts[ns], ns === "host" ? [] : before.hostMounts, out);
  }
  // Views recorded before loop devices were read have none: they say nothing either way.
  if (before.loops && after.loops) {
    for (const l of after.loops) if (!before.loops.includes(l)) out.push({ kind: "loop", action: "added", subject: l, text: `+ loop device ${l}` });
    for (const l of before.loops) if (!after.loops.includes(l)) out.push({ kind: "loop", action: "removed", subject: l, text: `- loop device ${l} detached` });
  }
  const old = new Map(before.sessions.map((s) => [s.name, s]));
  for (const s of after.sessions) diffSession(old.get(s.name), s, out);
  for (const s of before.sessions) if (!after.sessions.some((x) => x.name === s.name)) out.push({ kind: "process", action: "removed", subject: s.name, text: `- session ${s.name} ended` });
  // Views recorded before the lab's other processes were watched say nothing either way.
  if (before.holders && after.holders) diffHolders(before.holders, after.holders, out);
  const oldCg = new Map(before.cgroups.map((c) => [c.path, c]));
  for (const c of after.cgroups) {
    const was = oldCg.get(c.path);
    if (!was) out.push({ kind: "cgroup", action: "added", subject: c.path, text: `+ cgroup ${c.path}` });
    diffCgroupProcs(was, c, out);
    for (const [file, value] of Object.entries(c.limits)) {
      if (was?.limits[file] !== value) out.push({ kind: "limit", action: was?.limits[file] ? "changed" : "added", subject: `${c.path}/${file}`, text: `${c.path.replace(/^\/sys\/fs\/cgroup\//, "")}: ${file} = ${value}` });
    }
  }
  for (const c of before.cgroups) if (!after.cgroups.some((x) => x.path === c.path)) out.push({ kind: "cgroup", action: "removed", subject: c.path, text: `- cgroup ${c.path}` });
  // Grouped by kind (stable within a kind): namespaces first, limits last.
  return mergeHierarchies(out).map((c, i) => ({ c, i })).sort((a, b) => ORDER.indexOf(a.c.kind) - ORDER.indexOf(b.c.kind) || a.i - b.i).map((x) => x.c);
}

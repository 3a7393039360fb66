// What a lab left behind: the difference between two host snapshots (pure), attributed to the run where that
// is possible, so the next lab starts clean and the report names each leftover ("netns rl-red", "link veth-host").
import type { Leak } from "./types.js";
import type { HostSnapshot, ProcessRecord } from "./snapshot.js";
import { addedFirewallEntries, changedChains, firewallName } from "./nft.js";
import { isAtOrBelow } from "./mountinfo.js";
import { leakDetails } from "./leak-details.js";

export { snapshotHost, type HostSnapshot } from "./snapshot.js";
export { reclaimLeaks } from "./reclaim.js";

/** Multiset difference: items of AFTER not matched by an equal item of BEFORE. */
function added(before: string[], after: string[]): string[] {
  const counts = new Map<string, number>();
  for (const b of before) counts.set(b, (counts.get(b) ?? 0) + 1);
  const out: string[] = [];
  for (const a of after) {
    const n = counts.get(a) ?? 0;
    if (n > 0) counts.set(a, n - 1);
    else out.push(a);
  }
  return out;
}

/**
 * Leaked processes: those carrying ROOTLAB_RUN_ID=<runId>, and those living in a pid or net namespace that did
 * not exist before, unless a live process outside the run owns them (another user's container is not ours).
 */
function leakedProcesses(before: HostSnapshot, after: HostSnapshot, runId: string): ProcessRecord[] {
  const oldNs = new Set(before.namespaces);
  const byPid = new Map(after.processes.map((p) => [p.pid, p]));
  const self = new Set([before.selfPid, after.selfPid]);
  const inNewNs = (p: ProcessRecord) => (p.pidNs !== "" && !oldNs.has(p.pidNs)) || (p.netNs !== "" && !oldNs.has(p.netNs));
  const ours = (p: ProcessRecord) => p.runId === runId;
  const attributable = (p: ProcessRecord): boolean => {
    let q: ProcessRecord | undefined = p;
    for (let hops = 0; q && hops < 4096; hops++) {
      if (ours(q)) return true;
      if (q !== p && !inNewNs(q)) return q.pid === 1 || self.has(q.pid); // orphaned, or still ours
      q = byPid.get(q.ppid);
    }
    return true; // parent chain left the visible tree: treat as an orphan
  };
  return after.processes.filter((p) => !self.has(p.pid) && (ours(p) || (inNewNs(p) && attributable(p))));
}

/** Cgroup dirs that appeared, reported at their top-most new dir; kept only if empty or holding leaked processes. */
function leakedCgroups(before: HostSnapshot, after: HostSnapshot, leakedPids: Set<number>): string[] {
  const old = new Set(before.cgroups.map((c) => c.path));
  const fresh = after.cgroups.filter((c) => !old.has(c.path));
  const tops = fresh.filter((c) => !fresh.some((o) => o !== c && isAtOrBelow(c.path, o.path)));
  return tops
    .filter((top) => {
      const pids = fresh.filter((c) => isAtOrBelow(c.path, top.path)).flatMap((c) => c.pids);
      return pids.length === 0 || pids.some((pid) => leakedPids.has(pid));
    })
    .map((c) => c.path);
}

export function findLeaks(before: HostSnapshot, after: HostSnapshot, runId: string): Leak[] {
  const leaks: Leak[] = [];
  const procs = leakedProcesses(before, after, runId);
  for (const p of procs) {
    // Without the run's id, a process is the lab's by its new namespaces. One in a named netns is the lab's only if
    // that netns is (`ip netns exec OTHER …` from another terminal is not): said in its name, for attribution.
    const netns = p.runId !== runId ? after.namedNetns[p.netNs] : undefined;
    const leak: Leak = { kind: "process", name: `${p.pid} ${p.comm}${netns ? ` (in netns ${netns})` : ""}` };
    leakDetails.set(leak, { kind: "process", pid: p.pid, startTime: p.startTime });
    leaks.push(leak);
  }
  const mountKey = (m: { target: string; fsType: string }) => `${m.target} (${m.fsType})`;
  for (const m of added(before.mounts.map(mountKey), after.mounts.map(mountKey))) leaks.push({ kind: "mount", name: m });
  for (const l of added(before.loops, after.loops)) leaks.push({ kind: "loop", name: l });
  const newNetns = added(before.netns, after.netns);
  for (const n of newNetns) leaks.push({ kind: "netns", name: n });
  for (const l of added(before.links, after.links)) leaks.push({ kind: "link", name: l });
  if (before.firewall && after.firewall) {
    for (const e of addedFirewallEntries(before.firewall, after.firewall)) {
      const leak: Leak = { kind: "firewall", name: firewallName(e) };
      leakDetails.set(leak, { kind: "firewall", entry: e });
      leaks.push(leak);
    }
    for (const c of changedChains(before.firewall, after.firewall)) {
      const leak: Leak = { kind: "firewall", name: `${firewallName(c.after)} changed: ${c.before.props} -> ${c.after.props}` };
      leakDetails.set(leak, { kind: "chain-change", change: c });
      leaks.push(leak);
    }
  }
  const leakedPids = new Set(procs.map((p) => p.pid));
  for (const c of leakedCgroups(before, after, leakedPids)) leaks.push({ kind: "cgroup", name: c });
  const own = [...before.ownDirs, ...after.ownDirs];
  for (const f of added(before.files, after.files)) {
    if (own.some((d) => isAtOrBelow(f, d))) continue;
    if (f.startsWith("/run/netns/") && newNetns.includes(f.slice("/run/netns/".length))) continue; // reported as netns
    leaks.push({ kind: "file", name: f });
  }
  return leaks;
}

// The end of a lab run's leak check: what the lab left on the machine compared with the snapshot taken before it,
// its own leftovers removed and blamed, someone else's left alone. Runs after the cleanups and after the sessions
// are closed, so only what survived both counts.
import type { Lab } from "../format/types.js";
import type { EventSink, Leak } from "./types.js";
import { findLeaks, reclaimLeaks, snapshotHost, type HostSnapshot } from "../host/leaks.js";
import { removeOrphanShimCgroups } from "../host/reclaim.js";
import { splitLeaks, stillThere } from "./attribute-leaks.js";
import { awaitPeerTeardown } from "../host/peer-teardown.js";
import { readFile } from "node:fs/promises";

export interface LeakCheckInput {
  lab: Lab;
  emit: EventSink;
  before: HostSnapshot;
  runId: string;
  labDir: string;
  /** Sessions that still had processes running when they were closed. */
  strays: string[];
}

export interface LeakCheckResult {
  /** The lab's leaks (processes it left running included). */
  leaks: Leak[];
  /** Of those, what could not be removed. */
  left: Leak[];
  /** What appeared meanwhile but is not the lab's. */
  others: Leak[];
}

/**
 * Finds, attributes and removes the lab's leftovers; emits leak-check. Never throws: when the machine cannot be
 * read, `error` says why and the leaks found up to then still count.
 */
export async function checkLeaks({ lab, emit, before, runId, labDir, strays }: LeakCheckInput): Promise<LeakCheckResult & { error?: string }> {
  let leaks: Leak[] = [];
  let left: Leak[] = [];
  let others: Leak[] = [];
  try {
    const source = lab.source ?? (await readFile(lab.file, "utf8").catch(() => ""));
    // Processes left running in the sessions are leaks too, even though closing the sessions stopped them.
    const stopped: Leak[] = strays.map((name) => ({ kind: "process", name: `${name} (left running; rootlab stopped it)` }));
    removeOrphanShimCgroups();
    let found = findLeaks(before, await snapshotHost(), runId);
    const links = found.filter((l) => l.kind === "link").map((l) => l.name);
    // A veth whose peer's namespace is being destroyed goes with it a moment later: wait for that, then look again.
    if (links.length > 0) {
      await awaitPeerTeardown(links);
      found = findLeaks(before, await snapshotHost(), runId);
    }
    const split = splitLeaks(found, source, labDir);
    // Only the lab's leftovers are removed and blamed; what someone else made meanwhile is left alone.
    leaks = [...stopped, ...split.mine];
    others = split.others;
    left = split.mine.length > 0 ? await reclaimLeaks(split.mine) : [];
    if (split.mine.length > 0) left = stillThere(split.mine, left, findLeaks(before, await snapshotHost(), runId));
    emit({ type: "leak-check", labId: lab.meta.id, leaks, left, ...(others.length > 0 ? { others } : {}) });
    return { leaks, left, others };
  } catch (err) {
    return { leaks, left, others, error: (err as Error).message };
  }
}

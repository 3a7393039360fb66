// What a lab run holds while it runs, and how it gets it: the safety gate, preflight, the run lock, the network
// guard (src/host/net-guard.ts), a host snapshot (for the leak check), LAB_DIR, fixtures, the sessions and, with
// `explain`, the first view of the machine. Taken in that order, and given back in reverse when a later one fails,
// so a run that never starts leaves nothing behind.
import type { Lab } from "../format/types.js";
import type { EventSink, PreflightItem, Sessions } from "./types.js";
import { labEnv, newRunId } from "./lab-env.js";
import { openSessions, type SessionEnded } from "./sessions.js";
import { checkRequires } from "../host/preflight.js";
import { acquireRunLock } from "../host/lock.js";
import { raiseNetGuard } from "../host/net-guard.js";
import { createLabDir, removeLabDir } from "../host/workdir.js";
import { snapshotHost, type HostSnapshot } from "../host/leaks.js";
import { prepareFixtures, releaseFixtures } from "../host/fixtures/index.js";
import { Explainer } from "../explain/explainer.js";
import type { ObservedSession } from "../explain/types.js";
import { blockingProblems } from "../lint/safety-gate.js";
import { formatDiagnostic } from "../format/load.js";

export interface ResourceOptions {
  emit: EventSink;
  /** Called while another rootlab run holds the machine. */
  onLockWait?: (holderPid: number) => void;
  /** Observe the machine around every step and emit what each step changed (step-changes). */
  explain?: boolean;
}

export interface LabResources {
  /** The network guard removed, then the run lock released: what could not be undone, in words. */
  release: () => Promise<string[]>;
  env: Record<string, string>;
  labDir: string;
  before: HostSnapshot;
  runId: string;
  explainer?: Explainer;
  sessions: Sessions;
}

export type Acquired =
  | { kind: "ready"; res: LabResources }
  | { kind: "unmet"; items: PreflightItem[] }
  | { kind: "error"; reason: string };

/**
 * The safety gate (lint; memoised per lab, so a command that asked before the lock pays nothing), preflight,
 * lock, network guard, LAB_DIR, fixtures, sessions. Emits lab-start, preflight and net-guard. The machine guard
 * (root, disposable) is the caller's.
 */
export async function acquireResources(lab: Lab, opts: ResourceOptions): Promise<Acquired> {
  opts.emit({ type: "lab-start", lab });
  const unsafe = await blockingProblems(lab);
  if (unsafe.length > 0) return { kind: "error", reason: `refused: rootlab lint finds problems that make this lab unsafe or wrong to run:\n${unsafe.map(formatDiagnostic).join("\n")}` };
  const items = await checkRequires(lab.meta.requires, lab.meta.uses);
  opts.emit({ type: "preflight", labId: lab.meta.id, items });
  if (items.some((i) => !i.met)) return { kind: "unmet", items };

  const releaseLock = await acquireRunLock(opts.onLockWait ? { onWait: opts.onLockWait } : {});
  // Under the lock: a guard found on the machine then is a killed run's, and this run takes it over. Raised while
  // the snapshot is taken (it reads no routes), so it costs the run no time of its own.
  const guarding = raiseNetGuard();
  const release = async (): Promise<string[]> => {
    const problems = await (await guarding).lower();
    releaseLock();
    return problems;
  };
  const undo: (() => Promise<unknown> | void)[] = [release];
  try {
    const [guard, before] = await Promise.all([guarding, snapshotHost()]);
    opts.emit({ type: "net-guard", labId: lab.meta.id, guard: guard.status });
    const labDir = await createLabDir(lab.meta.id);
    undo.unshift(() => removeLabDir(labDir));
    const runId = newRunId();
    undo.unshift(() => releaseFixtures(labDir));
    const fixtures = await prepareFixtures(lab.meta.uses, labDir, (name, path, status) =>
      opts.emit({ type: "fixture", labId: lab.meta.id, name, path, status }),
    );
    const env = labEnv({ base: process.env, labId: lab.meta.id, labDir, runId, fixtures });
    const labId = lab.meta.id;
    const onEnded = (e: SessionEnded): void => opts.emit({ type: "session-ended", labId, ...e });
    const sessions = await openSessions({ env, labDir, onEnded });
    undo.unshift(async () => void (await sessions.close()));
    const labSource = lab.source ?? JSON.stringify(lab.steps);
    const firewall = usesFirewall(labSource);
    const explainer = opts.explain ? await Explainer.start(observedSessions(sessions), { labDir, firewall, runId, labSource }) : undefined;
    return { kind: "ready", res: { release, env, labDir, before, runId, sessions, ...(explainer ? { explainer } : {}) } };
  } catch (err) {
    for (const step of undo) await Promise.resolve(step()).catch(() => undefined);
    return { kind: "error", reason: (err as Error).message };
  }
}

/** The lab's text uses nft or iptables: explain then reads firewall rules too (a process per namespace). */
export function usesFirewall(labSource: string): boolean {
  return /\b(nft|ip6?tables)\b/.test(labSource);
}

/** The sessions' shells as the explainer observes them (a session whose shell is gone has nothing to show). */
export function observedSessions(sessions: Sessions): ObservedSession[] {
  return sessions.names().flatMap((name) => {
    const pid = sessions.pid(name);
    return pid === undefined ? [] : [{ name, pid }];
  });
}

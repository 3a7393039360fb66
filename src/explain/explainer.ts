// Follows a lab run and says, after each step, what it changed on the machine: a view at the start, one after
// every step (the state after step N is the state before step N+1: nothing runs in between), their differences.
import { listCgroups } from "./cgroups-read.js";
import { diffViews } from "./diff.js";
import { wiringOf, type Wiring } from "./diagram.js";
import { observeMachine } from "./observe.js";
import { pinnedNow } from "./pins-read.js";
import { namespacesOf, readProcesses, ticksNow } from "./processes-read.js";
import type { Change, MachineView, ObservedSession } from "./types.js";

export interface StepExplanation {
  changes: Change[];
  /** The lab's wiring after the step, when the step changed the network (for the picture). */
  wiring?: Wiring;
  /** How long the two views took to compare (the snapshot and the diff), for `npm run bench`. */
  costMs: number;
}

const NETWORK: Change["kind"][] = ["link", "address", "route"];
/** How long a view waits for links whose state is settling (linkwatch reports within a second), and how often it looks. */
const SETTLE_MS = 2000;
const SETTLE_POLL_MS = 50;

function settling(view: MachineView): boolean {
  return view.netns.some((ns) => ns.links.some((l) => l.settling));
}

export class Explainer {
  private constructor(
    private readonly opts: { labDir: string; firewall: boolean; runId?: string; labSource?: string; baselineNamespaces: Set<string>; since: number },
    private readonly baselineCgroups: Set<string>,
    private readonly start: MachineView,
    private last: MachineView,
  ) {}

  /**
   * `firewall`: the lab uses nft or iptables, so rules are read too (they cost a process per namespace).
   * `labSource`: the lab's text; with it, a new cgroup is shown only when the lab names it (format/mentions.ts).
   */
  static async start(sessions: ObservedSession[], opts: { labDir: string; firewall: boolean; runId?: string; labSource?: string }): Promise<Explainer> {
    const baselineCgroups = new Set(listCgroups());
    // Namespaces that exist now are not the lab's; a process holding another one, started from now on, is.
    // So are those kept by a bind mount with no process in them (a runtime's /run/docker/netns/…).
    const baselineNamespaces = new Set([...namespacesOf(readProcesses()), ...pinnedNow()]);
    const all = { ...opts, baselineNamespaces, since: ticksNow() };
    const view = await observeMachine({ sessions, ...all, baselineCgroups });
    return new Explainer(all, baselineCgroups, view, view);
  }

  /**
   * The machine as the step left it: when a link's state is still settling (a veth up a moment before), it is
   * looked at again until it has settled, for at most SETTLE_MS, so the change is the step's, not the next one's.
   */
  private async observe(sessions: ObservedSession[]): Promise<MachineView> {
    const deadline = performance.now() + SETTLE_MS;
    let view = await observeMachine({ sessions, ...this.opts, baselineCgroups: this.baselineCgroups });
    while (settling(view) && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
      view = await observeMachine({ sessions, ...this.opts, baselineCgroups: this.baselineCgroups });
    }
    return view;
  }

  /** What changed since the last call (or the start). */
  async step(sessions: ObservedSession[]): Promise<StepExplanation> {
    const t0 = performance.now();
    const now = await this.observe(sessions);
    const changes = diffViews(this.last, now);
    this.last = now;
    const networkChanged = changes.some((c) => NETWORK.includes(c.kind) || (c.kind === "namespace" && /^(netns |net namespace )/.test(c.subject)));
    const wiring = networkChanged ? wiringOf(now, this.start) : undefined;
    return { changes, ...(wiring && wiring.boxes.length > 0 ? { wiring } : {}), costMs: performance.now() - t0 };
  }

  /** Takes the machine as it is now as the point the next step is compared with (after a replay, say). */
  async mark(sessions: ObservedSession[]): Promise<void> {
    this.last = await this.observe(sessions);
  }

  /** What is different from the start, e.g. after the cleanups: nothing, when the lab cleaned up after itself. */
  async sinceStart(sessions: ObservedSession[]): Promise<Change[]> {
    const now = await this.observe(sessions);
    // Sessions end because rootlab closes them: that is no change the lab made.
    return diffViews(this.start, now).filter((c) => !(c.kind === "process" && c.action === "removed"));
  }
}

// The lab network's guard: while a lab runs, the host's main routing table holds `unreachable 10.231.0.0/16 proto
// 231`. Labs number their namespaces, veths and bridges inside 10.231.0.0/16, and the host routes an address there
// through its default route unless the lab gave the host a more specific one (a connected /24 wins over the /16).
// Without the guard, a student's slip — `curl 10.231.13.130` typed on the host, not in `ip netns exec` — left the
// machine through eth0; with it, the host answers "No route to host" and nothing leaves.
// Only the host's main table needs it: a lab's namespaces have no default route, or one through a host-side
// address, which the host then answers itself.
import { readFileSync } from "node:fs";
import { endianness } from "node:os";
import type { NetGuardStatus } from "./types.js";
import { runCommand } from "./run.js";

export const GUARD_PREFIX = "10.231.0.0/16";
/** The route's `proto`: recognisably rootlab's (10.231 …), unused by any routing daemon (/etc/iproute2/rt_protos). */
export const GUARD_PROTO = "231";
const GUARD_ROUTE = ["unreachable", GUARD_PREFIX, "proto", GUARD_PROTO];
/** The route as `ip route` prints it (reports name it). */
export const GUARD_ROUTE_TEXT = GUARD_ROUTE.join(" ");
/** What removes a guard by hand; `proto` makes `ip` delete only rootlab's route, never another for that prefix. */
export const REMOVE_GUARD_COMMAND = `ip route del ${GUARD_ROUTE.join(" ")}`;

/** A route as `ip -j route show` prints it. */
export interface IpRoute {
  type?: string;
  dst: string;
  protocol?: string;
  dev?: string;
  gateway?: string;
  metric?: number;
}

export function isGuardRoute(r: IpRoute): boolean {
  return r.type === "unreachable" && r.dst === GUARD_PREFIX && r.protocol === GUARD_PROTO;
}

/** A route in `ip route`'s words, for messages. */
export function routeWords(r: IpRoute): string {
  const parts = [r.type && r.type !== "unicast" ? `${r.type} ${r.dst}` : r.dst];
  if (r.gateway) parts.push(`via ${r.gateway}`);
  if (r.dev) parts.push(`dev ${r.dev}`);
  if (r.protocol) parts.push(`proto ${r.protocol}`);
  if (r.metric !== undefined) parts.push(`metric ${r.metric}`);
  return parts.join(" ");
}

export type GuardPlan = { kind: "add" } | { kind: "take-over" } | { kind: "occupied"; route: string };

/**
 * What to do, given the main table's routes for exactly 10.231.0.0/16 (pure). Ours there means a run that was
 * killed left it (the caller holds the run lock, so no live run owns it): this run takes it over and removes it at
 * its end. Another route for that prefix is the machine owner's: left alone, and no guard is added beside it (with
 * a lower metric it would take that route's traffic).
 */
export function planGuard(routes: readonly IpRoute[]): GuardPlan {
  const other = routes.find((r) => !isGuardRoute(r));
  if (other) return { kind: "occupied", route: routeWords(other) };
  return routes.length > 0 ? { kind: "take-over" } : { kind: "add" };
}

/**
 * Whether /proc/net/route (the main table, every type) lists a route for exactly 10.231.0.0/16: read without a
 * process, so the usual case (none) costs one `ip` (the add), not two.
 */
export function prefixInProcRoute(text: string, littleEndian = endianness() === "LE"): boolean {
  // Destination and Mask are the network-order address printed as a native 32-bit number.
  const hex = (bytes: number[]) => (littleEndian ? [...bytes].reverse() : bytes).map((b) => b.toString(16).padStart(2, "0")).join("").toUpperCase();
  const [dst, mask] = [hex([10, 231, 0, 0]), hex([255, 255, 0, 0])];
  return text.split("\n").slice(1).some((line) => {
    const f = line.trim().split(/\s+/);
    return f[1] === dst && f[7] === mask;
  });
}

/** /proc/net/route's text, or undefined when it cannot be read (then `ip` is asked). */
function readProcRoute(): string | undefined {
  try {
    return readFileSync("/proc/net/route", "utf8");
  } catch {
    return undefined;
  }
}

/** The main table's routes for exactly the guard's prefix; a string says why they could not be read. */
export async function readGuardPrefix(): Promise<IpRoute[] | string> {
  const r = await runCommand("ip", ["-j", "route", "show", "table", "main", "exact", GUARD_PREFIX], { timeoutMs: 10_000 });
  if (!r.ok) return r.reason;
  try {
    return JSON.parse(r.stdout.trim() || "[]") as IpRoute[];
  } catch {
    return `ip -j route printed what is not JSON: ${r.stdout.slice(0, 80)}`;
  }
}

export interface NetGuard {
  status: NetGuardStatus;
  /** Removes the guard if this run added or took it over; returns what could not be done, in words. Idempotent. */
  lower(): Promise<string[]>;
}

/** Adds (or takes over) the guard. Never throws: a guard that cannot be added is off, and its status says why. */
export async function raiseNetGuard(): Promise<NetGuard> {
  const off = (reason: string): NetGuard => ({ status: { state: "off", reason }, lower: async () => [] });
  const proc = readProcRoute();
  const routes = proc !== undefined && !prefixInProcRoute(proc) ? [] : await readGuardPrefix();
  if (typeof routes === "string") return off(`cannot read the host's routes (${routes})`);
  const plan = planGuard(routes);
  if (plan.kind === "occupied") return off(`the host already has a route for ${GUARD_PREFIX} (${plan.route}), left as it is`);
  if (plan.kind === "add") {
    const r = await runCommand("ip", ["route", "add", ...GUARD_ROUTE], { timeoutMs: 10_000 });
    if (!r.ok) return off(/not permitted/i.test(r.stderr) ? "adding a route is not permitted here (needs root with CAP_NET_ADMIN)" : `cannot add it (${r.reason})`);
  }
  let lowered: Promise<string[]> | undefined;
  return { status: { state: plan.kind === "add" ? "on" : "taken-over" }, lower: () => (lowered ??= lowerNetGuard()) };
}

async function lowerNetGuard(): Promise<string[]> {
  const r = await runCommand("ip", ["route", "del", ...GUARD_ROUTE], { timeoutMs: 10_000 });
  if (r.ok) return [];
  // Gone already (a lab's `ip route del 10.231.0.0/16`): nothing left to do. Otherwise say how to remove it.
  const left = await readGuardPrefix();
  if (Array.isArray(left) && !left.some(isGuardRoute)) return [];
  return [`could not remove rootlab's network guard (${r.reason}); remove it with: sudo ${REMOVE_GUARD_COMMAND}`];
}

/** A guard on the machine, as `rootlab doctor` tells it: none, a live run's, one a killed run left, or unknown. */
export type GuardOnMachine = { state: "none" } | { state: "running"; pid: number } | { state: "stale" } | { state: "unknown"; reason: string };

/** Reads the main table (no root needed); the run lock's live holder owns a guard, else a killed run left it. */
export async function guardOnMachine(lockHolder: () => number | undefined): Promise<GuardOnMachine> {
  const routes = await readGuardPrefix();
  if (typeof routes === "string") return { state: "unknown", reason: routes };
  if (!routes.some(isGuardRoute)) return { state: "none" };
  const pid = lockHolder();
  return pid === undefined ? { state: "stale" } : { state: "running", pid };
}

/** The guard's status in a line, for reporters (the console's, guided mode's). */
export function guardStatusLine(status: NetGuardStatus): string {
  if (status.state === "on") return `network guard: ${GUARD_PREFIX} is unreachable from the host while the lab runs (route proto ${GUARD_PROTO})`;
  if (status.state === "taken-over") return `network guard: took over the route a killed run left (unreachable ${GUARD_PREFIX} proto ${GUARD_PROTO}); removed at the end`;
  return `network guard off: ${status.reason} — a lab address typed outside its namespace is not kept on the machine`;
}

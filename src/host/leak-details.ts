// What findLeaks knew about a leak beyond its printable name, for reclaimLeaks. Kept outside the Leak objects
// so reports (JSON) stay as the shared type says; reclaimLeaks falls back to parsing the name without it.
import type { Leak } from "./types.js";
import type { ChainChange, FirewallEntry } from "./nft.js";

export type LeakDetail =
  | { kind: "process"; pid: number; startTime: number }
  | { kind: "firewall"; entry: FirewallEntry }
  | { kind: "chain-change"; change: ChainChange };

export const leakDetails = new WeakMap<Leak, LeakDetail>();

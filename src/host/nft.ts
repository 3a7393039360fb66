// `nft list ruleset` as comparable entries (pure). Counters, quotas' usage, element expiry and handles change
// while traffic flows, so they are stripped; what stays says which tables, chains, rules and sets exist.

export type FirewallEntry =
  | { kind: "table"; family: string; table: string }
  | { kind: "chain"; family: string; table: string; chain: string; props: string }
  | { kind: "rule"; family: string; table: string; chain: string; rule: string }
  /** set, map, flowtable, counter, quota, ct helper … at table level, with its normalised body. */
  | { kind: "object"; family: string; table: string; type: string; name: string; body: string };

/** Drops what changes by itself: counter values, quota usage, element expiry, rule handles. */
export function normaliseNftLine(line: string): string {
  return line
    .replace(/\s*#\s*handle\s+\d+\s*$/, "")
    .replace(/\bcounter packets \d+ bytes \d+/g, "counter")
    .replace(/\bpackets \d+ bytes \d+/g, "")
    .replace(/\bused \d+ \w*bytes\b/g, "")
    .replace(/\bexpires [0-9hmsd.]+/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** Braces outside double-quoted strings (comments and interface names may contain any character). */
function braceDelta(line: string): number {
  const unquoted = line.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return (unquoted.match(/{/g)?.length ?? 0) - (unquoted.match(/}/g)?.length ?? 0);
}

export function parseNftRuleset(text: string): FirewallEntry[] {
  const entries: FirewallEntry[] = [];
  let depth = 0;
  let table: { family: string; table: string } | undefined;
  let chain: { name: string; props: string[]; rules: string[] } | undefined;
  let object: { type: string; name: string; body: string[]; depth: number } | undefined;
  for (const raw of text.split("\n")) {
    const line = normaliseNftLine(raw);
    if (!line || line.startsWith("#")) continue;
    const delta = braceDelta(line);
    if (depth === 0) {
      const m = /^table (\S+) (\S+) \{$/.exec(line);
      if (m) {
        table = { family: m[1] as string, table: m[2] as string };
        entries.push({ kind: "table", ...table });
      }
    } else if (depth === 1 && table && !object && !chain) {
      const c = /^chain (\S+) \{$/.exec(line);
      const o = /^(.+?) (\S+) \{$/.exec(line);
      if (c) chain = { name: c[1] as string, props: [], rules: [] };
      else if (o) object = { type: o[1] as string, name: o[2] as string, body: [], depth: 1 };
    } else if (chain && depth === 2 && line !== "}") {
      if (/^type \S+ hook |^policy |^devices? /.test(line)) chain.props.push(line);
      else chain.rules.push(line);
    } else if (object && !(depth + delta === 1 && line === "}")) {
      object.body.push(line);
    }
    depth += delta;
    if (depth === 1 && chain && table && line === "}") {
      entries.push({ kind: "chain", ...table, chain: chain.name, props: chain.props.join(" ") });
      for (const rule of chain.rules) entries.push({ kind: "rule", ...table, chain: chain.name, rule });
      chain = undefined;
    } else if (depth === 1 && object && table && line.endsWith("}")) {
      entries.push({ kind: "object", ...table, type: object.type, name: object.name, body: object.body.join(" ") });
      object = undefined;
    } else if (depth === 0) {
      table = undefined;
    }
  }
  return entries;
}

/** Identity used to compare two snapshots (includes chain policy and set contents). */
export function firewallKey(e: FirewallEntry): string {
  switch (e.kind) {
    case "table":
      return `table ${e.family} ${e.table}`;
    case "chain":
      return `chain ${e.family} ${e.table} ${e.chain} {${e.props}}`;
    case "rule":
      return `rule ${e.family} ${e.table} ${e.chain}: ${e.rule}`;
    case "object":
      return `${e.type} ${e.family} ${e.table} ${e.name} {${e.body}}`;
  }
}

/** What a person reads in a leak report, e.g. `rule ip filter FORWARD: iifname "rl-br0" accept`. */
export function firewallName(e: FirewallEntry): string {
  switch (e.kind) {
    case "table":
      return `table ${e.family} ${e.table}`;
    case "chain":
      return `chain ${e.family} ${e.table} ${e.chain}`;
    case "rule":
      return `rule ${e.family} ${e.table} ${e.chain}: ${e.rule}`;
    case "object":
      return `${e.type} ${e.family} ${e.table} ${e.name}`;
  }
}

/**
 * Entries in AFTER that were not in BEFORE (as a multiset: a rule added twice counts twice), collapsed so that
 * a new table is reported once instead of with all its chains and rules, and a new chain without its rules.
 */
export function addedFirewallEntries(before: FirewallEntry[], after: FirewallEntry[]): FirewallEntry[] {
  const counts = new Map<string, number>();
  for (const e of before) counts.set(firewallKey(e), (counts.get(firewallKey(e)) ?? 0) + 1);
  const added: FirewallEntry[] = [];
  for (const e of after) {
    const k = firewallKey(e);
    const n = counts.get(k) ?? 0;
    if (n > 0) counts.set(k, n - 1);
    else added.push(e);
  }
  // A chain whose name existed before only changed (policy, hook): changedChains() reports it.
  const chainNames = new Set(before.filter((e) => e.kind === "chain").map((e) => chainId(e)));
  const newTables = new Set(added.filter((e) => e.kind === "table").map((e) => `${e.family} ${e.table}`));
  const newChains = new Set(added.filter((e) => e.kind === "chain").map((e) => `${e.family} ${e.table} ${e.chain}`));
  return added.filter((e) => {
    if (e.kind === "chain" && chainNames.has(chainId(e))) return false;
    if (e.kind !== "table" && newTables.has(`${e.family} ${e.table}`)) return false;
    if (e.kind === "rule" && newChains.has(`${e.family} ${e.table} ${e.chain}`)) return false;
    return true;
  });
}

function chainId(e: { family: string; table: string; chain: string }): string {
  return `${e.family} ${e.table} ${e.chain}`;
}

export interface ChainChange {
  before: Extract<FirewallEntry, { kind: "chain" }>;
  after: Extract<FirewallEntry, { kind: "chain" }>;
}

/** Chains that exist in both snapshots with different properties, e.g. `policy accept` -> `policy drop`. */
export function changedChains(before: FirewallEntry[], after: FirewallEntry[]): ChainChange[] {
  const old = new Map<string, Extract<FirewallEntry, { kind: "chain" }>>();
  for (const e of before) if (e.kind === "chain") old.set(chainId(e), e);
  const changes: ChainChange[] = [];
  for (const e of after) {
    if (e.kind !== "chain") continue;
    const prev = old.get(chainId(e));
    if (prev && prev.props !== e.props) changes.push({ before: prev, after: e });
  }
  return changes;
}

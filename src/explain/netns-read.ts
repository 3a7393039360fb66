// One network namespace as a student would inspect it (ip -d addr, ip route, nft list ruleset), read with ONE
// process tree per namespace so a snapshot stays cheap. Parsing is pure and table-tested.
import { runCommand } from "../host/run.js";
import type { LinkView, NetnsView } from "./types.js";
import { isGuardRoute } from "../host/net-guard.js";

const SEPARATOR = "@@rootlab-explain@@";
/** One `ip` process for links, addresses and routes; nft only for labs that use a firewall. */
const IP_ONLY = `ip -d -j addr show; echo; echo ${SEPARATOR}; ip -j route show`;
const WITH_NFT = `${IP_ONLY}; echo; echo ${SEPARATOR}; nft list ruleset 2>/dev/null || echo ${SEPARATOR}nonft`;

/** How to reach a namespace: the host's own, a named one, through a process in it, or a file that pins it. */
export type NetnsHandle = { kind: "host" } | { kind: "named"; name: string } | { kind: "pid"; pid: number } | { kind: "path"; path: string };

function nsenterNet(handle: Exclude<NetnsHandle, { kind: "host" }>): string {
  if (handle.kind === "named") return `--net=/run/netns/${handle.name}`;
  return handle.kind === "pid" ? `--net=/proc/${handle.pid}/ns/net` : `--net=${handle.path}`;
}

export interface RawNetns {
  links: LinkView[];
  routes: string[];
  firewall: string[] | null;
}

export async function readNetns(handle: NetnsHandle, firewall: boolean): Promise<RawNetns | undefined> {
  const script = firewall ? WITH_NFT : IP_ONLY;
  const argv =
    handle.kind === "host"
      ? ["sh", ["-c", script]]
      : ["nsenter", [nsenterNet(handle), "sh", "-c", script]];
  const r = await runCommand(argv[0] as string, argv[1] as string[], { timeoutMs: 10_000 });
  if (!r.ok) return undefined;
  return parseNetnsOutput(r.stdout);
}

interface IpAddr {
  ifindex: number;
  ifname: string;
  link?: string;
  link_index?: number;
  link_netnsid?: number;
  operstate?: string;
  flags?: string[];
  master?: string;
  link_type?: string;
  linkinfo?: { info_kind?: string; info_slave_kind?: string };
  addr_info?: { local?: string; prefixlen?: number; family?: string }[];
}

interface IpRoute {
  type?: string;
  dst: string;
  gateway?: string;
  dev?: string;
  protocol?: string;
  scope?: string;
  prefsrc?: string;
}

export function parseNetnsOutput(text: string): RawNetns | undefined {
  const [addrText = "", routeText = "", nftText = ""] = text.split(`${SEPARATOR}`);
  let addrs: IpAddr[];
  let routes: IpRoute[];
  try {
    addrs = JSON.parse(addrText.trim() || "[]") as IpAddr[];
    routes = JSON.parse(routeText.trim() || "[]") as IpRoute[];
  } catch {
    return undefined;
  }
  return {
    links: markSettling(addrs, addrs.map(toLink)),
    // rootlab's own guard (unreachable 10.231.0.0/16 proto 231, src/host/net-guard.ts) is never the lab's change.
    routes: routes.filter((r) => !isGuardRoute(r)).map(routeText1),
    firewall: nftText.trim() === "" || nftText.startsWith("nonft") ? null : firewallLines(nftText),
  };
}

function toLink(a: IpAddr): LinkView {
  const kind = a.link_type === "loopback" ? "loopback" : a.linkinfo?.info_kind ?? "device";
  const state = a.operstate === "UNKNOWN" && a.flags?.includes("UP") ? "UP" : a.operstate ?? "?";
  const link: LinkView = {
    name: a.ifname,
    kind,
    state,
    addresses: (a.addr_info ?? []).filter((x) => x.local && x.family !== "inet6").map((x) => `${x.local}/${x.prefixlen}`),
    ifindex: a.ifindex,
  };
  if (a.master) link.master = a.master;
  if (a.link_index !== undefined) link.iflink = a.link_index;
  if (a.link_netnsid !== undefined) link.peerElsewhere = true;
  if (a.link && kind === "veth") link.peer = { name: a.link, netns: "" };
  return link;
}

/**
 * LINKS (from ADDRS, in the same order) with `settling` set where the kernel has not reported the state yet: the
 * operational state follows carrier through linkwatch, up to a second later (a veth brought up gets LOWER_UP at
 * once, "state UP" after), and a bridge gets carrier only once a port's new state has gone through it. A view taken
 * then would credit the change to whatever runs next.
 */
export function markSettling(addrs: readonly IpAddr[], links: LinkView[]): LinkView[] {
  const flags = (a: IpAddr | undefined) => a?.flags ?? [];
  const carrier = (a: IpAddr) => flags(a).includes("UP") && flags(a).includes("LOWER_UP");
  addrs.forEach((a, i) => {
    const link = links[i]!;
    // DOWN or LOWERLAYERDOWN with carrier is a state on its way up (DORMANT, TESTING may last: not waited for).
    if (carrier(a) && (a.operstate === "DOWN" || a.operstate === "LOWERLAYERDOWN")) link.settling = true;
    const ports = addrs.filter((p) => p.master === a.ifname);
    if (link.kind === "bridge" && flags(a).includes("UP") && !flags(a).includes("LOWER_UP") && ports.some(carrier)) link.settling = true;
  });
  return links;
}

function routeText1(r: IpRoute): string {
  // `unreachable`, `blackhole`, `prohibit`: said, or such a route would read like one that delivers.
  const parts = [r.type && r.type !== "unicast" ? `${r.type} ${r.dst}` : r.dst];
  if (r.gateway) parts.push(`via ${r.gateway}`);
  if (r.dev) parts.push(`dev ${r.dev}`);
  if (r.scope && r.scope !== "global") parts.push(`scope ${r.scope}`);
  return parts.join(" ");
}

/** Tables, chains and rules, each with the table and chain it sits in, so a diff names where a rule went. */
export function firewallLines(text: string): string[] {
  const out: string[] = [];
  let table = "";
  let chain = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim().replace(/\s+# handle \d+$/, "");
    if (!line || line === "}") continue;
    let m = /^table (\S+) (\S+) \{$/.exec(line);
    if (m) {
      table = `${m[1]} ${m[2]}`;
      out.push(`table ${table}`);
      continue;
    }
    m = /^chain (\S+) \{$/.exec(line);
    if (m) {
      chain = m[1] ?? "";
      out.push(`chain ${table} ${chain}`);
      continue;
    }
    if (/^(type|policy) /.test(line)) continue;
    if (/^(set|map|flowtable|counter|quota|ct) /.test(line)) continue;
    // Counters change with traffic: a rule is the same rule whatever it has counted.
    out.push(`rule ${table} ${chain}: ${line.replace(/ counter packets \d+ bytes \d+/, " counter")}`);
  }
  return out;
}

/** Each veth end learns its peer's name and namespace (ends point at each other by ifindex). */
export function pairVeths(netns: NetnsView[]): void {
  for (const ns of netns) {
    for (const link of ns.links) {
      if (link.kind !== "veth") continue;
      if (!link.peerElsewhere) {
        const peer = link.peer?.name ?? ns.links.find((l) => l.ifindex === link.iflink)?.name;
        if (peer) link.peer = { name: peer, netns: ns.name };
        continue;
      }
      const match = netns.filter((o) => o !== ns).flatMap((o) => o.links.filter((l) => l.kind === "veth" && l.ifindex === link.iflink && l.iflink === link.ifindex).map((l) => ({ l, o })));
      if (match.length === 1 && match[0]) link.peer = { name: match[0].l.name, netns: match[0].o.name };
      else delete link.peer;
    }
  }
}

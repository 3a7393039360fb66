// IP addresses for the network-safety rules: parsing IPv4/IPv6 literals, subnets, and the subnets a lab assigns
// itself (`ip addr add A/N`, `--address=A/N`, `ifconfig IF A`): traffic to those, and to loopback, is allowed.
import { positionals, type CommandSite } from "./sites.js";

export interface Subnet {
  family: 4 | 6;
  /** The address as a big integer (32 or 128 bits). */
  base: bigint;
  prefix: number;
  /** As written, for messages. */
  text: string;
}

const V4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function parseIPv4(text: string): bigint | undefined {
  if (!V4.test(text)) return undefined;
  return text.split(".").reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

/**
 * The forms `inet_aton` (and so ping, curl, ssh …) accepts: `134744072`, `0x08080808`, `8.8.8`, `010.010.010.010`,
 * `0x8.0x8.0x8.0x8` — one to four parts, each decimal, octal (leading 0) or hex (0x), the last filling the rest.
 */
export function parseInetAton(text: string): bigint | undefined {
  if (!/^(0x[0-9a-f]*|\d+)(\.(0x[0-9a-f]*|\d+)){0,3}$/i.test(text)) return undefined;
  const parts = text.split(".").map((p) => (/^0x/i.test(p) ? BigInt(p.length > 2 ? p : "0") : /^0\d/.test(p) ? (/^[0-7]+$/.test(p) ? BigInt(`0o${p.slice(1)}`) : -1n) : BigInt(p)));
  if (parts.some((p) => p < 0n)) return undefined;
  const last = parts.pop() as bigint;
  if (parts.some((p) => p > 255n) || last >= 1n << BigInt(8 * (4 - parts.length))) return undefined;
  return parts.reduce((acc, p, i) => acc | (p << BigInt(8 * (3 - i))), 0n) | last;
}

export function parseIPv6(text: string): bigint | undefined {
  let t = text.replace(/%.*$/, "");
  // An embedded IPv4 tail (::ffff:1.2.3.4, 64:ff9b::1.2.3.4) is two groups.
  const v4 = /:(\d+\.\d+\.\d+\.\d+)$/.exec(t);
  if (v4) {
    const n = parseIPv4(v4[1] as string);
    if (n === undefined) return undefined;
    t = `${t.slice(0, v4.index + 1)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  if (!/^[0-9a-fA-F:]+$/.test(t) || !t.includes(":") || (t.match(/::/g) ?? []).length > 1) return undefined;
  const [head = "", rest] = t.split("::");
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const h = groups(head);
  const r = rest === undefined ? [] : groups(rest);
  if ([...h, ...r].some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  const missing = 8 - h.length - r.length;
  if (rest === undefined ? missing !== 0 : missing < 1) return undefined;
  const all = [...h, ...Array<string>(rest === undefined ? 0 : missing).fill("0"), ...r];
  return all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** The top 96 bits of an IPv4-mapped IPv6 address (::ffff:a.b.c.d). */
const MAPPED = 0xffffn;

/**
 * `A`, `A/N`, `[A]`: an address or subnet literal, or undefined when the text is not one. `peer` also reads the
 * inet_aton forms (`0x08080808`, `8.8.8`; a bare number only with `bareNumber`), and an IPv4-mapped IPv6
 * address as the IPv4 address it is.
 */
export function parseSubnet(text: string, peer?: { bareNumber: boolean }): Subnet | undefined {
  const m = /^\[?([^\]/]+)\]?(?:\/(\d{1,3}))?$/.exec(text);
  if (!m) return undefined;
  const addr = m[1] as string;
  let v4 = parseIPv4(addr);
  if (v4 === undefined && peer && (peer.bareNumber || /[.x]/i.test(addr))) v4 = parseInetAton(addr);
  let v6 = v4 === undefined ? parseIPv6(addr) : undefined;
  if (peer && v6 !== undefined && v6 >> 32n === MAPPED) {
    v4 = v6 & 0xffffffffn;
    v6 = undefined;
  }
  if (v4 === undefined && v6 === undefined) return undefined;
  const family = v4 !== undefined ? 4 : 6;
  const bits = family === 4 ? 32 : 128;
  const prefix = m[2] === undefined ? bits : Number(m[2]);
  if (prefix > bits) return undefined;
  return { family, base: (v4 ?? v6) as bigint, prefix, text };
}

export function contains(net: Subnet, addr: Subnet): boolean {
  if (net.family !== addr.family || addr.prefix < net.prefix) return false;
  const bits = BigInt(net.family === 4 ? 32 : 128);
  const shift = bits - BigInt(net.prefix);
  return net.base >> shift === addr.base >> shift;
}

/** Always allowed: loopback, and the "any address" a server listens on. */
export const ALWAYS_ALLOWED: Subnet[] = ["127.0.0.0/8", "::1/128", "0.0.0.0/32", "::/128"].map((t) => parseSubnet(t) as Subnet);

const UPLINK_NAME = /^(eth0|ens\d+|enp\d+s\d+(f\d+)?|eno\d+|lo)(:\d+)?$/;
const ADDR_OBJECTS = new Set(["addr", "address", "a", "ad", "add", "addre", "addres"]);

const assignedOnce = new WeakMap<CommandSite[], Subnet[]>();

/**
 * Where a lab may number its own interfaces: private, shared, link-local, benchmark and documentation space, and
 * IPv6's unique-local, link-local and documentation prefixes. An address elsewhere — or a prefix wider than these,
 * `10.0.0.1/1` — makes a kernel route that takes the machine's traffic to outside addresses away from its uplink.
 */
const OWNABLE: Subnet[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16", "198.18.0.0/15", "192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "127.0.0.0/8", "fc00::/7", "fe80::/10", "2001:db8::/32"].map((t) => parseSubnet(t) as Subnet);
/** The cloud metadata service: a lab address that covers it takes the machine's own configuration requests. */
const METADATA: Subnet[] = ["169.254.169.254", "fd00:ec2::254"].map((t) => parseSubnet(t) as Subnet);
/** A wider prefix than a lab needs (/15 and wider, an IPv6 /47) also covers the private networks the machine is on. */
export const ownable = (net: Subnet): boolean =>
  OWNABLE.some((range) => contains(range, net)) && net.prefix >= (net.family === 4 ? 16 : 48) && !METADATA.some((m) => contains(net, m));

/** The subnets the lab assigns to its own interfaces, anywhere in the lab (read once per lab's sites). */
export function assignedSubnets(sites: CommandSite[]): Subnet[] {
  const hit = assignedOnce.get(sites);
  if (hit) return hit;
  const out: Subnet[] = [];
  for (const site of sites) for (const net of assignedBy(site)) if (ownable(net)) out.push(net);
  assignedOnce.set(sites, out);
  return out;
}

const NONE: readonly Subnet[] = [];
/** Per site: three rules ask (the lab's subnets, the address rule, the default-route rule). */
const assignedAt = new WeakMap<CommandSite, Subnet[]>();

/** `ip addr` actions that give an interface an address, in any abbreviation ip accepts (`ip a a`, `ip a r`). */
const ASSIGNING = /^(a|ad|add|c|ch|cha|chan|chang|change|chg|r|re|rep|repl|repla|replac|replace)$/;
/** `ip addr add` keywords that take a value other than the address. */
const ADDR_VALUE_WORDS = new Set(["dev", "label", "scope", "broadcast", "brd", "anycast", "valid_lft", "preferred_lft", "metric", "proto"]);

/**
 * The subnets one command gives an interface (its kernel adds a route to each): `ip addr add A/N [peer P/N]`,
 * `ifconfig IF A [netmask M]`, `--address=A/N` of any command. Addresses put on the machine's uplink are not the lab's.
 */
export function assignedBy(site: CommandSite): readonly Subnet[] {
  const name = site.name;
  const words = site.words;
  // Most commands assign nothing: answered without allocating (this runs for every command of every lab).
  if (name !== "ip" && name !== "ifconfig") {
    let address = false;
    for (const w of words) if (w.charCodeAt(0) === 45 && w.charCodeAt(2) === 97 && w.startsWith("--address")) address = true;
    if (!address) return NONE;
  }
  const hit = assignedAt.get(site);
  if (hit) return hit;
  const out: Subnet[] = [];
  assignedAt.set(site, out);
  const push = (text: string | undefined, prefixIfBare?: number) => {
    // ip reads each part with strtoul (`0x8.0x8.0x8.1`, `8.8.8`): a spelling it accepts is read too.
    const s = text === undefined ? undefined : parseSubnet(text) ?? parseSubnet(text, { bareNumber: false });
    if (s) out.push(prefixIfBare !== undefined && !text?.includes("/") ? { ...s, prefix: prefixIfBare } : s);
  };
  // `--address=A/N` of any command (nspawn's, a tool's): a word starting `--a` is rare, so test that first.
  for (const w of words) {
    if (w.charCodeAt(0) !== 45 || w.charCodeAt(2) !== 97 || !w.startsWith("--address=")) continue;
    const m = /^--address=(.+)$/.exec(w);
    if (m) push(m[1]);
  }
  const addrAt = words.indexOf("--address");
  if (addrAt > 0) push(words[addrAt + 1]);
  if (name !== "ip" && name !== "ifconfig") return out;
  // An address the lab puts on the machine's own uplink (a refused command) makes no subnet the lab's.
  const onUplink = site.hostNetns && words.some((w, k) => (k === 1 && name === "ifconfig") || (k > 0 && words[k - 1] === "dev") ? UPLINK_NAME.test(w) : false);
  if (onUplink) return out;
  if (name === "ip") {
    const args = ipArgs(words);
    if (!ADDR_OBJECTS.has(args[0] ?? "") || !ASSIGNING.test(args[1] ?? "")) return out;
    let local: string | undefined;
    for (let k = 2; k < args.length; k++) {
      const a = args[k] ?? "";
      if (ADDR_VALUE_WORDS.has(a)) k++;
      // `peer P/N`: the kernel routes P/N to the interface.
      else if (a === "peer" || a === "remote") push(args[++k]);
      else if (a === "local") local = args[++k];
      else if (local === undefined && (parseSubnet(a) ?? parseSubnet(a, { bareNumber: false })) !== undefined) local = a;
    }
    push(local);
  } else {
    const args = positionals(words);
    const mask = words.indexOf("netmask");
    push(args[1], mask > 0 ? maskBits(words[mask + 1]) : 24);
  }
  return out;
}

export { ipArgs, ipInOtherNetns } from "./ip-args.js";
import { ipArgs } from "./ip-args.js";

function maskBits(mask: string | undefined): number | undefined {
  const n = mask === undefined ? undefined : parseIPv4(mask);
  if (n === undefined) return undefined;
  return n.toString(2).replace(/0+$/, "").length;
}

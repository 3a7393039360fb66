// IP addresses for the network-safety rules: parsing IPv4/IPv6 literals, subnets, and the subnets a lab assigns
// itself (`ip addr add A/N`, `--address=A/N`, `ifconfig IF A`): traffic to those, and to loopback, is allowed.
import { commandName, positionals, type CommandSite } from "./sites.js";

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

export function parseIPv6(text: string): bigint | undefined {
  const t = text.replace(/%.*$/, "");
  // Embedded IPv4 (::ffff:1.2.3.4) is rare in labs; it is simply not recognised as an address.
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

/** `A`, `A/N`, `[A]`: an address or subnet literal, or undefined when the text is not one. */
export function parseSubnet(text: string): Subnet | undefined {
  const m = /^\[?([^\]/]+)\]?(?:\/(\d{1,3}))?$/.exec(text);
  if (!m) return undefined;
  const addr = m[1] as string;
  const v4 = parseIPv4(addr);
  const v6 = v4 === undefined ? parseIPv6(addr) : undefined;
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

const ADDR_OBJECTS = new Set(["addr", "address", "a", "ad", "add", "addre", "addres"]);

/** The subnets the lab assigns to its own interfaces, anywhere in the lab. */
export function assignedSubnets(sites: CommandSite[]): Subnet[] {
  const out: Subnet[] = [];
  const push = (text: string | undefined, prefixIfBare?: number) => {
    const s = text === undefined ? undefined : parseSubnet(text);
    if (s) out.push(prefixIfBare !== undefined && !text?.includes("/") ? { ...s, prefix: prefixIfBare } : s);
  };
  for (const site of sites) {
    const name = commandName(site);
    const words = site.words;
    for (const w of words) {
      const m = /^--address=(.+)$/.exec(w);
      if (m) push(m[1]);
    }
    const addrAt = words.indexOf("--address");
    if (addrAt > 0) push(words[addrAt + 1]);
    if (name === "ip") {
      const args = ipArgs(words);
      if (ADDR_OBJECTS.has(args[0] ?? "") && (args[1] === "add" || args[1] === "replace" || args[1] === "change")) push(args[2]);
    } else if (name === "ifconfig") {
      const args = positionals(words);
      const mask = words.indexOf("netmask");
      push(args[1], mask > 0 ? maskBits(words[mask + 1]) : 24);
    }
  }
  return out;
}

/** `ip` arguments after global options (`-n NS`, `-4`, `-br`, `-o`, …). */
export function ipArgs(words: string[]): string[] {
  const withValue = new Set(["-n", "-netns", "--netns", "-f", "-family", "-b", "-batch", "-rc", "-l", "-loops"]);
  let k = 1;
  while (k < words.length && (words[k] ?? "").startsWith("-")) k += withValue.has(words[k] ?? "") ? 2 : 1;
  return words.slice(k);
}

/** Whether `ip` runs in another namespace by its own option (`ip -n NS …`). */
export function ipInOtherNetns(words: string[]): boolean {
  return words.slice(1).some((w, i, all) => (w === "-n" || w === "-netns" || w === "--netns") && all[i + 1] !== undefined);
}

function maskBits(mask: string | undefined): number | undefined {
  const n = mask === undefined ? undefined : parseIPv4(mask);
  if (n === undefined) return undefined;
  return n.toString(2).replace(/0+$/, "").length;
}

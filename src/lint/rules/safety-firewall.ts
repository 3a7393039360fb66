// The host's firewall belongs to the machine (and to Docker, libvirt, the VM's provider): a lab only adds rules
// that match its own interfaces or addresses, or tables and chains it creates itself, and removes them again. It
// never flushes, deletes or re-polices what it did not create. Inside the lab's own network namespaces anything goes.
import type { Problem } from "../../format/diagnostics.js";
import type { LintRule } from "../types.js";
import { commandName, positionals, whereItRuns, type CommandSite } from "../sites.js";
import { assignedSubnets, contains, parseSubnet, type Subnet } from "../addresses.js";
import { siteIndex } from "../site-index.js";
import { createdInterfaces } from "../interfaces.js";
import { anotherLabs, labPrefixes, ROOTLAB_PREFIX } from "../lab-names.js";

/**
 * Whether a firewall match names only the lab's interfaces: one it creates, one with its prefix (also as a wildcard,
 * `rl6+`, `"rl6-*"`), or a container's veth nspawn makes for it — not the machine's (`wlan0`, `docker0`, `enx…`),
 * and never an interface index (`oif 2` is whatever interface has that index: the uplink, usually).
 */
type LabIface = (word: string) => boolean;
function labInterfaces(sites: CommandSite[]): LabIface {
  const created = createdInterfaces(sites);
  const prefixes = labPrefixes(sites);
  return (word) => {
    const name = word.replace(/^"|"$/g, "");
    const wildcard = /[+*]$/.test(name);
    const base = name.replace(/[+*]$/, "");
    if (wildcard) return /^rl[a-z0-9]*-?/.test(base) && base.length >= 2 && !anotherLabs(base.includes("-") ? base : `${base}-`, prefixes) && !/[*?[]/.test(base);
    return created.has(name) || /^(ve|vb|vz|vt)-/.test(name) || (ROOTLAB_PREFIX.test(name) && !anotherLabs(name, prefixes));
  };
}

const IPTABLES = /^(ip6?|eb|arp)tables(-nft)?$/;
const RESTORE = /^(ip6?|eb|arp)tables(-nft)?-(restore|apply)$/;
/** Interface names that are (or, as an iptables `+` wildcard, match) the machine's own. */
const HOST_IFACE = /^(eth|ens|enp|eno|lo|e|en)\d*\+?$|^\+$|^\*$/;
const NFT_OBJECTS = /^(table|chain|rule|set|map|element|flowtable|counter|quota|limit|ct|secmark|synproxy)$/;
const FAMILIES = /^(ip|ip6|inet|arp|bridge|netdev)$/;

/** The commands this rule judges: iptables and its restore, nft, conntrack, ipset, ufw, firewalld. */
const FIREWALL_COMMANDS = (name: string): boolean => IPTABLES.test(name) || RESTORE.test(name) || /^(nft|conntrack|ipset|ufw|firewall-cmd|firewall-offline-cmd)$/.test(name);

/** nft's words as one command: `nft 'add rule …'` and `nft add rule …` are the same. */
const nftWords = (site: CommandSite): string[] => positionals(site.words, new Set(["-f", "--file", "-I", "--includepath"])).join(" ").split(/\s+/).filter(Boolean);

/** `[family] NAME` after an nft object keyword: the table's name. */
function nftTable(rest: string[]): string | undefined {
  return FAMILIES.test(rest[0] ?? "") ? rest[1] : rest[0];
}

/** Tables and chains the lab creates itself (anywhere in the lab). */
function ownObjects(sites: CommandSite[]): { tables: Set<string>; chains: Set<string>; sets: Set<string> } {
  const tables = new Set<string>();
  const chains = new Set<string>();
  const sets = new Set<string>();
  for (const site of siteIndex(sites).select((n) => n === "ipset" || n === "nft" || IPTABLES.test(n))) {
    const name = commandName(site);
    if (name === "ipset" && /^(create|-N|n|-exist)$/.test(site.words[1] ?? "")) sets.add(positionals(site.words)[1] ?? "");
    if (name === "nft") {
      const [verb = "", object = "", ...rest] = nftWords(site);
      if (/^(add|create)$/.test(verb) && object === "table") tables.add(nftTable(rest) ?? "");
    } else if (IPTABLES.test(name)) {
      site.words.forEach((w, k) => {
        if (w === "-N" || w === "--new-chain") chains.add(site.words[k + 1] ?? "");
      });
    }
  }
  return { tables, chains, sets };
}

/** `conntrack -F/-D/-U`, `ipset flush/destroy/…` of sets the lab does not create. */
function stateProblem(site: CommandSite, sets: Set<string>, own: Subnet[]): string | undefined {
  const name = commandName(site);
  const w = site.words;
  if (name === "conntrack" && w.some((x) => /^(-F|--flush|-D|--delete|-U|--update)$/.test(x))) {
    const addrs = w.flatMap((x, k) => (/^(-s|-d|--src|--dst|--orig-src|--orig-dst|-r|-q|--reply-src|--reply-dst)$/.test(x) ? [w[k + 1] ?? ""] : []));
    const theLabs = addrs.length > 0 && addrs.every((a) => { const s = parseSubnet(a); return s !== undefined && own.some((net) => contains(net, s)); });
    if (!theLabs) return `${w.some((x) => /^(-F|--flush)$/.test(x)) ? "flushes" : "deletes or changes entries of"} the host's connection-tracking table: established connections (the student's SSH session among them) lose their state and NAT`;
  }
  if (name === "ipset") {
    const [verb = "", set] = positionals(w);
    const changes = /^(flush|-F|f|destroy|-X|x|add|-A|a|del|-D|d|restore|-R|swap|-W|w|rename|-E|e)$/.test(verb) || w.some((x) => /^-[FXADRWE]$/.test(x));
    const setName = set ?? w[w.findIndex((x) => /^-[FXADRWE]$/.test(x)) + 1];
    if (changes && (setName === undefined || setName.startsWith("-") || !sets.has(setName))) return setName === undefined || setName.startsWith("-") ? "changes every IP set of the host's firewall" : `changes the host's IP set \`${setName}\`, which this lab does not create (\`ipset create ${setName} …\`)`;
  }
  if (name === "ufw" && !/^(status|show|version|app|--version|help)$/.test(positionals(w)[0] ?? "status")) return `\`ufw ${positionals(w)[0]}\` reconfigures the host's firewall`;
  if (/^(firewall-cmd|firewall-offline-cmd)$/.test(name) && w.slice(1).some((x) => !/^--(state|list|get|query|info|zone=|permanent$|check-config)/.test(x))) return `\`${name}\` reconfigures the host's firewall`;
  return undefined;
}

function iptablesProblem(site: CommandSite, chains: Set<string>, own: Subnet[], labIface: LabIface): string | undefined {
  const w = site.words;
  // A rule of the lab's matches its interfaces, or addresses in its own subnets (not 0.0.0.0/0).
  // A negated match (`! -i rl-br0`, `-i ! rl-br0`) matches everything else; `-i eth+` matches the uplink.
  const hasMatch = w.some((x, k) => {
    if (w[k - 1] === "!" || w[k + 1] === "!") return false;
    if (/^(-i|-o|--in-interface|--out-interface|--logical-in|--logical-out)$/.test(x)) return !HOST_IFACE.test(w[k + 1] ?? "") && labIface(w[k + 1] ?? "");
    if (!/^(-s|-d|--source|--destination)$/.test(x)) return false;
    const addr = parseSubnet(w[k + 1] ?? "");
    return addr !== undefined && own.some((net) => contains(net, addr));
  });
  for (let k = 1; k < w.length; k++) {
    const opt = w[k] ?? "";
    const chain = w[k + 1] !== undefined && !(w[k + 1] ?? "").startsWith("-") ? w[k + 1] : undefined;
    if (/^(-F|--flush|-X|--delete-chain)$/.test(opt) && (chain === undefined || !chains.has(chain))) {
      const what = /F|flush/.test(opt) ? "flushes" : "deletes";
      return chain === undefined ? `${what} every chain of the host's firewall table` : `${what} the host's chain \`${chain}\`, which this lab does not create (\`-N ${chain}\`)`;
    }
    if (/^(-P|--policy)$/.test(opt)) return `sets the policy of the host's chain \`${chain ?? "?"}\``;
    if (/^(-D|--delete)$/.test(opt) && /^\d+$/.test(w[k + 2] ?? "")) return `deletes rule number ${w[k + 2]} of the host's chain \`${chain ?? "?"}\`, whoever wrote it`;
    if (/^(-D|--delete)$/.test(opt) && chain !== undefined && !chains.has(chain) && !hasMatch) return `deletes a rule of the host's chain \`${chain}\` that does not match only the lab's interfaces and subnets: the machine's own (Docker's, libvirt's)`;
    if (/^(-E|--rename-chain)$/.test(opt) && chain !== undefined && !chains.has(chain)) return `renames the host's chain \`${chain}\`, which this lab does not create`;
    if (/^(-A|--append|-I|--insert|-R|--replace)$/.test(opt) && chain !== undefined && !chains.has(chain) && !hasMatch) {
      return `adds a rule to the host's chain \`${chain}\` that matches more than the lab's interfaces and subnets`;
    }
  }
  return undefined;
}

function nftProblem(site: CommandSite, tables: Set<string>): string | undefined {
  const [verb = "", object = "", ...rest] = nftWords(site);
  if (verb === "flush" && object === "ruleset") return "flushes the host's whole nftables ruleset";
  if (!NFT_OBJECTS.test(object)) return undefined;
  const table = nftTable(rest);
  if (table === undefined || table.includes("$") || tables.has(table)) return undefined;
  if (/^(flush|delete|destroy|reset)$/.test(verb)) return `${verb === "reset" ? "resets" : verb === "flush" ? "flushes" : "deletes"} ${object === "table" ? "the host's table" : `a ${object} of the host's table`} \`${table}\`, which this lab does not create`;
  if (/^(add|insert|create|replace)$/.test(verb) && object !== "table") return `changes the host's table \`${table}\`, which this lab does not create`;
  return undefined;
}

/**
 * Even in its own table, a lab's base chain sees all the machine's traffic at its hook: `policy drop`, or a rule
 * that drops without matching the lab's interfaces or addresses, cuts the machine off.
 */
function nftDropsAll(site: CommandSite, own: Subnet[], labIface: LabIface): string | undefined {
  const text = nftWords(site).join(" ");
  const [verb = "", object = "", family = ""] = nftWords(site);
  if (family === "bridge" || family === "netdev") return undefined; // only frames on the lab's bridges / devices
  if (/^(add|create|insert|replace)$/.test(verb) && object === "chain" && /\bhook\b/.test(text) && /\bpolicy\s+drop\b/.test(text)) return "gives a base chain `policy drop`: every packet of the machine at that hook is dropped, not only the lab's";
  // A match counts only when it is positive and narrow: `iifname != rl-x`, `saddr 0.0.0.0/0`, `iifname "e*"` match the machine's traffic.
  // An interface counts when it is the lab's; an address when it is in a subnet the lab assigns (`daddr 127.0.0.1`
  // drop cuts rootlab's own server off).
  const narrow = [...text.matchAll(/\b(iifname|oifname|iif|oif|saddr|daddr|ether\s+\w+)\s+(!=\s*)?("?[^\s"]+"?)/g)].some((m) => {
    if (m[2] !== undefined || /^"?(0\.0\.0\.0\/0|::\/0|\*|(eth|ens|enp|eno|lo|e|en)\d*\*?)"?$/.test(m[3] ?? "")) return false;
    if (/^(iifname|oifname|iif|oif)$/.test(m[1] ?? "")) return labIface(m[3] ?? "");
    if (/^(saddr|daddr)$/.test(m[1] ?? "")) {
      const addr = parseSubnet((m[3] ?? "").replace(/"/g, ""));
      return addr !== undefined && own.some((net) => contains(net, addr));
    }
    return true;
  });
  if (/^(add|insert|replace)$/.test(verb) && object === "rule" && /\b(drop|reject)\b/.test(text) && !narrow) return "adds a rule that drops without matching only the lab's interfaces or addresses";
  return undefined;
}

export const safetyHostFirewall: LintRule = {
  code: "safety/host-firewall",
  severity: "error",
  description: "flushes, deletes or re-polices the host's firewall (iptables -F/-X/-P, nft flush ruleset, tables the lab did not create)",
  check: ({ sites }) => {
    const { tables, chains, sets } = ownObjects(sites);
    const own = assignedSubnets(sites);
    const labIface = labInterfaces(sites);
    const problems: Problem[] = [];
    for (const site of siteIndex(sites).select(FIREWALL_COMMANDS)) {
      if (!site.hostNetns) continue;
      const name = commandName(site);
      let what: string | undefined;
      if (IPTABLES.test(name)) what = iptablesProblem(site, chains, own, labIface);
      else if (RESTORE.test(name) && !site.words.some((x) => x === "-n" || x === "--noflush")) what = "replaces the host's firewall tables with a file's";
      else if (name === "nft") what = nftProblem(site, tables) ?? nftDropsAll(site, own, labIface);
      else what = stateProblem(site, sets, own);
      if (!what) continue;
      problems.push({
        line: site.line,
        column: site.column,
        code: "safety/host-firewall",
        message: `\`${name}\` ${what} (${whereItRuns(site)}): the machine's own rules (its provider's, Docker's, libvirt's) would be gone`,
        expected: "on the host, only rules that match the lab's interfaces or addresses (`-i rl-br0`), or tables and chains the lab creates (`nft add table inet rl-x`, `iptables -N RL-X`), removed again in a cleanup; anything inside the lab's own namespace (`ip netns exec NS iptables -F`)",
        example: "nft add table inet rl-lab\nnft add chain inet rl-lab fwd '{ type filter hook forward priority 0; }'\nnft add rule inet rl-lab fwd iifname rl-br0 accept\n# cleanup:\nnft delete table inet rl-lab",
      });
    }
    return problems;
  },
};

// Host safety: a lab never changes the machine's uplink (eth0), its default route, or host-wide sysctls
// (unless a cleanup restores them), never mounts over the host's /, /proc, /sys …, and never uses iptables-legacy.
import type { Problem } from "../../format/diagnostics.js";
import type { LintRule } from "../types.js";
import { ipArgs } from "../addresses.js";
import { commandName, positionals, whereItRuns, type CommandSite } from "../sites.js";
import { siteIndex } from "../site-index.js";
import { anotherLabs, labPrefixes, ROOTLAB_PREFIX } from "../lab-names.js";

/** The machine's own interfaces: its uplink (any alias `eth0:1`) and loopback (rootlab's own 127.0.0.1 server). */
const UPLINK = /^(eth0|ens\d+|enp\d+s\d+(f\d+)?|eno\d+|lo)(:\d+)?$/;
/** `ip` takes any prefix of an object or action (`ip l s eth0 down`): a word abbreviates one of these. */
const abbreviates = (word: string, ...full: string[]) => word.length > 0 && full.some((f) => f.startsWith(word));
const CHANGING_ACTIONS = ["add", "delete", "set", "change", "replace", "flush", "append"];
const changing = (word: string) => abbreviates(word, ...CHANGING_ACTIONS);

const inHostNetns = (site: CommandSite) => site.hostNetns;

/** `ip link set` keywords that take a value, and those that stand alone: any other word is the device. */
const LINK_VALUE_WORDS = new Set(["dev", "name", "mtu", "address", "broadcast", "brd", "peer", "master", "netns", "alias", "qlen", "txqueuelen", "txqlen", "group", "type", "vf", "link", "link-netns", "link-netnsid", "index", "numtxqueues", "numrxqueues", "gso_max_size", "gso_max_segs", "xdp", "xdpgeneric", "xdpdrv", "xdpoffload", "addrgenmode", "protodown", "protodown_reason", "arp", "multicast", "allmulticast", "promisc", "trailers", "dynamic", "carrier", "state", "mode", "netnsid", "vrf"]);
const LINK_FLAG_WORDS = new Set(["up", "down", "nomaster", "on", "off"]);

/** Index (in site.words) of the interface an `ip`/`ifconfig`/`ethtool`/`tc`/firewall command changes. */
export function changedInterfaceAt(site: CommandSite): number | undefined {
  const name = commandName(site);
  const w = site.words;
  const found = (k: number) => (k >= 0 && k < w.length ? k : undefined);
  if (name === "ip") {
    const args = ipArgs(w);
    const off = w.length - args.length;
    const [object = "", action = ""] = args;
    // `ip link property add dev eth0 altname rl-x`: a second name for the uplink, that later commands would use.
    if (abbreviates(object, "link") && abbreviates(action, "property") && changing(args[2] ?? "")) {
      const dev = args.indexOf("dev", 3);
      return found(off + (dev === -1 ? 3 : dev + 1));
    }
    if (!changing(action)) return undefined;
    const devAt = args.indexOf("dev", 2);
    if (devAt !== -1) return found(off + devAt + 1);
    // `ip link set eth0 …`, `ip link set down eth0`, `ip link del eth0`: the word no keyword claims is the device.
    // `ip addr flush eth0`, `ip neigh flush eth0`: a bare word is the device too.
    if ((abbreviates(object, "address") || abbreviates(object, "neighbour")) && abbreviates(action, "flush")) {
      const bare = args.slice(2).findIndex((a) => !/^(to|scope|label|dynamic|permanent|up|nud|proxy|-.*|all|\d.*|[0-9a-f:]+\/\d+)$/.test(a));
      return bare < 0 ? undefined : off + 2 + bare;
    }
    // `ip link add NAME link eth0 type macvlan|ipvlan|vlan`: a device on top of the uplink, on the machine's own network.
    if (abbreviates(object, "link") && abbreviates(action, "add")) {
      const parent = args.indexOf("link", 2);
      return parent === -1 ? undefined : found(off + parent + 1);
    }
    if (abbreviates(object, "link")) {
      for (let k = 2; k < args.length; k++) {
        const a = args[k] ?? "";
        if (LINK_VALUE_WORDS.has(a)) k++;
        else if (!LINK_FLAG_WORDS.has(a)) return off + k;
      }
    }
    return undefined;
  }
  if (name === "ifconfig") {
    const args = positionals(w);
    return args.length > 1 ? found(w.indexOf(args[0] ?? "")) : undefined;
  }
  if (name === "brctl") return /^(addif|delif)$/.test(w[1] ?? "") ? found(3) : w[1] === "delbr" ? found(2) : undefined;
  if (name === "ovs-vsctl") return found(w.findIndex((x, k) => k > 0 && (/^(add-port|del-port)$/.test(w[k - 2] ?? "") || w[k - 1] === "del-br")));
  if (name === "bridge") return changing(w[2] ?? "") && w.includes("dev") ? found(w.indexOf("dev") + 1) : undefined;
  if (name === "ethtool") return w.some((x) => /^-[sKAGLCErfXNUWMu]$|^--(change|offload|features|set-|reset|negotiate|flash|config-|coalesce|pause|ring|eee|fec)/.test(x)) ? found(w.findIndex((x, k) => k > 0 && !x.startsWith("-"))) : undefined;
  // tc, like ip, takes any prefix of an action (`tc qdisc a dev eth0 …`).
  if (name === "tc") {
    // Past tc's global options (`-s -d`, `-n NS`, `-b FILE`), the object and the action.
    let k = 1;
    while ((w[k] ?? "").startsWith("-")) k += /^-(n|netns|b|batch|cf|conf|o|N)$/.test(w[k] ?? "") ? 2 : 1;
    const acts = [...w.slice(1, 4), ...w.slice(k, k + 2)];
    return acts.some((x) => changing(x) || abbreviates(x, "del")) ? found(w.indexOf("dev") + 1 || -1) : undefined;
  }
  if (/^(ip6?|eb|arp)tables(-nft)?$/.test(name) || name === "nft") {
    // `nft add rule … iifname "eth0" drop`: quotes inside the nft string are nft's.
    const adds = w.some((x) => /^(-A|-I|-R|--append|--insert|add|insert|create|replace)$/.test(x));
    const at = w.findIndex((x) => /^(-i|-o|--in-interface|--out-interface|iifname|oifname|iif|oif)$/.test(x));
    return adds && at !== -1 ? found(at + 1) : undefined;
  }
  return undefined;
}

/** The commands changedInterfaceAt() reads, and `tee` (a write to /sys/class/net/IF/…). */
export const INTERFACE_COMMANDS = /^(ip|ifconfig|brctl|ovs-vsctl|bridge|ethtool|tc|nft|tee|(ip6?|eb|arp)tables(-nft)?)$/;

/** The uplink an interface-changing command names (after the lab's variables are resolved). */
function changedUplink(site: CommandSite): string | undefined {
  // `ip link set group 0 down`, `ip addr flush to 0/0`: every interface of a group, or every interface's addresses.
  if (commandName(site) === "ip") {
    const [object = "", action = "", third = "", ...rest] = ipArgs(site.words);
    if (abbreviates(object, "link") && changing(action) && third === "group") return `eth0 (every interface in group \`${rest[0] ?? "?"}\`)`;
    if ((abbreviates(object, "address") || object === "addr") && abbreviates(action, "flush") && !site.words.includes("dev") && changedInterfaceAt(site) === undefined) return "eth0 (the addresses of every interface)";
  }
  const at = changedInterfaceAt(site);
  const dev = at === undefined ? undefined : (site.words[at] ?? "").replace(/"/g, "");
  // Bringing loopback up is harmless (it is up already); anything else done to it breaks the machine's services.
  const loUp = dev !== undefined && /^lo(:\d+)?$/.test(dev) && site.words.includes("up") && site.words.length <= 5;
  if (dev !== undefined && UPLINK.test(dev) && !loUp) return dev;
  // `eth[0]`, `e*`: bash replaces a glob by the files it matches in the current folder, which a lab can create.
  const globbed = dev !== undefined && /[*?[]/.test(dev) ? globbedUplink(dev) : undefined;
  if (globbed) return globbed;
  // `echo 0 > /sys/class/net/eth0/…` (or `/sys/class/net/e*/…`): the interface's own settings, written directly.
  return sysNetWrites(site).map((d) => (UPLINK.test(d) ? d : /[*?[]/.test(d) ? globbedUplink(d) : undefined)).find((d) => d !== undefined);
}

/** The uplink-like name a glob matches (`e*`, `eth?`, `[e]th0`): bash replaces it by the files it matches. */
function globbedUplink(glob: string): string | undefined {
  const re = new RegExp(`^${glob.replace(/[.+^${}()|\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
  return ["eth0", "ens3", "enp0s3", "eno1", "lo"].find((n) => re.test(n));
}

/** The interfaces whose /sys/class/net/IF/… files a command writes (redirections, tee). */
function sysNetWrites(site: CommandSite): string[] {
  const written = [...site.redirects.filter((r) => r.op.startsWith(">")).map((r) => r.target), ...(commandName(site) === "tee" ? site.words.slice(1) : [])];
  return written.flatMap((t) => /^\/sys\/class\/net\/([^/]+)\//.exec(t)?.[1] ?? []);
}

/** `systemd-nspawn --network-interface=IF` (or macvlan/ipvlan on IF): the interface the container takes from the host. */
function givenToContainer(site: CommandSite): string | undefined {
  for (const w of site.wrappers) {
    const m = /^systemd-nspawn --network-(?:interface|macvlan|ipvlan)=(\S+)/.exec(w);
    if (m) return m[1];
  }
  return undefined;
}

/** ", written `$x`" when the gate resolved the name from a variable, a loop or a quoting trick. */
function resolvedFrom(site: CommandSite, dev: string): string {
  const at = changedInterfaceAt(site);
  const raw = at === undefined ? undefined : site.fields[at]?.raw;
  return raw !== undefined && raw !== dev ? ` (written \`${raw}\`)` : "";
}

/** Interfaces the lab creates (`ip link add NAME`, `peer name X`, `ip tuntap add X`, `brctl addbr X`). */
function createdInterfaces(sites: CommandSite[]): Set<string> {
  const out = new Set<string>();
  for (const site of siteIndex(sites).select(/^(ip|brctl|ovs-vsctl)$/)) {
    const w = site.words;
    const name = commandName(site);
    if (name === "ip") {
      const [object = "", action = "", ...rest] = ipArgs(w);
      if (!/^(l|li|lin|link|tuntap|tunnel|tun)$/.test(object) || !abbreviates(action, "add")) continue;
      if (rest[0] !== undefined && !rest[0].startsWith("-") && !/^(name|dev|mode|link)$/.test(rest[0])) out.add(rest[0]);
      rest.forEach((x, k) => /^(name|dev)$/.test(x) && rest[k + 1] !== undefined && out.add(rest[k + 1] as string));
    } else if ((name === "brctl" && w[1] === "addbr") || (name === "ovs-vsctl" && w[1] === "add-br")) out.add(w[2] ?? "");
  }
  return out;
}

/**
 * A literal interface the lab does not create, changed in the host's network namespace: the machine's own
 * (`docker0`, `virbr0`, `wlan0`) or another program's. Names with the lab's prefix (`rl…-`), the ones
 * systemd-nspawn makes for the lab's containers (`ve-`, `vb-`, `vz-`) and loopback brought up are the lab's.
 */
function foreignInterface(site: CommandSite, created: Set<string>, prefixes: readonly string[]): string | undefined {
  if (/^(ip6?|eb|arp)tables|^nft$/.test(commandName(site))) return undefined;
  const at = changedInterfaceAt(site);
  const field = at === undefined ? undefined : site.fields[at];
  // A literal name, or the interface whose /sys/class/net files the command writes.
  const name = field?.known ? field.text : field === undefined ? sysNetWrites(site).find((d) => !d.includes("$")) : undefined;
  if (name === undefined) return undefined;
  const dev = name.replace(/:\d+$/, "");
  if (dev === "" || dev.includes("/") || created.has(dev) || created.has(name) || /^(ve|vb|vz|vt)-|^lo$/.test(dev) || /[*?[]/.test(dev)) return undefined;
  // The lab's own prefix (`rl4-`) is the lab's; another lab's (`rlz-br0`) is not this lab's to change.
  if (ROOTLAB_PREFIX.test(dev) && !anotherLabs(dev, prefixes)) return undefined;
  return dev;
}

export const safetyUplink: LintRule = {
  code: "safety/uplink",
  severity: "error",
  description: "changes the machine's uplink (eth0, ens*, enp*), or an interface the lab does not create, in the host's network namespace: addresses, state, name, qdisc or firewall rules",
  check: ({ sites }) => {
    const created = createdInterfaces(sites);
    const prefixes = labPrefixes(sites);
    const index = siteIndex(sites);
    // Interface commands, and redirections (`echo 0 > /sys/class/net/eth0/…`).
    return index.select(INTERFACE_COMMANDS, index.redirectedToPath, index.wrapped).flatMap((site): Problem[] => {
      const given = givenToContainer(site);
      const dev = given !== undefined && (UPLINK.test(given) || !(created.has(given) || ROOTLAB_PREFIX.test(given) && !anotherLabs(given, prefixes))) ? given : inHostNetns(site) ? changedUplink(site) : undefined;
      const foreign = inHostNetns(site) && !dev ? foreignInterface(site, created, prefixes) : undefined;
      if (foreign) {
        return [{
          line: site.line,
          column: site.column,
          code: "safety/uplink",
          message: `this command changes \`${foreign}\`, an interface this lab does not create (${whereItRuns(site)}): the machine's own, another program's (Docker, libvirt, a VPN) or another lab's`,
          expected: "change only interfaces the lab creates (`ip link add rl-…`), or run it inside a network namespace the lab creates",
          example: "ip link add rl-br0 type bridge\nip link set rl-br0 up",
        }];
      }
      if (!dev) return [];
      return [{
        line: site.line,
        column: site.column,
        code: "safety/uplink",
        message: `this command changes \`${dev}\`${resolvedFrom(site, dev)}, the machine's own network interface (${whereItRuns(site)}); the student would lose the VM's connection`,
        expected: "change only interfaces the lab creates (veth, bridges, with the lab's prefix), or run it inside a network namespace",
        example: "ip link add rl-h1 type veth peer name rl-c1\nip link set rl-h1 up",
      }];
    });
  },
};

export const safetyDefaultRoute: LintRule = {
  code: "safety/default-route",
  severity: "error",
  description: "adds, replaces, deletes or flushes the host's default route (or all its routes)",
  check: ({ sites }) =>
    siteIndex(sites).select(/^(ip|route)$/).flatMap((site): Problem[] => {
      if (!inHostNetns(site)) return [];
      const name = commandName(site);
      let hit = false;
      if (name === "ip") {
        const [object = "", action = "", ...rest] = ipArgs(site.words);
        const route = abbreviates(object, "route") && changing(action) && !abbreviates(action, "set");
        // `default`, `any` and `all` are all ip's names for 0/0.
        // The `local` table holds the machine's own addresses (127.0.0.1 among them).
        hit = route && (abbreviates(action, "flush") || rest.some((x) => /^(default|any|all|0\.0\.0\.0\/0|::\/0|0\/0|0)$/.test(x)) || rest.some((x, k) => x === "table" && /^(local|255)$/.test(rest[k + 1] ?? "")));
      } else if (name === "route") {
        const args = positionals(site.words, new Set(["-A", "--family"]));
        hit = /^(add|del)$/.test(args[0] ?? "") && site.words.some((x) => x === "default" || x === "0.0.0.0" || x === "::/0");
      }
      if (!hit) return [];
      return [{
        line: site.line,
        column: site.column,
        code: "safety/default-route",
        message: `this command changes the host's routing table (${whereItRuns(site)}): the machine could lose its connection`,
        expected: "routes only inside a network namespace the lab created (`ip -n NS route …`, or in a session entered into it)",
        example: "ip -n rl-red route add default via 10.231.3.1",
      }];
    }),
};

export const safetyIptablesLegacy: LintRule = {
  code: "safety/iptables-legacy",
  severity: "error",
  description: "runs iptables-legacy (it creates kernel tables that cannot be removed again on an nftables machine)",
  check: ({ sites }) =>
    siteIndex(sites).select(/^(ip6?|arp|eb)tables-legacy(-save|-restore)?$/).flatMap((site): Problem[] =>
      /^(ip6?|arp|eb)tables-legacy(-save|-restore)?$/.test(commandName(site))
        ? [{
            line: site.line,
            column: site.column,
            code: "safety/iptables-legacy",
            message: `\`${commandName(site)}\` loads the legacy xtables modules, whose tables cannot be removed on an nftables host`,
            expected: "iptables (the nft backend) or nft, on rules the lab adds to its own interfaces and removes in a cleanup",
            example: "iptables -A FORWARD -i rl-br0 -j ACCEPT",
          }]
        : [],
    ),
};

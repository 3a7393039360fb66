// The interfaces a command changes, for the uplink rule and the unchecked rule: the device word of `ip`, `ifconfig`,
// `brctl`, `ovs-vsctl`, `bridge`, `ethtool`, `tc` and the firewalls, the /sys/class/net files a command writes, and
// the interfaces the lab creates itself.
import { ipArgs } from "./addresses.js";
import { commandName, positionals, type CommandSite } from "./sites.js";
import { siteIndex } from "./site-index.js";

/** The machine's own interfaces: its uplink (any alias `eth0:1`) and loopback (rootlab's own 127.0.0.1 server). */
export const UPLINK = /^(eth0|ens\d+|enp\d+s\d+(f\d+)?|eno\d+|lo)(:\d+)?$/;
/** `ip` takes any prefix of an object or action (`ip l s eth0 down`): a word abbreviates one of these. */
export const abbreviates = (word: string, ...full: string[]): boolean => word.length > 0 && full.some((f) => f.startsWith(word));
const CHANGING_ACTIONS = ["add", "delete", "set", "change", "replace", "flush", "append", "prepend"];
export const changing = (word: string): boolean => abbreviates(word, ...CHANGING_ACTIONS);

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
  // `teamdctl rl-team port add eth0`: the interface joins the lab's team (and leaves the machine's network).
  if (name === "teamdctl") return w[2] === "port" && /^(add|remove)$/.test(w[3] ?? "") ? found(4) : undefined;
  // `bpftool net attach xdp … dev eth0`: a program on the interface that sees (and can drop) every packet.
  if (name === "bpftool") return w.some((x) => /^(attach|detach)$/.test(x)) && w.includes("dev") ? found(w.indexOf("dev") + 1) : undefined;
  // Past bridge's global options (`-n NS`, `-b FILE`, `-s`): the object, then the action.
  if (name === "bridge") return changing(ipArgs(w)[1] ?? "") && w.includes("dev") ? found(w.indexOf("dev") + 1) : undefined;
  // `-t`/`--test … offline` and `--cable-test` take the link down while they run.
  if (name === "ethtool") return w.some((x) => /^-[sKAGLCErfXNUWMut]$|^--(change|offload|features|set-|reset|negotiate|flash|config-|coalesce|pause|ring|eee|fec|test|cable-test)/.test(x)) ? found(w.findIndex((x, k) => k > 0 && !x.startsWith("-"))) : undefined;
  // `dcb ets set dev eth0 …`, `dcb app add dev eth0 …`: the card's traffic classes and priorities.
  if (name === "dcb") return w.some((x) => /^(set|add|del|replace|flush)$/.test(x)) && w.includes("dev") ? found(w.indexOf("dev") + 1) : undefined;
  // tc, like ip, takes any prefix of an action (`tc qdisc a dev eth0 …`).
  if (name === "tc") {
    // Past tc's global options (`-s -d`, `-n NS`, `-b FILE`), the object and the action.
    let k = 1;
    while ((w[k] ?? "").startsWith("-")) k += /^-(n|netns|b|batch|cf|conf|o|N)$/.test(w[k] ?? "") ? 2 : 1;
    const acts = [...w.slice(1, 4), ...w.slice(k, k + 2)];
    return acts.some((x) => changing(x) || abbreviates(x, "del")) ? found(w.indexOf("dev") + 1 || -1) : undefined;
  }
  // Programs that put packets on an interface or change its link: `arping -I IF` (ARP on the outside network,
  // `-U` announces an address there), `tcpreplay -i IF`, `mii-tool -F/-r/-R/-A IF` (speed, resets).
  if (name === "arping") return found(w.findIndex((x, k) => k > 0 && w[k - 1] === "-I"));
  if (name === "tcpreplay") return found(w.findIndex((x, k) => k > 0 && /^(-i|--intf1|-I|--intf2)$/.test(w[k - 1] ?? "")));
  if (name === "mii-tool") return w.some((x) => /^-[a-zA-Z]*[rRFA]|^--(force|advertise|reset|restart)/.test(x)) ? found(w.findIndex((x, k) => k > 0 && !x.startsWith("-") && !/^(-F|-A)$/.test(w[k - 1] ?? ""))) : undefined;
  if (/^(ip6?|eb|arp)tables(-nft)?$/.test(name) || name === "nft") {
    // `nft add rule … iifname "eth0" drop`: quotes inside the nft string are nft's.
    const adds = w.some((x) => /^(-A|-I|-R|--append|--insert|add|insert|create|replace)$/.test(x));
    const at = w.findIndex((x) => /^(-i|-o|--in-interface|--out-interface|iifname|oifname|iif|oif)$/.test(x));
    return adds && at !== -1 ? found(at + 1) : undefined;
  }
  return undefined;
}

/** The commands changedInterfaceAt() reads, and `tee` (a write to /sys/class/net/IF/…). */
export const INTERFACE_COMMANDS = /^(ip|ifconfig|brctl|ovs-vsctl|bridge|bpftool|teamdctl|ethtool|dcb|tc|nft|tee|arping|tcpreplay|mii-tool|(ip6?|eb|arp)tables(-nft)?)$/;

/**
 * A second interface a command sends the packets of the first to, or hooks on: tc's `action mirred egress
 * redirect dev eth0` on the lab's veth pushes the lab's traffic out of the uplink; nft's `hook ingress device eth0`
 * in the lab's own table sees (and may drop) every packet the machine receives.
 */
function hookedUplink(site: CommandSite): string | undefined {
  const name = commandName(site);
  const w = site.words;
  if (name === "tc") return w.find((x, k) => k > 0 && w[k - 1] === "dev" && w.slice(0, k).some((y) => /^(mirred|redirect|mirror)$/.test(y)) && UPLINK.test(x));
  if (name === "nft") {
    for (const m of w.join(" ").matchAll(/\b(?:devices?|fwd\s+(?:ip\s+)?to)\s*=?\s*\{?\s*((?:"?[\w.:*-]+"?\s*,?\s*)+)/g)) {
      const dev = (m[1] ?? "").split(/[\s,"]+/).find((d) => UPLINK.test(d) || (/[*?[]/.test(d) && globbedUplink(d) !== undefined));
      if (dev !== undefined) return dev;
    }
  }
  return undefined;
}

/** The uplink an interface-changing command names (after the lab's variables are resolved). */
export function changedUplink(site: CommandSite): string | undefined {
  // `ip link set group 0 down`, `ip addr flush to 0/0`: every interface of a group, or every interface's addresses.
  if (commandName(site) === "ip") {
    const [object = "", action = "", third = "", ...rest] = ipArgs(site.words);
    if (abbreviates(object, "link") && changing(action) && third === "group") return `eth0 (every interface in group \`${rest[0] ?? "?"}\`)`;
    if ((abbreviates(object, "address") || object === "addr") && abbreviates(action, "flush") && !site.words.includes("dev") && changedInterfaceAt(site) === undefined) return "eth0 (the addresses of every interface)";
  }
  const hooked = hookedUplink(site);
  if (hooked !== undefined) return hooked;
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
export function globbedUplink(glob: string): string | undefined {
  const re = new RegExp(`^${glob.replace(/[.+^${}()|\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
  return ["eth0", "ens3", "enp0s3", "eno1", "lo"].find((n) => re.test(n));
}

/** A path as the kernel reads it: `//` and `/./` collapsed, `a/..` removed. */
const collapsed = (path: string): string => {
  const parts: string[] = [];
  for (const p of path.split("/")) {
    if (p === "" || p === ".") continue;
    if (p === "..") parts.pop();
    else parts.push(p);
  }
  return `${path.startsWith("/") ? "/" : ""}${parts.join("/")}`;
};

/**
 * The interfaces whose /sys files a command writes (redirections, tee): `/sys/class/net/IF/…` in any spelling
 * (`/sys//class/net/IF`, `/sys/devices/…/net/IF/…`), and the interfaces a bond's `bonding/slaves` file is given
 * (`echo +eth0 > /sys/class/net/rl-bond0/bonding/slaves` enslaves the uplink).
 */
export function sysNetWrites(site: CommandSite): string[] {
  const written = [...site.redirects.filter((r) => r.op.includes(">")).map((r) => r.target), ...(commandName(site) === "tee" ? site.words.slice(1) : [])];
  return written.flatMap((t) => {
    if (!t.includes("/sys")) return [];
    const path = collapsed(t);
    const dev = /^\/sys\/(?:class\/net|devices\/(?:[^/]+\/)*net|bus\/[^/]+\/devices\/[^/]+\/net)\/([^/]+)\//.exec(path)?.[1];
    if (dev === undefined) return [];
    const enslaved = /^\/sys\/class\/net\/[^/]+\/bonding\/(slaves|active_slave|primary)$/.test(path) ? site.words.slice(1).filter((x) => !x.startsWith("-") || /^-\w/.test(x.slice(1))).map((x) => x.replace(/^[+-]/, "")) : [];
    return [dev, ...enslaved];
  });
}

/** Interfaces the lab creates (`ip link add NAME`, `peer name X`, `ip tuntap add X`, `brctl addbr X`). */
export function createdInterfaces(sites: CommandSite[]): Set<string> {
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


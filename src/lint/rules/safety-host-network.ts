// The host's network configuration: a lab never reconfigures how the machine reaches the network — policy
// routing, next hops, the neighbour table, IPsec, DHCP, DNS settings, radios, device events, network services and
// their drivers. Inside the lab's own network namespaces these are the lab's.
import type { Problem } from "../../format/diagnostics.js";
import type { LintRule } from "../types.js";
import { onOtherMachine, SYSTEMCTL_VALUES } from "./host-state.js";
import { assignedSubnets, contains, ipArgs, parseSubnet, type Subnet } from "../addresses.js";
import { commandName, positionals, whereItRuns, type CommandSite } from "../sites.js";
import { siteIndex } from "../site-index.js";
import { didYouMean } from "../../format/suggest.js";
const abbreviates = (word: string, full: string) => word.length > 0 && full.startsWith(word);

const NETWORK_UNITS = /^(networking|systemd-networkd|NetworkManager|network-manager|systemd-resolved|resolvconf|ssh|sshd|dbus|dbus-broker|systemd-journald|systemd-udevd|systemd-logind|nftables|firewalld|ufw|iptables|ip6tables|netfilter-persistent|docker|containerd|libvirtd|wpa_supplicant|dhcpcd|ifup@.*|network.*|getty@.*|serial-getty@.*|systemd-timesyncd)(\.(service|socket|target))?$/;
const NIC_DRIVERS = /^(virtio_net|e1000e?|igbv?f?|ixgbe(vf)?|vmxnet3|r8169|ena|mlx[45]_core|hv_netvsc|xen_netfront|tg3|bnx2x?|i40e|ice|iavf)$/;
const NETWORK_DAEMONS = /^(sshd?|dhclient|dhcpcd|systemd-networkd|NetworkManager|wpa_supplicant|systemd-resolved|dbus-daemon)$/;
const UNIT_VERBS = /^(stop|restart|try-restart|reload-or-restart|try-reload-or-restart|kill|disable|mask|isolate|reload|freeze)$/;

/** Whether a shell/systemd glob matches a name. */
const globMatches = (glob: string, name: string): boolean => new RegExp(`^${glob.replace(/[.+^${}()|\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`).test(name) || new RegExp(`^${glob.replace(/[.+^${}()|\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`).test(name.replace(/\.service$/, ""));

/** The commands networkChange() judges. */
const NETWORK_CHANGERS = /^(ip|arp|rfkill|udevadm|resolvectl|systemd-resolve|resolvconf|dhclient|dhcpcd|dhcpcd5|udhcpc|pump|ifup|ifdown|ifreload|netplan|nmcli|nmtui|wicked|connmanctl|rmmod|modprobe|devlink|ipvsadm|pkill|killall|networkctl|systemctl|service|invoke-rc\.d|rc-service|ss)$/;

/** What a command does to the host's network configuration, in words (undefined: nothing). */
/** ip's objects for the host's own stack-wide tables: [name, shortest prefix ip reads as it, what it holds]. */
const HOST_TABLES: [string, number, string][] = [["mptcp", 2, "MPTCP endpoints and limits"], ["fou", 1, "foo-over-UDP receive ports"], ["sr", 1, "segment-routing tunnel source"], ["ioam", 2, "IOAM namespaces and schemas"], ["ila", 1, "ILA address mappings"], ["tcp_metrics", 9, "TCP metrics cache"], ["tcpmetrics", 2, "TCP metrics cache"]];
const TABLE_WRITES = /^(a|ad|add|d|de|del|dele|delet|delete|f|fl|flu|flus|flush|set|change|replace)$/;

function networkChange(site: CommandSite, own: Subnet[], netns: Set<string>): string | undefined {
  const name = commandName(site);
  const w = site.words;
  if (name === "ip" && w.includes("-all") && /^(netns)$/.test(ipArgs(w)[0] ?? "") && /^(d|de|del|dele|delet|delete)$/.test(ipArgs(w)[1] ?? "")) return "deletes every named network namespace of the machine (`ip -all netns delete`), also other programs'";
  if (name === "ip" && ipArgs(w)[0] === "netns" && /^(d|de|del|dele|delet|delete)$/.test(ipArgs(w)[1] ?? "") && ipArgs(w)[2] !== undefined && !netns.has(ipArgs(w)[2] as string) && !(ipArgs(w)[2] as string).includes("$")) return `deletes the network namespace \`${ipArgs(w)[2]}\`, which this lab does not create (\`ip netns add ${ipArgs(w)[2]}\`)${didYouMean(ipArgs(w)[2] as string, [...netns])}`;
  if (name === "arp" && w.some((x) => /^(-d|--delete|-s|--set|-f|--file)$/.test(x))) {
    // The lab's own neighbours (on its bridge, in its subnet) are its business; the gateway's entry is the machine's.
    const peers = positionals(w, new Set(["-i", "--device", "-H", "--hw-type", "-t", "-A", "-p", "--protocol"])).filter((x) => parseSubnet(x) !== undefined);
    const theLabs = peers.length > 0 && peers.every((x) => own.some((net) => contains(net, parseSubnet(x) as Subnet)));
    if (!theLabs) return `changes the host's neighbour (ARP) table (\`arp ${w.find((x) => /^-/.test(x))}\`): the entry of its gateway among them`;
  }
  // resolved's old command line and resolvconf change the host's DNS too.
  if (name === "systemd-resolve" && w.some((x) => /^--(set-|revert|reset-)/.test(x))) return "changes the host's DNS settings (`systemd-resolve --set-…`)";
  if (name === "resolvconf" && w.some((x) => /^-[adu]$|^--(enable|disable)-updates$/.test(x))) return "changes the host's /etc/resolv.conf (`resolvconf`)";
  if (name === "resolvectl" && /^(dns|domain|default-route|llmnr|mdns|dnssec|dnsovertls|nta|revert|flush-caches|reset-server-features)$/.test(positionals(w)[0] ?? "") && positionals(w).length > 1) return `changes the host's DNS settings (\`resolvectl ${positionals(w)[0]}\`)`;
  if (name === "ip") {
    const [object = "", action = "", ...rest] = ipArgs(w);
    // ip takes any prefix of its objects: `ip x p a` is `ip xfrm policy add`, `ip nex` is nexthop, `ip nt` ntable.
    if (abbreviates(object, "nexthop") && object.length >= 3 && !/^(show|list|get|l|ls|s|sh|g|bucket)$/.test(action || "show")) return "changes the host's next-hop objects (`ip nexthop`), which its routes use";
    if (abbreviates(object, "addrlabel") && object.length >= 5 && /^(a|ad|add|d|de|del|dele|delet|delete|f|fl|flu|flus|flush)$/.test(action)) return "changes how the host picks the source address of all its traffic (`ip addrlabel`)";
    if ((abbreviates(object, "ntable") && object.length >= 2 || object === "ntbl") && /^(c|ch|cha|chan|chang|change)$/.test(action)) return "changes the host's neighbour table parameters (`ip ntable change`)";
    if (abbreviates(object, "xfrm") && (abbreviates(action, "policy") || abbreviates(action, "state")) && !/^(show|list|get|count|l|ls|s|sh)$/.test(rest[0] ?? "show")) return `changes the host's IPsec policies or states (\`ip xfrm ${action} ${rest[0]}\`): a policy can block or divert all its traffic`;
    if (abbreviates(object, "rule") && object.length >= 2 && /^(a|ad|add|d|de|del|dele|delet|delete|f|fl|flu|flus|flush|replace|change)$/.test(action)) return "changes the host's routing policy (`ip rule`): which table its traffic, the uplink's included, is routed by";
    // Tables of the host's stack that no interface holds (ip matches objects by prefix in its own order: `ip s` is sr).
    const table = HOST_TABLES.find(([full, shortest]) => object.length >= shortest && abbreviates(object, full));
    if (table && [action, ...rest].some((x) => TABLE_WRITES.test(x))) return `changes the host's ${table[2]} (\`ip ${table[0]} ${[action, ...rest].find((x) => TABLE_WRITES.test(x))}\`), which every program of the machine shares`;
    if (abbreviates(object, "neighbour") || object === "neighbor") {
      if (/^(f|fl|flu|flus|flush)$/.test(action) && (rest.length === 0 || rest.includes("all") || !rest.includes("dev"))) return "flushes the host's whole neighbour (ARP) table";
    }
    return undefined;
  }
  if (/^(dhclient|dhcpcd|dhcpcd5|udhcpc|pump|ifup|ifdown|ifreload|netplan|nmcli|nmtui|wicked|connmanctl)$/.test(name)) {
    // nmcli's reading verbs; `-f/--fields X` and `-t` only shape the output.
    if (name === "nmcli" && w.slice(1).every((x, k) => x.startsWith("-") || /^(-f|--fields|-c|--colors|-e|--escape|-m|--mode|-w|--wait)$/.test(w[k] ?? "") || /^(show|status|list|monitor|general|device|connection|dev|con|g)$/.test(x))) return undefined;
    return `runs \`${name}\`, which reconfigures the host's own network (addresses, routes, DNS)`;
  }
  if ((name === "rmmod" || (name === "modprobe" && w.some((x) => x === "-r" || x === "--remove"))) && w.some((x) => NIC_DRIVERS.test(x))) return `unloads the driver of the machine's network card (\`${w.find((x) => NIC_DRIVERS.test(x))}\`)`;
  if ((name === "pkill" || name === "killall") && w.some((x) => NETWORK_DAEMONS.test(x))) return `kills \`${w.find((x) => NETWORK_DAEMONS.test(x))}\`, which keeps the machine reachable`;
  if (name === "udevadm" && positionals(w)[0] === "trigger" && !w.some((x) => /^(-n|--dry-run)$/.test(x))) return "replays the machine's device events (`udevadm trigger`): network devices are set up again, or removed";
  if (name === "devlink" && /^(reload|eswitch|flash|param)$/.test(positionals(w)[1] ?? "") && /^(dev|port)$/.test(positionals(w)[0] ?? "")) return `\`devlink ${positionals(w).slice(0, 2).join(" ")}\` reloads or reconfigures a network device of the machine (its link goes down)`;
  if (name === "ipvsadm" && w.some((x) => /^(-C|--clear|-A|--add-service|-E|--edit-service|-D|--delete-service|-a|--add-server|-e|--edit-server|-d|--delete-server|-R|--restore|--set)$/.test(x))) return "changes the host's IPVS load-balancing table (`ipvsadm`), which other programs (kube-proxy, keepalived) keep";
  // `ss -K` closes every socket its filter matches (all of them without one): the student's ssh connection too.
  if (name === "ss" && w.some((x) => x === "--kill" || /^-[a-zA-Z]*K/.test(x))) return "closes the host's own sockets (`ss -K`): its ssh and other connections among them";
  if (name === "rfkill" && /^(block|unblock)$/.test(positionals(w)[0] ?? "")) return `turns the machine's radios ${positionals(w)[0] === "block" ? "off" : "on"} (\`rfkill ${positionals(w)[0]}\`)`;
  if (name === "networkctl" && /^(up|down|reconfigure|reload|renew|forcerenew|delete)$/.test(positionals(w)[0] ?? "")) return `runs \`networkctl ${positionals(w)[0]}\` on the host's network`;
  // `/etc/init.d/networking stop` is `service networking stop`.
  const initScript = /\/init\.d\/[^/]+$/.test(w[0] ?? "");
  if (name === "systemctl" || name === "service" || name === "invoke-rc.d" || name === "rc-service" || initScript) {
    if (onOtherMachine(w)) return undefined;
    const args = positionals(w, SYSTEMCTL_VALUES);
    const [verb, units] = name === "systemctl" ? [args[0] ?? "", args.slice(1)] : initScript ? [args[0] ?? "", [name]] : [args[1] ?? "", args.slice(0, 1)];
    // A glob (`'*'`, `ssh*`) names every unit it matches: the machine's network services among them.
    const unit = units.find((u) => NETWORK_UNITS.test(u) || (/[*?[]/.test(u) && ["sshd.service", "ssh.service", "systemd-networkd.service", "NetworkManager.service", "networking.service"].some((n) => globMatches(u, n))));
    if (UNIT_VERBS.test(verb) && unit) return `${verb}s \`${unit}\`, a service the machine needs to stay reachable`;
  }
  return undefined;
}

export const safetyHostNetwork: LintRule = {
  code: "safety/host-network",
  severity: "error",
  description: "reconfigures the host's network: policy routing (`ip rule`), its neighbour table, DHCP clients, network managers and services",
  check: ({ sites }) => {
    const own = assignedSubnets(sites);
    const index = siteIndex(sites);
    const netns = new Set(index.named("ip").flatMap((x) => (ipArgs(x.words)[0] === "netns" && /^(add|attach)$/.test(ipArgs(x.words)[1] ?? "") ? [ipArgs(x.words)[2] ?? ""] : [])));
    return index.select((n) => NETWORK_CHANGERS.test(n) || NETWORK_UNITS.test(n)).flatMap((site): Problem[] => {
      const what = site.hostNetns ? networkChange(site, own, netns) : undefined;
      if (!what) return [];
      return [{
        line: site.line,
        column: site.column,
        code: "safety/host-network",
        message: `this command ${what} (${whereItRuns(site)}); the student could lose the VM`,
        expected: "network configuration only inside a network namespace the lab creates (`ip -n NS rule …`, `ip netns exec NS udhcpc …`)",
        example: "ip netns add rl-red\nip -n rl-red rule add from 10.231.3.0/24 lookup 100",
      }];
    });
  },
};

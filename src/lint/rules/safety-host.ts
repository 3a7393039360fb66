// Host safety: a lab never changes the machine's uplink (eth0), its default route, or host-wide sysctls
// (unless a cleanup restores them), never mounts over the host's /, /proc, /sys …, and never uses iptables-legacy.
import type { Problem } from "../../format/diagnostics.js";
import type { LintRule } from "../types.js";
import { commandName, whereItRuns, type CommandSite } from "../sites.js";
import { siteIndex } from "../site-index.js";
import { changedInterfaceAt, changedUplink, createdInterfaces, INTERFACE_COMMANDS, sysNetWrites, UPLINK } from "../interfaces.js";
export { changedInterfaceAt, INTERFACE_COMMANDS } from "../interfaces.js";
import { anotherLabs, labPrefixes, ROOTLAB_PREFIX } from "../lab-names.js";

const inHostNetns = (site: CommandSite) => site.hostNetns;

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

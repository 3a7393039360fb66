// Host safety: a lab never changes the machine's uplink (eth0), its default route, or host-wide sysctls
// (unless a cleanup restores them), never mounts over the host's /, /proc, /sys …, and never uses iptables-legacy.
import type { Problem } from "../../format/diagnostics.js";
import type { LintRule } from "../types.js";
import { ipArgs, ipInOtherNetns } from "../addresses.js";
import { commandName, positionals, whereItRuns, type CommandSite } from "../sites.js";

const UPLINK = /^(eth0|ens\d+|enp\d+s\d+(f\d+)?|eno\d+)$/;
/** `ip` takes any prefix of an object or action (`ip l s eth0 down`): a word abbreviates one of these. */
const abbreviates = (word: string, ...full: string[]) => word.length > 0 && full.some((f) => f.startsWith(word));
const CHANGING_ACTIONS = ["add", "delete", "set", "change", "replace", "flush", "append"];
const changing = (word: string) => abbreviates(word, ...CHANGING_ACTIONS);

const inHostNetns = (site: CommandSite) => !site.isolation.net && !(commandName(site) === "ip" && ipInOtherNetns(site.words));

/** The interface an `ip`/`ifconfig`/`ethtool`/`tc`/firewall command changes, when it is the uplink. */
function changedUplink(site: CommandSite): string | undefined {
  const name = commandName(site);
  const w = site.words;
  if (name === "ip") {
    const [object = "", action = "", ...rest] = ipArgs(w);
    if (!changing(action)) return undefined;
    const devAt = rest.indexOf("dev");
    if (devAt !== -1 && UPLINK.test(rest[devAt + 1] ?? "")) return rest[devAt + 1];
    // `ip link set eth0 …` / `ip link del eth0`: the first word after the action is the interface.
    if (abbreviates(object, "link") && !abbreviates(action, "add") && UPLINK.test(rest[0] ?? "")) return rest[0];
    return undefined;
  }
  if (name === "ifconfig") {
    const args = positionals(w);
    return args.length > 1 && UPLINK.test(args[0] ?? "") ? args[0] : undefined;
  }
  if (name === "ethtool") return w.some((x) => /^-[sKAGLCE]$|^--(change|offload|features|set-)/.test(x)) ? w.find((x) => UPLINK.test(x)) : undefined;
  if (name === "tc") return w.includes("dev") && w.some((x) => CHANGING_ACTIONS.includes(x) || x === "del") ? w.find((x) => UPLINK.test(x)) : undefined;
  if (/^ip6?tables$/.test(name) || name === "nft") {
    const adds = w.some((x) => /^(-A|-I|-R|--append|--insert|add|insert|create|replace)$/.test(x));
    const at = w.findIndex((x) => /^(-i|-o|--in-interface|--out-interface|iifname|oifname|iif|oif)$/.test(x));
    return adds && at !== -1 && UPLINK.test((w[at + 1] ?? "").replace(/"/g, "")) ? w[at + 1] : undefined;
  }
  return undefined;
}

export const safetyUplink: LintRule = {
  code: "safety/uplink",
  severity: "error",
  description: "changes the machine's uplink (eth0, ens*, enp*) in the host's network namespace: addresses, state, name, qdisc or firewall rules",
  check: ({ sites }) =>
    sites.flatMap((site): Problem[] => {
      const dev = inHostNetns(site) ? changedUplink(site) : undefined;
      if (!dev) return [];
      return [{
        line: site.line,
        column: site.column,
        code: "safety/uplink",
        message: `this command changes \`${dev}\`, the machine's own network interface (${whereItRuns(site)}); the student would lose the VM's connection`,
        expected: "change only interfaces the lab creates (veth, bridges, with the lab's prefix), or run it inside a network namespace",
        example: "ip link add rl-h1 type veth peer name rl-c1\nip link set rl-h1 up",
      }];
    }),
};

export const safetyDefaultRoute: LintRule = {
  code: "safety/default-route",
  severity: "error",
  description: "adds, replaces, deletes or flushes the host's default route (or all its routes)",
  check: ({ sites }) =>
    sites.flatMap((site): Problem[] => {
      if (!inHostNetns(site)) return [];
      const name = commandName(site);
      let hit = false;
      if (name === "ip") {
        const [object = "", action = "", ...rest] = ipArgs(site.words);
        const route = abbreviates(object, "route") && changing(action) && !abbreviates(action, "set");
        hit = route && (abbreviates(action, "flush") || rest.some((x) => x === "default" || x === "0.0.0.0/0" || x === "::/0" || x === "0/0"));
      } else if (name === "route") {
        hit = /^(add|del)$/.test(site.words[1] ?? "") && site.words.some((x) => x === "default" || x === "0.0.0.0");
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
    sites.flatMap((site): Problem[] =>
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

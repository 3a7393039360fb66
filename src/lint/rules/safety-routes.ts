// The host's routing table: a lab never adds, replaces, deletes or flushes the default route (or all routes) of the
// host's network namespace — in any spelling of 0/0, and also not through an address whose prefix route is 0/0.
import type { Problem } from "../../format/diagnostics.js";
import type { LintRule } from "../types.js";
import { assignedBy, ipArgs, parseSubnet } from "../addresses.js";
import { commandName, positionals, whereItRuns } from "../sites.js";
import { siteIndex } from "../site-index.js";
import { abbreviates, changing } from "../interfaces.js";

const inHostNetns = (site: { hostNetns: boolean }) => site.hostNetns;

/** ip's names for 0/0 (`default`, `any`, `all`), and 0/0 in any spelling it parses: `0.0/0`, `00.0.0.0/00`, `::0/0`. */
const isDefault = (x: string): boolean => /^(default|any|all|0)$/.test(x) || parseSubnet(x, { bareNumber: true })?.prefix === 0;

export const safetyDefaultRoute: LintRule = {
  code: "safety/default-route",
  severity: "error",
  description: "adds, replaces, deletes or flushes the host's default route (or all its routes)",
  check: ({ sites }) =>
    siteIndex(sites).select(/^(ip|route|ifconfig)$/).flatMap((site): Problem[] => {
      if (!inHostNetns(site)) return [];
      const name = commandName(site);
      let hit = false;
      let why = "";
      if (name === "ip" || name === "ifconfig") {
        // `ip addr add A/0`, `… peer 0/0`, `ifconfig IF A netmask 0.0.0.0`: the address's own route is a default route.
        const zero = assignedBy(site).find((net) => net.prefix === 0);
        if (zero) [hit, why] = [true, ` (the address ${zero.text} comes with a route to 0/0, ahead of the host's default route)`];
      }
      if (name === "ip" && !hit) {
        const [object = "", action = "", ...rest] = ipArgs(site.words);
        const route = abbreviates(object, "route") && changing(action) && !abbreviates(action, "set");
        // `default`, `any` and `all` are all ip's names for 0/0.
        // The `local` table holds the machine's own addresses (127.0.0.1 among them).
        // `ip route restore` replaces routes with a dump the gate cannot read.
        hit = route && (abbreviates(action, "flush") || rest.some(isDefault) || rest.some((x, k) => x === "table" && /^(local|255)$/.test(rest[k + 1] ?? "")));
        if (abbreviates(object, "route") && action.length >= 3 && abbreviates(action, "restore")) [hit, why] = [true, " (`ip route restore` loads routes from a dump the gate cannot read)"];
      } else if (name === "route") {
        const args = positionals(site.words, new Set(["-A", "--family"]));
        hit = /^(add|del)$/.test(args[0] ?? "") && site.words.some((x) => x === "default" || x === "0.0.0.0" || x === "::/0");
      }
      if (!hit) return [];
      return [{
        line: site.line,
        column: site.column,
        code: "safety/default-route",
        message: `this command changes the host's routing table${why} (${whereItRuns(site)}): the machine could lose its connection`,
        expected: "routes only inside a network namespace the lab created (`ip -n NS route …`, or in a session entered into it)",
        example: "ip -n rl-red route add default via 10.231.3.1",
      }];
    }),
};


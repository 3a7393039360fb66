// Network safety: a lab sends traffic only to loopback and to addresses it assigns itself, and never
// to DNS names (the lab machine may have no internet; CI must never depend on it or touch others' hosts).
import type { Problem } from "../../format/diagnostics.js";
import type { LintRule } from "../types.js";
import { ALWAYS_ALLOWED, assignedBy, assignedSubnets, contains, ipArgs, ownable, parseSubnet, type Subnet } from "../addresses.js";
import { abbreviates, changing } from "../interfaces.js";
import { BARE_NUMBER_PEERS, devTcpHosts, downloads, HOST_THEN_PORTS, isNetworkCommand, lookedUp, NETWORK_COMMANDS, PACKAGE_MANAGERS, peers } from "../network-peers.js";

export { NETWORK_COMMANDS } from "../network-peers.js";
import { commandName, whereItRuns, type CommandSite } from "../sites.js";
import { siteIndex } from "../site-index.js";

const LOCAL_NAMES = /^(localhost|ip6-localhost|ip6-loopback)$|\.localhost$/i;
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}\.?$/i;

const isVariable = (w: string) => w.includes("$");

/**
 * The peer of a network command run in the host's network namespace whose address only the run knows
 * (`ping "$A"` with A from `$(…)`): the gate cannot tell loopback from the internet. Variables rootlab sets
 * (`$ALPINE_URL`, …) are local.
 */
export function unknownPeer(site: CommandSite): string | undefined {
  if (!site.hostNetns) return undefined;
  // `/dev/tcp/$host/53`: bash connects to whatever the run makes of it.
  const devTcp = site.redirects.length > 0 ? devTcpHosts(site).find((p) => p.host.includes("$")) : undefined;
  if (devTcp) return devTcp.word;
  if (!(commandName(site) in NETWORK_COMMANDS) || commandName(site) === "route") return undefined;
  // `curl -K FILE`, `wget -i FILE`: the URLs come from a file (or standard input) the gate does not read as peers.
  // A process substitution (`--config <(echo …)`) is no word of its own: the option then ends the words.
  const flag = site.words.findIndex((x) => (commandName(site) === "curl" ? /^(-K|--config)$/ : /^(-i|--input-file)$/).test(x));
  const list = flag >= 0 ? site.words[flag + 1] ?? "<(…)" : site.words.find((x) => /^(--config|--input-file)=/.test(x));
  if (list !== undefined && /^(curl|wget)$/.test(commandName(site))) return `${commandName(site)} ${list.replace(/^--[a-z-]+=/, "")} (the URLs of a ${commandName(site) === "curl" ? "config" : "list"} file)`;
  const listening = site.words.some((x) => /^-[a-zA-Z]*l|^--listen$/.test(x));
  return peers(site).find((p) => isVariable(p.word) && !/^\$\{?(LAB_DIR|ALPINE_URL|ALPINE_TARBALL|BUSYBOX_ROOTFS|ALPINE_ROOTFS|SYSTEMD_IMAGE)\b/.test(p.word) && !(listening && /^\$\{?\w+\}?$/.test(p.word)) && site.fields.some((f) => !f.known && f.text === p.word))?.word;
}

/** RFC 2606/6761 top-level domains that never exist in the real DNS: a lab can name its own hosts with them. */
const RESERVED_TLD = /\.(test|example|invalid)\.?$/i;

/** Names a curl command pins itself with `--resolve NAME:PORT:ADDRESS`: curl never looks them up. */
function pinnedNames(site: CommandSite): Set<string> {
  const names = new Set<string>();
  site.words.forEach((w, k) => {
    const value = w === "--resolve" ? site.words[k + 1] : w.startsWith("--resolve=") ? w.slice("--resolve=".length) : undefined;
    const name = value?.split(":")[0];
    if (name) names.add(name.toLowerCase());
  });
  return names;
}

/**
 * A name that cannot make the lab depend on DNS: pinned by `--resolve`, or a reserved name (`*.test`) used inside
 * a network namespace, whose only way out is what the lab connected — the lab resolves it from its own files.
 */
function resolvedLocally(site: CommandSite, host: string): boolean {
  if (pinnedNames(site).has(host.toLowerCase())) return true;
  return RESERVED_TLD.test(host) && site.isolation.net;
}

/** " (that is 8.8.8.8)" when the address was written in another spelling. */
function spelled(host: string, addr: Subnet): string {
  if (addr.family !== 4) return "";
  const dotted = [24n, 16n, 8n, 0n].map((s) => String((addr.base >> s) & 255n)).join(".");
  return host === dotted || host.startsWith(`${dotted}/`) ? "" : ` (that is ${dotted})`;
}

export const safetyAddress: LintRule = {
  code: "safety/address",
  severity: "error",
  description: "traffic to an IP address that is not loopback and not in a subnet the lab assigns itself (`ip addr add A/N`)",
  check: ({ sites }) => {
    const allowed: Subnet[] = [...ALWAYS_ALLOWED, ...assignedSubnets(sites)];
    const problems: Problem[] = [];
    const index = siteIndex(sites);
    // Network commands, `ip`, and bash's own `/dev/tcp/…` redirections.
    for (const site of index.select((n) => n === "ip" || isNetworkCommand(n), index.redirectedToPath)) {
      const devTcp = devTcpHosts(site);
      if (devTcp.length === 0 && commandName(site) !== "ip" && !(commandName(site) in NETWORK_COMMANDS)) continue;
      const bareNumber = BARE_NUMBER_PEERS.has(commandName(site));
      // `nc -l 8080` listens: its number is a port.
      const firstHost = HOST_THEN_PORTS.has(commandName(site)) && !site.words.some((x) => /^-[a-zA-Z]*l|^--listen$/.test(x)) ? peers(site)[0]?.word : undefined;
      for (const peer of [...peers(site), ...devTcp]) {
        if (isVariable(peer.word) || peer.host === "default") continue;
        const addr = parseSubnet(peer.host, { bareNumber: bareNumber || peer.word === firstHost || peer.word.includes("/dev/") || (peer as { url?: boolean }).url === true || (peer as { bare?: boolean }).bare === true });
        if (!addr || allowed.some((net) => contains(net, addr))) continue;
        problems.push({
          line: site.line,
          column: site.column,
          code: "safety/address",
          message: `\`${commandName(site) || "bash"}\` addresses ${peer.host}${spelled(peer.host, addr)}${via(site)}, which is neither loopback nor an address this lab assigns`,
          expected: "traffic only to 127.0.0.1/::1 or to addresses the lab gives its own interfaces (`ip addr add A/N` — the lab's own subnet)",
          example: "ip -n rl-red addr add 10.231.3.2/24 dev rl-red0\nping -c1 -W2 10.231.3.2",
        });
      }
    }
    // `ip addr add 8.8.8.1/24 dev rl-v0`, `… 10.0.0.1/1 …`: the kernel's route to the new subnet takes the host's traffic
    // to outside addresses to the lab's interface (a /0 is the default route's business: safety/default-route).
    for (const site of index.select(/^(ip|ifconfig)$/)) {
      if (!site.hostNetns) continue;
      const nets = assignedBy(site);
      const wide = nets.find((net) => net.prefix > 0 && !ownable(net));
      // 10.231.7.5/16 on the host: the kernel's connected route for it sits beside rootlab's guard route
      // (`unreachable 10.231.0.0/16`, src/host/net-guard.ts) and wins for the whole range (a connected route is
      // preferred), so a lab address typed outside its namespace goes out of that interface instead of failing.
      const covering = wide ? undefined : nets.find((net) => net.prefix > 0 && contains(net, GUARD));
      if (covering) {
        problems.push({
          line: site.line,
          column: site.column,
          code: "safety/address",
          message: `\`${commandName(site)}\` gives an interface on the host the subnet ${covering.text}${covering.text.includes("/") ? "" : `/${covering.prefix}`}${via(site)}: that covers rootlab's guard route for the labs' range 10.231.0.0/16, which keeps a mistyped lab address from leaving through the uplink`,
          expected: "host addresses in the labs' range with a prefix narrower than /16 (a /24 per lab network is usual); a /16 only inside a network namespace the lab created",
          example: "ip addr add 10.231.3.1/24 dev rl-br0",
        });
      }
      if (!wide) continue;
      problems.push({
        line: site.line,
        column: site.column,
        code: "safety/address",
        message: `\`${commandName(site)}\` gives an interface the subnet ${wide.text}${wide.text.includes("/") ? "" : `/${wide.prefix}`}${via(site)}: the route to it takes the machine's traffic to outside addresses away from its uplink`,
        expected: "number the lab's interfaces inside private space (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fd00::/8), with a prefix no wider than that space (/24 is usual)",
        example: "ip addr add 10.231.3.1/24 dev rl-h1",
      });
    }
    // `ip route add|del 10.231.0.0/16 …` on the host: rootlab's own guard route for the labs' range (src/host/net-guard.ts),
    // replaced or deleted, lets a student's slip reach the uplink; a wider route takes outside traffic too.
    for (const site of index.select(/^ip$/)) {
      const target = site.hostNetns ? changedRoute(site) : undefined;
      // Loopback's routes live in the `local` table, which safety/default-route guards.
      if (!target || (ownable(target) && !contains(target, GUARD)) || contains(LOOPBACK, target)) continue;
      problems.push({
        line: site.line,
        column: site.column,
        code: "safety/address",
        message: `\`ip route\` changes the host's route for ${target.text}${via(site)}: ${contains(target, GUARD) ? "that covers rootlab's guard route for the labs' range 10.231.0.0/16, which keeps a mistyped lab address from leaving through the uplink" : "a route that wide takes the machine's traffic to outside addresses away from its uplink"}`,
        expected: "routes on the host only for the lab's own subnets, narrower than 10.231.0.0/16 (a /24 is usual); wider ones inside a network namespace the lab created",
        example: "ip route add 10.231.9.0/24 via 10.231.3.2",
      });
    }
    return problems;
  },
};

const [GUARD, LOOPBACK] = ["10.231.0.0/16", "127.0.0.0/8"].map((t) => parseSubnet(t) as Subnet) as [Subnet, Subnet];
/** `ip route` types and keywords that may stand before the destination prefix. */
const ROUTE_TYPES = /^(to|unicast|unreachable|blackhole|prohibit|local|broadcast|throw|nat|anycast|multicast)$/;

/** The destination of `ip route add|change|replace|append|prepend|delete [TYPE] [to] PREFIX …`. */
function changedRoute(site: CommandSite): Subnet | undefined {
  const [object = "", action = "", ...rest] = ipArgs(site.words);
  if (!abbreviates(object, "route") || !changing(action) || abbreviates(action, "flush") || abbreviates(action, "set")) return undefined;
  const prefix = rest.find((w) => !ROUTE_TYPES.test(w));
  return prefix === undefined ? undefined : parseSubnet(prefix) ?? parseSubnet(prefix, { bareNumber: false });
}

export const safetyDnsName: LintRule = {
  code: "safety/dns-name",
  severity: "error",
  description: "a network command names a host by DNS name (or a registry, e.g. docker://): labs never depend on the internet",
  check: ({ sites }) => {
    const problems: Problem[] = [];
    const index = siteIndex(sites);
    for (const site of index.select((n) => isNetworkCommand(n) || PACKAGE_MANAGERS.test(n) || /^(getent|resolvectl|systemd-resolve)$/.test(n), index.redirectedToPath)) {
      const name = commandName(site);
      const download = downloads(site);
      if (download) problems.push(dnsProblem(site, `${download}: labs must not need DNS or the internet`));
      // A lookup of a name that is neither local nor reserved asks the real DNS (`getent hosts example.com`).
      const lookup = lookedUp(site).find((n) => DNS_NAME.test(n) && !LOCAL_NAMES.test(n) && !RESERVED_TLD.test(n) && !n.includes("$"));
      if (lookup) problems.push(dnsProblem(site, `\`${name}\` looks up \`${lookup}\` in the DNS: labs must not need DNS or the internet`));
      const devTcp = devTcpHosts(site).map((p) => ({ ...p, url: true }));
      if (!(name in NETWORK_COMMANDS) && devTcp.length === 0) continue;
      for (const peer of [...(name in NETWORK_COMMANDS ? peers(site) : []), ...devTcp]) {
        if (isVariable(peer.word) || LOCAL_NAMES.test(peer.host) || resolvedLocally(site, peer.host)) continue;
        const registry = /^docker:\/\//i.test(peer.word);
        // `git@github.com:x/y` is ssh's form; `_gateway`/`_outbound` are systemd-resolved's names for the machine's gateway.
        const host = name === "git" && !peer.url ? peer.host.replace(/^[^@]*@/, "").replace(/:.*$/, "") : peer.host;
        // A single-label name (`ping metadata`) is looked up through the resolver's search domains too.
        const single = site.hostNetns && (BARE_NUMBER_PEERS.has(name) || (HOST_THEN_PORTS.has(name) && !site.words.some((x) => /^-[a-zA-Z]*l|^--listen$/.test(x)) && peer.word === peers(site)[0]?.word)) && /^[a-z][a-z0-9-]*$/i.test(host) && !/^(add|del|default)$/.test(host);
        const dns = peer.url ? host !== "" && parseSubnet(host, { bareNumber: true }) === undefined : DNS_NAME.test(host) || /^_(gateway|outbound)$/.test(host) || single;
        if (!registry && !dns) continue;
        problems.push(dnsProblem(site, `\`${name || "bash"}\` reaches ${registry ? `a registry on the internet (${peer.word})` : `the host \`${host}\` by name`}: labs must not need DNS or the internet`));
      }
    }
    return problems;
  },
};

/** " (via python3 address)": what wrapped or produced the command, when it is not what the lab wrote. */
const via = (site: CommandSite): string => (site.wrappers.length > 0 ? ` (${whereItRuns(site)})` : "");

function dnsProblem(site: CommandSite, message: string): Problem {
  return {
    line: site.line,
    column: site.column,
    code: "safety/dns-name",
    message: message.replace(/: labs must not need DNS/, `${via(site)}: labs must not need DNS`),
    expected: "a local address (127.0.0.1, an address the lab assigns) or a local file (file://, $ALPINE_TARBALL); serve files yourself with a local server on 127.0.0.1; a name of your own needs `curl --resolve NAME:PORT:ADDRESS`, or a reserved `*.test` name used inside the lab's network namespace; packages go in the lab's `requires:` (rootlab's provisioning installs them), not in a step",
    example: 'curl -fsS -o alpine.tar.gz "$ALPINE_URL"   # rootlab points ALPINE_URL at a local copy',
  };
}

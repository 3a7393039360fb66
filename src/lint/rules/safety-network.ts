// Network safety: a lab sends traffic only to loopback and to addresses it assigns itself, and never
// to DNS names (the lab machine may have no internet; CI must never depend on it or touch others' hosts).
import type { Problem } from "../../format/diagnostics.js";
import type { LintRule } from "../types.js";
import { ALWAYS_ALLOWED, assignedSubnets, contains, ipArgs, parseSubnet, type Subnet } from "../addresses.js";
import { commandName, positionals, type CommandSite } from "../sites.js";
import { siteIndex } from "../site-index.js";

/** Commands that send traffic (or pick where traffic goes), with their options that take a value. */
export const NETWORK_COMMANDS: Record<string, string[]> = {
  ping: ["-c", "-W", "-w", "-i", "-I", "-s", "-t", "-Q", "-l", "-p", "-M"],
  ping6: ["-c", "-W", "-w", "-i", "-I", "-s", "-t"],
  arping: ["-c", "-w", "-I", "-s"],
  curl: ["-o", "--output", "-d", "--data", "-H", "--header", "-u", "--user", "-A", "-e", "-x", "--proxy", "-X", "-w", "-K", "--config", "-T", "--upload-file", "-b", "-c", "-m", "--max-time", "--connect-timeout", "--retry", "--cacert", "--cert", "-F", "--form", "-r", "-z", "-C", "--resolve", "--interface"],
  wget: ["-O", "-o", "-P", "-a", "-t", "-T", "--output-document", "-U", "--header"],
  nc: ["-w", "-p", "-s", "-e", "-c", "-i", "-q", "-W", "-I", "-O", "-x", "-X"],
  ncat: ["-w", "-p", "-s", "-e", "-c", "-i"],
  netcat: ["-w", "-p", "-s", "-e", "-c", "-i"],
  socat: [],
  telnet: [],
  ssh: ["-i", "-p", "-l", "-o", "-F", "-J", "-L", "-R", "-D"],
  scp: ["-i", "-P", "-o", "-F"],
  sftp: ["-i", "-P", "-o", "-F"],
  rsync: ["-e", "--rsh"],
  traceroute: ["-m", "-w", "-q", "-i", "-s", "-p"],
  tracepath: ["-m", "-l", "-p"],
  mtr: ["-c", "-i"],
  dig: ["-p", "-t", "-c", "-b"],
  nslookup: [],
  host: ["-t", "-c", "-W"],
  nmap: ["-p"],
  iperf3: ["-p", "-t", "-B"],
  git: [],
  skopeo: ["--src-creds", "--dest-creds", "--authfile"],
  debootstrap: ["--variant", "--include", "--exclude", "--arch", "--components"],
  "apt-get": [],
  apt: [],
  pip: [],
  pip3: [],
  npm: [],
  ftp: ["-P"],
  tftp: ["-m", "-c"],
  lftp: ["-p", "-u", "-e"],
  ntpdate: ["-p", "-t", "-k", "-o", "-a", "-e"],
  sntp: ["-p", "-t", "-k"],
  rdate: [],
  whois: ["-h", "-p"],
  openssl: ["-servername", "-CAfile", "-cert", "-key", "-cipher", "-proxy"],
  route: ["netmask", "gw", "dev", "metric", "-A", "mss", "window", "irtt", "reject", "mod", "dyn", "reinstate"],
};

/** Options whose value is itself a peer (a proxy, a jump host, a pinned or redirected address). */
const PEER_OPTIONS = /^(-x|--proxy|--preproxy|--socks4a?|--socks5(-hostname)?|-J|-connect)$/;

/** Package managers that download from the internet when they install or refresh. */
function downloads(site: CommandSite): string | undefined {
  const name = commandName(site);
  const [verb = ""] = positionals(site.words, new Set(["-o", "-c", "-t", "--target-release", "-X", "--repository"]));
  if (/^(apt|apt-get|aptitude)$/.test(name) && /^(update|install|upgrade|dist-upgrade|full-upgrade|download|source|build-dep|reinstall)$/.test(verb) && !site.words.slice(2).every((x) => x.startsWith("-") || /\.deb$/.test(x) || x === verb)) return `\`${name} ${verb}\` downloads from the internet`;
  if (/^(apt|apt-get)$/.test(name) && verb === "update") return `\`${name} update\` downloads package lists from the internet`;
  if (name === "apk" && /^(add|update|upgrade|fetch)$/.test(verb) && !site.words.some((x) => /^--(no-network|allow-untrusted)$|\.apk$/.test(x))) return `\`apk ${verb}\` downloads from the internet`;
  if (/^(pip|pip3)$/.test(name) && /^(install|download)$/.test(verb) && !site.words.some((x) => x === "--no-index")) return `\`${name} ${verb}\` downloads from the internet (PyPI)`;
  if (/^(dnf|yum|zypper|pacman|snap|flatpak)$/.test(name) && /^(install|update|upgrade|refresh|-S\w*|-Sy\w*|in|up)$/.test(verb)) return `\`${name} ${verb}\` downloads from the internet`;
  return undefined;
}

/** The package managers downloads() knows. */
const PACKAGE_MANAGERS = /^(apt|apt-get|aptitude|apk|pip|pip3|dnf|yum|zypper|pacman|snap|flatpak)$/;
const isNetworkCommand = (name: string): boolean => name in NETWORK_COMMANDS;

const REMOTE_SHELLS = new Set(["ssh", "scp", "sftp", "rsync"]);
/** Commands whose first argument is an address, so even a bare number (`ping 134744072`) is one. */
const BARE_NUMBER_PEERS = new Set(["ping", "ping6", "arping", "fping", "traceroute", "tracepath", "mtr"]);
/** Commands whose first positional argument is the host (the rest are ports): `nc 134744072 53`. */
const HOST_THEN_PORTS = new Set(["nc", "ncat", "netcat", "telnet", "ftp", "tftp"]);

/** `/dev/tcp/HOST/PORT` and `/dev/udp/…` redirections: bash itself opens the connection. */
function devTcpHosts(site: CommandSite): { word: string; host: string }[] {
  return site.redirects.flatMap((r) => {
    const m = /^\/dev\/(tcp|udp)\/([^/]+)\//.exec(r.target);
    return m ? [{ word: r.target, host: m[2] as string }] : [];
  });
}

/** `ip route`/`ip neigh`: where traffic goes. (`ip addr add` is what defines the lab's own addresses.) */
const IP_TRAFFIC_OBJECTS = /^(route|r|ro|rou|neigh|n|nei|neighbour|neighbor)$/;

/** The literal host of each argument that names a peer: `A`, `A/N`, `[A]:p`, `scheme://host:port/…`. */
function peers(site: CommandSite): { word: string; host: string; url: boolean }[] {
  const name = commandName(site);
  let args: string[];
  if (name === "ip") {
    const rest = ipArgs(site.words);
    if (!IP_TRAFFIC_OBJECTS.test(rest[0] ?? "")) return [];
    args = rest.slice(1);
  } else {
    const values = new Set(NETWORK_COMMANDS[name] ?? []);
    args = [];
    for (let k = 1; k < site.words.length; k++) {
      const w = site.words[k] ?? "";
      if (PEER_OPTIONS.test(w) && site.words[k + 1] !== undefined) args.push(site.words[++k] ?? "");
      // `--resolve NAME:PORT:ADDR`, `--connect-to H:P:ADDR:PORT`: curl connects to ADDR.
      else if (/^--(resolve|connect-to)$/.test(w) && site.words[k + 1] !== undefined) args.push((site.words[++k] ?? "").split(":").slice(2).join(":").replace(/:\d+$/, "").replace(/^\[|\]$/g, "") || "127.0.0.1");
      else if (values.has(w)) k++;
      else if (!w.startsWith("-") || w.includes("://")) args.push(w.replace(/^--?[a-z-]+=/, ""));
    }
  }
  const out: { word: string; host: string; url: boolean }[] = [];
  for (const word of args) {
    const url = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^/:?#]*)/i.exec(word);
    const socat = name === "socat" ? /^[a-z0-9-]+:(\[[^\]]+\]|[^:,]+)[:,]/i.exec(word) : null;
    if (url) out.push({ word, host: (url[1] ?? "").replace(/^\[|\]$/g, ""), url: true });
    else if (socat) out.push({ word, host: (socat[1] ?? "").replace(/^\[|\]$/g, ""), url: false });
    else if (REMOTE_SHELLS.has(name)) {
      // user@host, host:path, user@[::1]:path
      const host = word.replace(/^[^@]*@/, "");
      out.push({ word, host: host.startsWith("[") ? host.replace(/^\[([^\]]+)\].*$/, "$1") : host.replace(/:.*$/, ""), url: false });
    } else out.push({ word, host: word.replace(/^@/, "").replace(/^\[([^\]]+)\](:\d+)?$/, "$1").replace(/^([^:[\]]+):\d+$/, "$1"), url: false });
  }
  return out;
}

const LOCAL_NAMES = /^(localhost|ip6-localhost|ip6-loopback)$|\.localhost$/i;
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}\.?$/i;

const isVariable = (w: string) => w.includes("$");

/**
 * The peer of a network command run in the host's network namespace whose address only the run knows
 * (`ping "$A"` with A from `$(…)`): the gate cannot tell loopback from the internet. Variables rootlab sets
 * (`$ALPINE_URL`, …) are local.
 */
export function unknownPeer(site: CommandSite): string | undefined {
  if (!site.hostNetns || !(commandName(site) in NETWORK_COMMANDS) || commandName(site) === "route") return undefined;
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
        const addr = parseSubnet(peer.host, { bareNumber: bareNumber || peer.word === firstHost || peer.word.includes("/dev/") || (peer as { url?: boolean }).url === true });
        if (!addr || allowed.some((net) => contains(net, addr))) continue;
        problems.push({
          line: site.line,
          column: site.column,
          code: "safety/address",
          message: `\`${commandName(site) || "bash"}\` addresses ${peer.host}${spelled(peer.host, addr)}, which is neither loopback nor an address this lab assigns`,
          expected: "traffic only to 127.0.0.1/::1 or to addresses the lab gives its own interfaces (`ip addr add A/N` — the lab's own subnet)",
          example: "ip -n rl-red addr add 10.231.3.2/24 dev rl-red0\nping -c1 -W2 10.231.3.2",
        });
      }
    }
    return problems;
  },
};

export const safetyDnsName: LintRule = {
  code: "safety/dns-name",
  severity: "error",
  description: "a network command names a host by DNS name (or a registry, e.g. docker://): labs never depend on the internet",
  check: ({ sites }) => {
    const problems: Problem[] = [];
    const index = siteIndex(sites);
    for (const site of index.select((n) => isNetworkCommand(n) || PACKAGE_MANAGERS.test(n), index.redirectedToPath)) {
      const name = commandName(site);
      const download = downloads(site);
      if (download) problems.push(dnsProblem(site, `${download}: labs must not need DNS or the internet`));
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

function dnsProblem(site: CommandSite, message: string): Problem {
  return {
    line: site.line,
    column: site.column,
    code: "safety/dns-name",
    message,
    expected: "a local address (127.0.0.1, an address the lab assigns) or a local file (file://, $ALPINE_TARBALL); serve files yourself with a local server on 127.0.0.1; a name of your own needs `curl --resolve NAME:PORT:ADDRESS`, or a reserved `*.test` name used inside the lab's network namespace; packages go in the lab's `requires:` (rootlab's provisioning installs them), not in a step",
    example: 'curl -fsS -o alpine.tar.gz "$ALPINE_URL"   # rootlab points ALPINE_URL at a local copy',
  };
}

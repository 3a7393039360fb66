// The network commands the safety gate knows and the peers they name: what each sends traffic to (`ping A`,
// `curl URL`, `nc HOST PORT`, ssh's forwards, socat's addresses, `ip route … via A`, a tunnel's `remote A`,
// bash's `/dev/tcp/HOST/PORT`), the names they look up, and the package managers that download.
import { ipArgs } from "./addresses.js";
import { abbreviates } from "./interfaces.js";
import { commandName, positionals, type CommandSite } from "./sites.js";

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
  drill: ["-p", "-t", "-c", "-b", "-k"],
  kdig: ["-p", "-t", "-c", "-b", "-k"],
  delv: ["-p", "-t", "-c", "-b", "-a"],
  nslookup: [],
  host: ["-t", "-c", "-W"],
  nmap: ["-p"],
  // Packet crafters: their last word is the peer, as for ping.
  nping: ["-c", "-p", "--dest-port", "-g", "--source-port", "--delay", "--rate", "-S", "--source-ip", "-e", "--dest-ip"],
  hping3: ["-c", "-i", "-p", "-s", "-a", "--spoof", "-I", "-d", "-w", "-t"],
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
  // WireGuard's `endpoint HOST:PORT` (its other words — keys, names — are no hosts).
  wg: ["private-key", "listen-port", "fwmark", "preshared-key", "persistent-keepalive", "allowed-ips", "peer"],
  route: ["netmask", "gw", "dev", "metric", "-A", "mss", "window", "irtt", "reject", "mod", "dyn", "reinstate"],
};

/** Options whose value is itself a peer (a proxy, a jump host, a pinned or redirected address). */
export const PEER_OPTIONS = /^(-x|--proxy|--preproxy|--socks4a?|--socks5(-hostname)?|-J|-connect)$/;

/** Package managers that download from the internet when they install or refresh. */
export function downloads(site: CommandSite): string | undefined {
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
export const PACKAGE_MANAGERS = /^(apt|apt-get|aptitude|apk|pip|pip3|dnf|yum|zypper|pacman|snap|flatpak)$/;
export const isNetworkCommand = (name: string): boolean => name in NETWORK_COMMANDS;

export const REMOTE_SHELLS = new Set(["ssh", "scp", "sftp", "rsync"]);
/** Commands whose first argument is an address, so even a bare number (`ping 134744072`) is one. */
export const BARE_NUMBER_PEERS = new Set(["ping", "ping6", "arping", "fping", "traceroute", "tracepath", "mtr"]);
/** Commands whose first positional argument is the host (the rest are ports): `nc 134744072 53`. */
export const HOST_THEN_PORTS = new Set(["nc", "ncat", "netcat", "telnet", "ftp", "tftp"]);

/** `/dev/tcp/HOST/PORT` and `/dev/udp/…` redirections: bash itself opens the connection. */
export function devTcpHosts(site: CommandSite): { word: string; host: string }[] {
  return site.redirects.flatMap((r) => {
    const m = /^\/dev\/(tcp|udp)\/([^/]+)\//.exec(r.target);
    return m ? [{ word: r.target, host: m[2] as string }] : [];
  });
}

/** `ip route`/`ip neigh`: where traffic goes. (`ip addr add` is what defines the lab's own addresses.) */
export const IP_TRAFFIC_OBJECTS = /^(route|r|ro|rou|neigh|n|nei|neighbour|neighbor)$/;

/** `ip route|neigh` with no action, or one that only prints (any prefix ip accepts: `ip r s`, `ip r g`). */
const readsTable = (action: string | undefined): boolean => action === undefined || abbreviates(action, "list", "show", "lst", "get", "showdump", "save");

export type Peer = { word: string; host: string; url: boolean; bare?: boolean };
const peersOnce = new WeakMap<CommandSite, readonly Peer[]>();

/**
 * The literal host of each argument that names a peer: `A`, `A/N`, `[A]:p`, `scheme://host:port/…`. Read once per
 * site (two network rules ask for a site's peers up to five times); callers never change the list.
 */
export function peers(site: CommandSite): readonly Peer[] {
  let hit = peersOnce.get(site);
  if (!hit) peersOnce.set(site, (hit = readPeers(site)));
  return hit;
}

function readPeers(site: CommandSite): Peer[] {
  const name = commandName(site);
  let args: string[];
  const forwards: { word: string; host: string; url: boolean }[] = [];
  if (name === "ip") {
    const rest = ipArgs(site.words);
    // `ip tunnel add … remote A`, `ip link add … type vxlan remote A`: the lab's link sends its traffic to A.
    if (/^(l|li|lin|link|tunnel|tun|tu|l2tp|fou)$/.test(rest[0] ?? "")) return rest.flatMap((w, k) => (rest[k - 1] === "remote" ? [{ word: w, host: w, url: false }] : []));
    if (!IP_TRAFFIC_OBJECTS.test(rest[0] ?? "")) return [];
    // `ip route show exact 10.231.0.0/16`, `ip route get A`: a prefix there filters a table the kernel prints.
    if (readsTable(rest[1])) return [];
    args = rest.slice(1);
  } else {
    const values = new Set(NETWORK_COMMANDS[name] ?? []);
    args = [];
    for (let k = 1; k < site.words.length; k++) {
      const w = site.words[k] ?? "";
      // ssh's forwards: `-L [bind:]port:HOST:hostport`, `-R …`, `-W HOST:port` reach HOST from the machine.
      const forward = name === "ssh" ? /^-([LRW])(.*)$/.exec(w) : null;
      if (forward) {
        const spec = forward[2] || (site.words[++k] ?? "");
        const parts = spec.match(/\[[^\]]*\]|[^:]+/g) ?? [];
        const host = forward[1] === "W" ? parts[0] : parts.length >= 3 ? parts[parts.length - 2] : undefined;
        if (host !== undefined && !/^\d+$/.test(host)) forwards.push({ word: spec, host: host.replace(/^\[|\]$/g, ""), url: false });
        continue;
      }
      if (PEER_OPTIONS.test(w) && site.words[k + 1] !== undefined) args.push(site.words[++k] ?? "");
      // `--resolve NAME:PORT:ADDR`, `--connect-to H:P:ADDR:PORT`: curl connects to ADDR.
      else if (/^--(resolve|connect-to)$/.test(w) && site.words[k + 1] !== undefined) args.push((site.words[++k] ?? "").split(":").slice(2).join(":").replace(/:\d+$/, "").replace(/^\[|\]$/g, "") || "127.0.0.1");
      else if (values.has(w)) k++;
      else if (!w.startsWith("-") || w.includes("://")) args.push(w.replace(/^--?[a-z-]+=/, ""));
    }
  }
  const out: Peer[] = forwards;
  for (const word of args) {
    // The user info ends at the first `@` before any `/`, `?` or `#` (`http://8.8.8.8#@127.0.0.1/` is 8.8.8.8).
    const url = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]+\]|[^/:?#]*)/i.exec(word);
    const socat = name === "socat" ? /^([a-z0-9-]+):(\[[^\]]+\]|[^:,]+)[:,]/i.exec(word) : null;
    if (url) out.push({ word, host: (url[1] ?? "").replace(/^\[|\]$/g, ""), url: true });
    // A socat address that connects (`TCP4:134744072:53`) names a host, which inet_aton reads in any spelling.
    else if (socat) out.push({ word, host: (socat[2] ?? "").replace(/^\[|\]$/g, ""), url: false, bare: /^(tcp|udp|sctp|dccp|openssl|ssl)[46]?(-connect|-sendto|-datagram)?$/i.test(socat[1] ?? "") });
    else if (REMOTE_SHELLS.has(name)) {
      // user@host, host:path, user@[::1]:path
      const host = word.replace(/^[^@]*@/, "");
      out.push({ word, host: host.startsWith("[") ? host.replace(/^\[([^\]]+)\].*$/, "$1") : host.replace(/:.*$/, ""), url: false });
    } else out.push({ word, host: word.replace(/^@/, "").replace(/^\[([^\]]+)\](:\d+)?$/, "$1").replace(/^([^:[\]]+):\d+$/, "$1"), url: false });
  }
  return out;
}


/**
 * Names a command looks up through the machine's resolver: `getent hosts|ahosts… NAME` (unless `-s` picks only
 * local sources: files, mymachines), `resolvectl query|resolve NAME`, `systemd-resolve NAME`.
 */
export function lookedUp(site: CommandSite): string[] {
  const name = commandName(site);
  const args = positionals(site.words, new Set(["-s", "--service", "-t", "--type", "-i", "--interface", "-p", "--protocol", "-c", "--class"]));
  if (name === "getent") {
    const service = site.words[site.words.findIndex((w) => w === "-s" || w === "--service") + 1] ?? "";
    if (service !== "" && site.words.some((w) => w === "-s" || w === "--service") && /^(files|mymachines|myhostname)(,(files|mymachines|myhostname))*$/.test(service)) return [];
    return /^(hosts|ahosts|ahostsv4|ahostsv6)$/.test(args[0] ?? "") ? args.slice(1) : [];
  }
  if (name === "resolvectl") return /^(query|resolve|service|openpgp|tlsa)$/.test(args[0] ?? "") ? args.slice(1) : [];
  if (name === "systemd-resolve") return site.words.some((w) => w.startsWith("--set-") || w === "--revert" || w === "--flush-caches" || w === "--statistics" || w === "--status") ? [] : args;
  return [];
}

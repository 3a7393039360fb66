// The host's files a command writes, as the kernel will resolve their paths: for the sysctl and host-system rules.
// A path is read the way open(2) reads it — `//`, `/./`, `a/..`, `~`, `/proc/1/root/…`, a glob that matches a
// system folder (`/pro[c]/sys`), a link or bind mount the lab made to one (`ln -s /proc/sys x; echo 1 > x/…`) —
// and the files written are every way a command writes one: redirections, tee, dd, cp, sort -o, sed's `w` …
import { commandName, positionals, type CommandSite } from "./sites.js";

/** Folder names a glob in a written path is compared with (`/pro[c]/s?s/…` is /proc/sys/…). */
const SYSTEM_NAMES = ["proc", "sys", "sysrq-trigger", "class", "net", "etc", "dev", "boot", "root", "hosts", "passwd", "shadow", "group", "sudoers", "resolv.conf", "fstab", "hostname", "ssh", "authorized_keys"];

/** `/pro[c]` → `/proc`: a glob segment that matches a system folder's name is that folder (bash expands it so). */
function deglobbed(segment: string): string {
  if (!/[*?[]/.test(segment)) return segment;
  const re = new RegExp(`^${segment.replace(/[.+^${}()|\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
  return SYSTEM_NAMES.find((n) => re.test(n)) ?? segment;
}

/** What makes a path need resolving: `//`, `/.`, `./`, `../`, a glob, `~`, `$HOME`, or /proc (`/proc/1/root/…`). */
const PLAIN_NOT = /\/\/|\/\.|[*?[~]|^\/proc\/|^\.\.?(\/|$)|^\$\{?HOME\b|^\.\.?$/;

/**
 * A path as the kernel resolves it (`//`, `/./`, `a/..`, globs of system names), relative ones from `cwd` when it
 * is known. `~`, `~root` and `$HOME` are root's home, /root: labs run as root. `/proc/PID/root/…` is `/…`.
 */
export function resolvePath(path: string, cwd: string | undefined): string {
  // Most paths need nothing done: absolute, no `.`/`..`/`//`, no glob, not through /proc (asked for every write).
  const first = path.charCodeAt(0);
  if ((first === 47 || first === 36 || cwd === undefined) && !PLAIN_NOT.test(path)) return path;
  const home = path.replace(/^(~root|~|\$HOME|\$\{HOME\})(?=\/|$)/, "/root");
  // `$X/…` only the run knows: it is not relative to the session's directory.
  const full = home.startsWith("/") ? home : cwd !== undefined && !home.includes("$") ? `${cwd}/${home}` : home;
  const parts: string[] = [];
  for (const p of full.split("/")) {
    if (p === "" || p === ".") continue;
    if (p === "..") parts.pop();
    else parts.push(deglobbed(p));
  }
  const joined = `${full.startsWith("/") ? "/" : ""}${parts.join("/")}`;
  // `/proc/self/..` is /proc: `self` is a link to a folder of /proc. `/proc/1/root/…` is `/…` (PID 1's root).
  return joined.replace(/^(\/proc\/(\d+|self|thread-self)\/root)+(?=\/)/, "");
}

/** The file a `sed` script writes with its `w FILE` command or `s///w FILE` flag. */
const SED_WRITE = /(?:^|[;\n{}]|\/[gpiIme0-9]*)\s*w\s*(\/\S+)/;

/**
 * The files a command writes: redirections (`>`, `>>`, `&>`, `>&`, `<>`), tee's, `dd of=`, the target of
 * cp/install/mv, `sort -o`, uniq's output, socat's `FILE:`/`OPEN:`, `curl -o`, `wget -O` and sed's `w`.
 */
export function writtenFiles(site: CommandSite): string[] {
  const name = commandName(site);
  const w = site.words;
  const out = site.redirects.filter((r) => r.op.includes(">")).map((r) => r.target);
  const valueOf = (short: RegExp, long: string): string[] =>
    w.flatMap((x, k) => (short.test(x) ? [x.length > 2 ? x.slice(2) : w[k + 1] ?? ""] : x.startsWith(`${long}=`) ? [x.slice(long.length + 1)] : x === long ? [w[k + 1] ?? ""] : []));
  if (name === "tee") out.push(...positionals(w));
  if (name === "dd") out.push(...w.flatMap((x) => (x.startsWith("of=") ? [x.slice(3)] : [])));
  if (/^(cp|install|mv)$/.test(name)) out.push(positionals(w, new Set(["-t", "--target-directory", "-m", "--mode", "-o", "-g", "-S"])).at(-1) ?? "");
  if (name === "sort") out.push(...valueOf(/^-o/, "--output"));
  if (name === "uniq") out.push(...positionals(w, new Set(["-f", "-s", "-w", "--skip-fields", "--skip-chars", "--check-chars"])).slice(1, 2));
  if (name === "curl") out.push(...valueOf(/^-o/, "--output"));
  if (name === "wget") out.push(...valueOf(/^-O/, "--output-document"));
  if (name === "socat") out.push(...w.flatMap((x) => /^(?:FILE|OPEN|CREATE|CREAT|GOPEN):([^,]+)/i.exec(x)?.slice(1) ?? []));
  if (name === "sed") out.push(...w.slice(1).flatMap((x) => SED_WRITE.exec(x)?.slice(1) ?? []));
  // `patch FILE [PATCH]` rewrites FILE (or `-o OUT`).
  if (name === "patch") out.push(...valueOf(/^-o/, "--output"), ...(w.some((x) => /^-[a-zA-Z]*o|^--output/.test(x)) ? [] : positionals(w, new Set(["-i", "--input", "-p", "-d", "--directory", "-r", "--reject-file", "-B", "-z", "-V", "-D", "-F"])).slice(0, 1)));
  return out.filter((f) => f !== "");
}

/** The commands writtenFiles() reads by name (any command with a redirection writes too). */
export const FILE_WRITERS = /^(tee|dd|cp|install|mv|sort|uniq|curl|wget|socat|sed|patch)$/;

const aliasesOnce = new WeakMap<CommandSite[], [string, string][]>();

/**
 * Other names the lab gives the host's system folders: `ln -s /proc/sys X` and `mount --bind /proc/sys X` make
 * `X/net/…` a path into /proc/sys; `ln -s /etc X` makes `X/hosts` the host's /etc/hosts. Read once per lab: [alias, target] pairs, the target resolved.
 */
export function systemAliases(sites: CommandSite[]): [string, string][] {
  const hit = aliasesOnce.get(sites);
  if (hit) return hit;
  const out: [string, string][] = [];
  for (const site of sites) {
    const name = commandName(site);
    const w = site.words;
    const bind = name === "mount" && w.some((x) => /^(--r?bind|-[BR]|--move|-M)$/.test(x) || (/^(-o|--options)$/.test(x) === false && /(^|,)r?bind(,|$)/.test(x)));
    const link = name === "ln" && w.some((x) => /^-[a-zA-Z]*s/.test(x) || x === "--symbolic");
    // Under another root (chroot, nspawn) the paths are that root's, not the host's.
    if ((!bind && !link) || site.isolation.root) continue;
    const args = positionals(w, new Set(["-o", "--options", "-t", "--types", "-S", "--suffix", "--target-directory"]));
    const [from, to] = [args.at(-2), args.at(-1)];
    if (from === undefined || to === undefined) continue;
    const target = resolvePath(from, undefined);
    // Folders, devices and configuration files: a link to a program (`ln -s /usr/bin/busybox $R/bin/sh`) is how a
    // lab builds a root, not an alias; a link to a disk or to /etc/hosts is written through (`dd of=LINK`).
    if (/^\/((proc|sys)(\/.*)?|etc|root|boot|usr|var|bin|sbin|lib\w*|dev(\/.+)?|run|etc\/[^/]+|etc\/[a-z0-9_.-]+\.d\/.+|etc\/ssh(\/.+)?|root\/\.ssh|usr\/(local\/)?s?bin|)\/?$/.test(target)) out.push([resolvePath(to, undefined).replace(/\/+$/, ""), target.replace(/\/+$/, "")]);
  }
  aliasesOnce.set(sites, out);
  return out;
}

/** A resolved path with the lab's aliases of system folders replaced by what they name. */
export function throughAliases(path: string, aliases: [string, string][]): string {
  for (const [alias, target] of aliases) {
    if (alias !== "" && (path === alias || path.startsWith(`${alias}/`))) return `${target}${path.slice(alias.length)}`;
  }
  return path;
}

/** Folders a file copied "into" lands in even without a trailing slash: the system's own (`cp x /etc` is /etc/x). */
const SYSTEM_FOLDER = /^\/(etc|root|bin|sbin|boot|usr\/(local\/)?(s?bin|lib)|lib(64)?|etc\/[a-z0-9_.-]+\.d|etc\/(ssh|sudoers\.d|cron\.[a-z]+|systemd\/system|network|default|apt)|root\/\.ssh)\/?$/;
const PLACE_VALUES = new Set(["-t", "--target-directory", "-m", "--mode", "-o", "--owner", "-g", "--group", "-S", "--suffix", "-e", "--rsh"]);
const base = (path: string): string => path.replace(/\/+$/, "").replace(/^.*\//, "");

/**
 * Where `cp`, `mv`, `ln`, `install`, `rsync` and `sponge` put files: the destination, and — when it is a folder
 * (`-t DIR`, a trailing `/`, a folder of the system's) — each source's name in it (`cp /tmp/hosts /etc/` is /etc/hosts).
 */
export function placedFiles(site: CommandSite): string[] {
  const name = commandName(site);
  const w = site.words;
  if (name === "sponge") return positionals(w).slice(0, 1);
  if (!/^(cp|mv|ln|install|rsync)$/.test(name)) return [];
  const args = positionals(w, PLACE_VALUES);
  const flagged = w.findIndex((x) => x === "-t" || x === "--target-directory");
  const inline = w.find((x) => x.startsWith("--target-directory="))?.slice(19) ?? w.find((x) => /^-t./.test(x))?.slice(2);
  const dir = flagged > 0 ? w[flagged + 1] : inline;
  if (dir !== undefined) return args.filter((a) => a !== dir).map((a) => `${dir.replace(/\/+$/, "")}/${base(a)}`);
  const dest = args.at(-1);
  if (dest === undefined || args.length < 2) return dest === undefined ? [] : [dest];
  const folder = dest.endsWith("/") || SYSTEM_FOLDER.test(resolvePath(dest, undefined));
  return folder ? [dest, ...args.slice(0, -1).map((a) => `${dest.replace(/\/+$/, "")}/${base(a)}`)] : [dest];
}

/** The folder an archive tool unpacks into (`tar -x -C DIR`, `unzip -d DIR`, `cpio -i -D DIR`), if it unpacks. */
export function unpackedInto(site: CommandSite, cwd: string | undefined): string | undefined {
  const name = commandName(site);
  const w = site.words;
  const value = (short: string, long: string): string | undefined => {
    const at = w.findIndex((x) => x === short || x === long);
    if (at > 0) return w[at + 1];
    return w.find((x) => x.startsWith(`${long}=`))?.slice(long.length + 1) ?? w.find((x) => x.startsWith(short) && x.length > 2 && short.length === 2)?.slice(2);
  };
  // `--to-command`, `-O`: the files go to a program or to standard output, not to the folder.
  if (name === "tar" && w.some((x) => /^(--to-command|--to-stdout|-O)(=|$)/.test(x) || /^-[a-zA-Z]*O/.test(x))) return undefined;
  if (name === "tar" && w.slice(1).some((x, k) => x === "--extract" || x === "--get" || /^-[a-zA-Z]*x/.test(x) || (k === 0 && /^[a-zA-Z]*x/.test(x)))) return value("-C", "--directory") ?? cwd;
  if (name === "unzip") return value("-d", "--directory") ?? cwd;
  if (name === "cpio" && w.some((x) => /^-[a-zA-Z]*i/.test(x) || x === "--extract")) return value("-D", "--directory") ?? cwd;
  return undefined;
}

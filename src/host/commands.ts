// Finding the commands a lab needs (PATH lookup incl. rootlab's shims) and the package that provides each.
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import { shimsDir } from "./paths.js";

/** Always searched after $PATH: sudo and root shells have them, a normal user's PATH often lacks the sbin ones. */
const STANDARD_DIRS = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

/** Debian package that provides a command, for fixes like "apt-get install busybox-static". */
const PACKAGES: Record<string, string> = {
  busybox: "busybox-static",
  "systemd-nspawn": "systemd-container",
  machinectl: "systemd-container",
  ip: "iproute2",
  bridge: "iproute2",
  ss: "iproute2",
  tc: "iproute2",
  nft: "nftables",
  iptables: "iptables",
  "iptables-save": "iptables",
  ip6tables: "iptables",
  unshare: "util-linux",
  nsenter: "util-linux",
  findmnt: "util-linux",
  lsns: "util-linux",
  mount: "mount",
  umount: "mount",
  losetup: "mount",
  setpriv: "util-linux",
  blkid: "util-linux",
  useradd: "passwd",
  userdel: "passwd",
  "mkfs.ext4": "e2fsprogs",
  debugfs: "e2fsprogs",
  chattr: "e2fsprogs",
  lsattr: "e2fsprogs",
  debootstrap: "debootstrap",
  cpio: "cpio",
  skopeo: "skopeo",
  curl: "curl",
  wget: "wget",
  jq: "jq",
  tmux: "tmux",
  ping: "iputils-ping",
  tcpdump: "tcpdump",
  socat: "socat",
  brctl: "bridge-utils",
  pgrep: "procps",
  pkill: "procps",
  ps: "procps",
  strace: "strace",
  python3: "python3",
  capsh: "libcap2-bin",
  setcap: "libcap2-bin",
  getcap: "libcap2-bin",
  newuidmap: "uidmap",
  newgidmap: "uidmap",
  tar: "tar",
  gzip: "gzip",
  runc: "runc",
  crun: "crun",
};

export interface FoundCommand {
  /** The real program. */
  path: string;
  /** rootlab's wrapper that lab sessions run instead (shims/ is first on their PATH). */
  shim?: string;
}

/**
 * Where NAME would be run from in a lab session: shims/ first, then $PATH, then the standard dirs. A shim only
 * wraps the real program, so the command counts as present only when the real one exists too.
 */
export function findCommand(name: string, pathEnv: string | undefined = process.env.PATH): FoundCommand | undefined {
  if (name.includes("/")) return isExecutableFile(name) ? { path: name } : undefined;
  const shims = shimsDir();
  const shim = isExecutableFile(join(shims, name)) ? join(shims, name) : undefined;
  const dirs = [...(pathEnv ?? "").split(delimiter).filter((d) => d && resolve(d) !== shims), ...STANDARD_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return shim ? { path: candidate, shim } : { path: candidate };
  }
  return undefined;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function installFix(command: string): string {
  const pkg = PACKAGES[command];
  if (pkg) return `apt-get install ${pkg}`;
  return `install the package that provides "${command}" (Debian: apt-cache search ${command}, or apt-file search bin/${command})`;
}

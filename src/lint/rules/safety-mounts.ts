// Mounting over (or unmounting) the host's own /, /proc, /sys … breaks the machine for everyone. Inside a
// session with its own mount namespace or root (unshare -m, nspawn, chroot) the same paths are the lab's own.
import type { Problem } from "../../format/diagnostics.js";
import type { LintRule } from "../types.js";
import { commandName, positionals, whereItRuns, type CommandSite } from "../sites.js";
import { siteIndex } from "../site-index.js";

const PROTECTED_EXACT = new Set(["/", "/proc", "/sys", "/dev", "/dev/pts", "/dev/shm", "/run", "/tmp", "/etc", "/usr", "/var", "/boot", "/home", "/root", "/bin", "/sbin", "/lib", "/lib64", "/opt", "/srv", "/mnt"]);

/** Whether a mount target is one of the machine's own system directories. */
export function isHostSystemPath(path: string): boolean {
  const p = path.length > 1 ? path.replace(/\/+$/, "") : path;
  if (PROTECTED_EXACT.has(p)) return true;
  // Under /proc and /sys, except cgroup folders a lab creates itself; any file or folder of the system's own
  // programs and configuration (`mount --bind x /etc/resolv.conf`, over /usr/bin/ssh).
  return (/^\/(proc|sys)\//.test(p) && !/^\/sys\/fs\/cgroup\/./.test(p)) || /^\/(etc|usr|bin|sbin|lib|lib32|lib64|libx32|boot|root)\//.test(p) ||
    // The machine's runtime and state folders (/run/netns, /run/systemd, /var/lib): a mount over one hides every file in it.
    /^\/var\/[^/]+$|^\/(var\/)?run\/[^/]+$/.test(p);
}

const MOUNT_VALUES = new Set(["-t", "--types", "-o", "--options", "-O", "--test-opts", "-L", "-U", "--source", "--target", "-N", "--namespace"]);

function target(site: CommandSite): string | undefined {
  const name = commandName(site);
  // `systemd-nspawn --bind=/:/host`: the container gets the host's own / (or a system folder) to write to.
  const bind = site.wrappers.find((w) => w.startsWith("systemd-nspawn --bind="))?.split(" ")[1];
  if (bind) return `${bind.replace(/^--bind=\+?/, "").split(":")[0] || "/"} (bound into the container with ${bind})`;
  if (name === "mount") {
    // `mount --move OLD NEW` takes OLD away from where every process sees it.
    if (site.words.some((x) => x === "--move" || x === "-M")) {
      const from = positionals(site.words, MOUNT_VALUES)[0];
      if (from !== undefined && isHostSystemPath(from)) return `${from} (moved away with --move)`;
    }
    const explicit = site.words.indexOf("--target");
    if (explicit !== -1) return site.words[explicit + 1];
    return positionals(site.words, MOUNT_VALUES).at(-1);
  }
  if (name === "umount") {
    if (site.words.some((x) => x === "--all" || /^-[a-zA-Z]*a/.test(x))) return "/ (every mount: -a)";
    // `umount /proc /etc/hosts` unmounts both: any of its paths may be the host's.
    const paths = positionals(site.words, new Set(["-t", "-O", "-N"]));
    const host = paths.find((p) => isHostSystemPath(p));
    return paths.length > 1 && host !== undefined ? `${host} (one of several paths)` : paths.at(-1);
  }
  if (name === "pivot_root") return "/";
  return undefined;
}

/**
 * Files of the system the lab bind-mounts its own file over (`mount --bind "$LAB_DIR/hosts" /etc/hosts`), in any
 * session: a cleanup may take such a mount off the host (`umount /etc/hosts`) in case a student made it there.
 * System folders (/, /proc, /tmp, /etc …) never count — the host mounts those itself — nor a path through `.` or
 * `..` (`/etc/../proc` is the host's /proc).
 */
function labBindTargets(sites: CommandSite[]): Set<string> {
  const out = new Set<string>();
  for (const site of siteIndex(sites).named("mount")) {
    const w = site.words;
    if (!w.some((x, k) => /^(--r?bind|-B)$/.test(x) || (/^(-o|--options)$/.test(w[k - 1] ?? "") && /(^|,)r?bind(,|$)/.test(x)))) continue;
    const [source, dest] = positionals(w, MOUNT_VALUES).slice(-2);
    if (source !== undefined && dest !== undefined && /^\$\{?LAB_DIR\}?\//.test(source) && !PROTECTED_EXACT.has(dest.replace(/\/+$/, "")) && !/\/\.\.?(\/|$)/.test(dest)) out.add(dest);
  }
  return out;
}

export const safetyHostMount: LintRule = {
  code: "safety/host-mount",
  severity: "error",
  description: "mounts over or unmounts the host's /, /proc, /sys, /dev, /run, /tmp … (fine inside a session with its own mount namespace or root)",
  check: ({ sites }) => {
    const labBinds = labBindTargets(sites);
    // mount, umount, pivot_root; and any command run by `systemd-nspawn --bind=…` (a wrapper).
    return siteIndex(sites).select(/^(mount|umount|pivot_root)$/, siteIndex(sites).wrapped).flatMap((site): Problem[] => {
      const path = target(site);
      // Taking the lab's own bind mount off (one path, not `-R` its submounts): what it uncovers is the host's file.
      if (commandName(site) === "umount" && path !== undefined && labBinds.has(path) && !site.words.some((x) => /^(-R|--recursive)$/.test(x))) return [];
      if ((site.isolation.mnt || site.isolation.root) && !path?.includes("(bound")) return [];
      if (path === undefined || path.includes("$") || !(isHostSystemPath(path) || /^\/\S* \((every|bound|moved|one of)/.test(path))) return [];
      return [{
        line: site.line,
        column: site.column,
        code: "safety/host-mount",
        message: `\`${commandName(site)}\` on \`${path}\` ${whereItRuns(site)} changes the machine's own ${path} for every process`,
        expected: "mount inside a session with its own mount namespace (`unshare --mount`, systemd-nspawn) or root (chroot), or under $LAB_DIR",
        example: "```sh enter=ns\nunshare --fork --pid --mount --mount-proc bash\n```\n\n```sh session=ns\nmount -t tmpfs tmpfs /mnt\n```",
      }];
    });
  },
};

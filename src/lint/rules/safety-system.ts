// The host itself: a lab never reboots or powers it off, never deletes or overwrites its system folders, login and
// configuration files, never writes its disks. Inside the lab's own namespaces or root these are the lab's. (Its
// network configuration is safety-host-network.ts's.)
import type { Problem } from "../../format/diagnostics.js";
import type { LintRule } from "../types.js";
import { commandName, positionals, whereItRuns, type CommandSite } from "../sites.js";
import { machineStateChange, MACHINE_STATE_COMMANDS, onOtherMachine, SYSTEMCTL_VALUES } from "./host-state.js";
import { siteIndex } from "../site-index.js";
import { FILE_WRITERS, placedFiles, resolvePath, systemAliases, throughAliases, unpackedInto, writtenFiles } from "../host-paths.js";

const POWER_VERBS = /^(reboot|poweroff|halt|kexec|suspend|hibernate|hybrid-sleep|rescue|emergency|soft-reboot|isolate|default|switch-root)$/;

const SYSTEM_TOP = /^\/(bin|boot|dev|etc|home|lib|lib32|lib64|libx32|media|mnt|opt|proc|root|run|sbin|snap|srv|sys|tmp|usr|var)$/;
const SYSTEM_SECOND = /^\/(usr\/[^/]+|var\/(lib|log|cache|spool|tmp|backups|mail)|etc\/[^/]+|boot\/[^/]+)$/;
const CRITICAL_FILES = /^\/etc\/(passwd|shadow|group|gshadow|sudoers|sudoers\.d\/.+|fstab|hosts|hostname|resolv\.conf|network\/interfaces(\.d\/.+)?|wgetrc|gitconfig|netplan\/.+|NetworkManager\/.+|systemd\/(network|resolved\.conf|logind\.conf|journald\.conf).*|ssh\/.+|pam\.d\/.+|security\/.+|nsswitch\.conf|ld\.so\.(conf|preload|conf\.d\/.+)|modprobe\.d\/.+|sysctl\.(conf|d\/.+)|apt\/.+|default\/grub)$|^\/boot\/|^\/(usr\/)?(local\/)?(s?bin|lib(64)?)\/[^/]+$|^\/root\/\.ssh\/|^(~[a-z_]*|\$HOME|\$\{HOME\})\/\.ssh\/|^(\/root|~[a-z_]*|\$HOME|\$\{HOME\})\/\.(curlrc|wgetrc|gitconfig|netrc|npmrc|config\/pip\/.+|pip\/.+)$|^\/dev\/(mem|kmem|port|nvram|watchdog\d*)$/;
// Units and drop-ins in any of systemd's folders, udev rules (RUN+=), the scripts ifupdown and NetworkManager run.
const SCHEDULED = /^\/(etc\/(cron[^/]*|anacrontab|rc\.local|profile|profile\.d|bash\.bashrc|environment|ld\.so\.preload|init\.d|update-motd\.d|apt\/apt\.conf\.d|udev\/rules\.d|network\/if-[a-z-]+\.d|NetworkManager\/dispatcher\.d|systemd\/(system|user)(-generators)?)|(run|usr\/lib|lib)\/(systemd\/(system|user)(-generators)?|udev\/rules\.d)|var\/spool\/cron)(\/|$)|^(\/root|~[a-z_]*|\$HOME|\$\{HOME\})\/\.(bashrc|profile|bash_profile|bash_login|bash_logout)$/;
// Also by the names udev and the kernel give the same disks: device-mapper volumes, RAID, `/dev/root`, `/dev/block/8:0`.
const DISK = /^\/dev\/(sd[a-z]+|vd[a-z]+|xvd[a-z]+|hd[a-z]+|nvme\d+(n\d+)?(p\d+)?|mmcblk\d+(p\d+)?|disk\/.+|dm-\d+|md\d+|md\/.+|mapper\/(?!control$).+|root|block\/\d+:\d+)\d*$/;
/** PID 1's files (`/proc/1/mem`, `oom_score_adj`) and the kernel's own /proc tables outside /proc/sys (`/proc/irq/…`). */
const HOST_PROC = /^\/proc\/(0*1|irq|acpi|scsi|mtrr|bus|driver|fs|tty|sysvipc)(\/|$)/;

/** The system path a delete target names (or would, if the unknown parts of it were empty). */
function systemTarget(text: string, recursive: boolean): boolean {
  if (text === "") return false;
  // `/./`, `//`, `/usr/..` are spelled differently but name the same folders.
  let p = text.replace(/\/+/g, "/").replace(/\/(\.\/)+/g, "/");
  while (/\/[^/]+\/\.\.(\/|$)/.test(p)) p = p.replace(/\/[^/]+\/\.\.(\/|$)/, "/");
  const glob = /\/\*\/?$/.test(p);
  p = p.replace(/(\/\.)+$|\/\*\/?$/g, "").replace(/\/+$/, "");
  if (p === "" || p === "/") return true;
  // A glob in a top-level name (`/e*c`, `/???`) matches system folders.
  if (recursive && /^\/[^/]*[*?[][^/]*$/.test(p)) return true;
  return (recursive || glob) && (SYSTEM_TOP.test(p) || SYSTEM_SECOND.test(p));
}

/** `~`, `~user`, `$HOME`, `${HOME}` (with `/`, `/.` or `/*` after it): a home folder on the host. */
const HOME_TARGET = /^(~[a-z_][\w-]*|~|\$HOME|\$\{HOME\})(\/\.?|\/\*)?\/*$/;

/** `$X/a/../..`: a path below a variable that climbs above it (more `..` than folders at some point). */
function climbsOut(text: string): boolean {
  let depth = 0;
  for (const part of text.replace(/^\$\{?\w+\}?/, "").split("/")) {
    if (part === "..") depth--;
    else if (part !== "" && part !== ".") depth++;
    if (depth < 0) return true;
  }
  return false;
}

/** Relative delete targets that mean "everything here": `*`, `.`, `./*`, `.*` and the like. */
const EVERYTHING_HERE = /^(\.\/?|\.\/\*|\*|\.\*|\.\[!.\]\*)$/;

/** `kill [-s SIG | -SIG] PID…`: the PIDs (`-1` is every process). */
function killTargets(w: string[]): string[] {
  let k = 1;
  if (w[k] === "-s" || w[k] === "-n") k += 2;
  else if ((w[k] ?? "").startsWith("-") && w[k] !== "--") k++;
  if (w[k] === "--") k++;
  return w.slice(k);
}

/** The commands hostDamage() judges by name (any command with a redirection is read too), and `cd`. */
const DAMAGING = new Set(["pushd", "rsync", "sponge", "tar", "unzip", "cpio", "systemd-tmpfiles", "reboot", "poweroff", "halt", "shutdown", "kexec", "telinit", "init", "systemctl", "kill", "crontab", "tee", "cp", "mv", "ln", "install", "chmod", "chown", "chgrp", "chattr", "setfacl", "find", "rsync", "truncate", "rm", "shred", "unlink", "sed", "perl", "dd", "mke2fs", "mkswap", "wipefs", "hdparm", "blockdev", "fsfreeze", "sort", "fdisk", "sfdisk", "sgdisk", "gdisk", "parted", "blkdiscard", "cd", "patch", "tune2fs", "resize2fs", "e2fsck", "xfs_repair", "xfs_admin", "btrfstune", "mdadm", "nvme", "debugfs", "cryptsetup", "lvremove", "vgremove", "pvremove", "lvreduce", "vgreduce", "lvresize", "pvmove", "vgchange", "lvchange"]);
/** Options that take a value: of `mv`, and of the commands whose arguments hostDamage() reads as files written. */
const MV_VALUE_OPTIONS = new Set(["-t", "--target-directory", "-S", "--suffix"]);
const WRITER_VALUE_OPTIONS = new Set(["-s", "--size", "-e", "--expression", "-m", "--mode", "-o", "--owner", "-g", "--group"]);
const isDamaging = (name: string): boolean => DAMAGING.has(name) || MACHINE_STATE_COMMANDS.has(name) || /^(mkfs|fsck)(\..+)?$/.test(name);

function hostDamage(site: CommandSite, cwd: string | undefined, aliases: [string, string][]): string | undefined {
  const name = commandName(site);
  const w = site.words;
  const state = machineStateChange(site);
  if (state) return state;
  if (!site.isolation.pid) {
    if (/^(reboot|poweroff|halt|shutdown|kexec)$/.test(name)) return `\`${name}\` stops the whole machine`;
    if (/^(telinit|init)$/.test(name) && /^[0126sS]$/.test(w[1] ?? "")) return `\`${name} ${w[1]}\` changes the machine's runlevel`;
    if (name === "systemctl" && !onOtherMachine(w) && POWER_VERBS.test(positionals(w, SYSTEMCTL_VALUES)[0] ?? "")) return `\`systemctl ${positionals(w, SYSTEMCTL_VALUES)[0]}\` stops or changes the whole machine`;
    // `-01`, `001`: kill reads the PID as a number.
    if (name === "kill" && killTargets(w).some((x) => /^-?0*1$/.test(x))) return "`kill` signals PID 1 or every process of the machine";
    if ((site.redirects.length > 0 || FILE_WRITERS.test(name)) && writtenFiles(site).some((f) => f.includes("sysrq") && resolvePath(f, cwd) === "/proc/sysrq-trigger")) return "a write to /proc/sysrq-trigger can reboot or crash the machine";
  }
  if (site.isolation.root) return undefined;
  // Commands scheduled on the host outlive the lab, and the gate never sees them run.
  if (name === "crontab" && !w.some((x) => /^-[a-z]*[lr]/.test(x))) return "`crontab` installs commands the host runs later, outside the lab";
  // LVM: a volume, group or physical volume of the machine's (the lab's own are named with its prefix).
  if (/^(lvremove|vgremove|pvremove|lvreduce|vgreduce|lvresize|pvmove|vgchange|lvchange)$/.test(name) && positionals(w, new Set(["-L", "--size", "-l", "--extents", "-a", "--activate"])).some((x) => !/(^|\/)rl[a-z0-9]*-/.test(x))) return `\`${name}\` changes or removes an LVM volume of the machine (its root may live there)`;
  if (name === "crontab" && w.some((x) => /^-[a-z]*r/.test(x))) return "`crontab -r` deletes the commands root's crontab schedules on the machine";
  // A frozen / or system folder blocks every writer on the machine until someone thaws it.
  if (name === "fsfreeze" && w.some((x) => /^(-f|--freeze)$/.test(x)) && positionals(w).some((x) => systemTarget(resolvePath(x, cwd), true))) return `\`fsfreeze -f\` freezes \`${positionals(w).at(-1)}\`: every program writing to the machine's own file system hangs`;
  // Paths as the kernel resolves them: `/proc/1/root/etc/hosts`, `//etc//hosts`, `/tmp/../etc/passwd`, `/etc/host[s]`.
  const redirected = site.redirects.filter((r) => r.op.includes(">")).map((r) => r.target);
  const placed = placedFiles(site);
  // …and through a link or bind mount the lab made to a system folder (`ln -s /etc x; echo > x/hosts`).
  // ln replaces a link, never writes through it.
  const resolved = (list: string[]) => name === "ln" ? list : list.flatMap((t) => { const r = throughAliases(resolvePath(t, cwd), aliases); return r === t ? [t] : [t, r]; });
  const scheduled = resolved([...redirected, ...(name === "tee" ? [positionals(w).at(-1) ?? ""] : []), ...placed]).find((t) => SCHEDULED.test(t));
  if (scheduled) return `this command writes \`${scheduled}\`, which the host runs later or at every login or boot, outside the lab`;
  if (/^(chmod|chown|chgrp|chattr|setfacl)$/.test(name) && w.some((x) => /^-[a-zA-Z]*R/.test(x) || x === "--recursive")) {
    const hit = site.fields.slice(1).find((f) => !f.text.startsWith("-") && systemTarget(f.known ? f.text : /^\$\{?\w+\}?\//.test(f.text) ? f.ifEmpty : "", true));
    if (hit) return `\`${name} -R\` changes \`${hit.known ? hit.text : hit.ifEmpty}\`, the machine's own system files`;
  }
  // `find / -delete`, `find /usr -exec rm …`: every file under a system folder.
  if (name === "find" && w.some((x) => /^-(delete|exec|execdir)$/.test(x) && (x === "-delete" || /^(rm|unlink|shred)$/.test((w[w.indexOf(x) + 1] ?? "").replace(/^.*\//, ""))))) {
    const start = w.slice(1, w.findIndex((x, k) => k > 0 && /^[-!(]/.test(x)) >>> 0).find((x) => systemTarget(x, true));
    if (start) return `\`find ${start} … -delete\` deletes the machine's own system files`;
  }
  // `mv /usr …`, `rsync --delete … /`: a system folder moved away or emptied.
  if (name === "mv") {
    const moved = positionals(w, MV_VALUE_OPTIONS).slice(0, -1).find((x) => systemTarget(x, true));
    if (moved) return `\`mv\` moves \`${moved}\`, the machine's own system files, away`;
  }
  if (name === "rsync" && w.some((x) => /^--delete/.test(x)) && systemTarget(positionals(w).at(-1) ?? "", true)) return `\`rsync --delete\` deletes what is not in its source from \`${positionals(w).at(-1)}\`, the machine's own system files`;
  if (/^(chmod|chown|chgrp)$/.test(name)) {
    const top = positionals(w).slice(1).find((x) => { const p = x.replace(/\/+$/, "") || "/"; return p === "/" || SYSTEM_TOP.test(p); });
    if (top) return `\`${name}\` changes \`${top}\` itself, a folder every program of the machine uses`;
  }
  // Written, edited in place (`sed -i`), made immutable (`chattr +i`) or replaced: the machine's own configuration.
  const edits = (name === "sed" || name === "perl") && w.some((x) => /^-[a-zA-Z]*i|^--in-place/.test(x)) || name === "chattr" || name === "dd";
  // `chmod -x /usr/sbin/ip`, `chown nobody /etc/shadow`: a program or a configuration file of the machine made unusable.
  const modes = /^(chmod|chown|chgrp|setfacl)$/.test(name) ? positionals(w, WRITER_VALUE_OPTIONS).find((t) => CRITICAL_FILES.test(t)) : undefined;
  if (modes) return `\`${name}\` changes the permissions of \`${modes}\`, which the machine needs to let anyone log in or run its programs`;
  // cp, ln and install write only their destination (`ln -sf /bin/false /usr/sbin/sshd` replaces sshd).
  const args = positionals(w, WRITER_VALUE_OPTIONS).map((x) => x.replace(/^of=/, ""));
  const targets = /^(cp|ln|install|rsync|sponge)$/.test(name) ? placed : /^(tee|truncate|rm|mv|shred|unlink)$/.test(name) || edits ? [...args, ...placed] : name === "patch" ? writtenFiles(site) : [];
  const critical = resolved([...redirected, ...targets]).find((t) => CRITICAL_FILES.test(t));
  if (critical) return `this command overwrites or removes \`${critical}\`, which the machine needs to let anyone log in or boot`;
  if (name === "rm") {
    const recursive = w.some((x) => /^-[a-zA-Z]*[rR]/.test(x) || x === "--recursive");
    if (w.includes("--no-preserve-root")) return "`rm --no-preserve-root` is how to delete the machine's root";
    for (const f of site.fields.slice(1)) {
      if (f.text.startsWith("-") && f.known) continue;
      if (!f.known && f.text.includes("$(input)") && systemTarget(f.ifEmpty, true)) return `\`find ${f.ifEmpty.replace(/\/+$/, "") || "/"} -exec rm …\` deletes the machine's own system files`;
      // `"$LAB_DIR"/../..`: `..` past what the variable names climbs to folders the lab does not own.
      if (recursive && !f.known && climbsOut(f.text)) return `\`rm -r\` deletes \`${f.text}\`, which climbs with \`..\` out of the folder the variable names`;
      if (recursive && HOME_TARGET.test(f.text)) return `\`rm -r\` deletes \`${f.text}\`, a home folder of the machine`;
      if (recursive && cwd !== undefined && f.known && EVERYTHING_HERE.test(f.text)) return `\`rm -r ${f.text}\` deletes everything in \`${cwd}\` (the session's directory since an earlier \`cd ${cwd}\`)`;
      if (f.known && systemTarget(f.text, recursive)) return `\`rm\` deletes \`${f.text}\`, the machine's own system files`;
      // `"$DIR"/…` with DIR unset or empty: the classic way to delete the machine (a lone variable, a literal path).
      if (!f.known && /^\$\{?[A-Za-z_]\w*\}?(\/[^$`]*)?$/.test(f.text) && systemTarget(f.ifEmpty, recursive)) return `\`rm\` deletes \`${f.ifEmpty || "/"}\` when \`${/^\$\{?\w+\}?/.exec(f.text)?.[0] ?? f.text}\` is unset or empty`;
    }
  }
  // `tar -xf x.tar -C /`, `unzip -d /etc`: an archive's files, which the gate cannot see, over the machine's own.
  const into = /^(tar|unzip|cpio)$/.test(name) ? unpackedInto(site, cwd) : undefined;
  if (into !== undefined && !into.includes("$") && systemTarget(resolvePath(into, cwd), true)) return `\`${name}\` unpacks an archive into \`${into}\`: its files, which the gate cannot see, overwrite the machine's own`;
  const proc = site.isolation.pid ? undefined : [...redirected, ...(FILE_WRITERS.test(name) ? writtenFiles(site) : [])].map((t) => throughAliases(resolvePath(t, cwd), aliases)).find((t) => HOST_PROC.test(t));
  if (proc) return `this command writes \`${proc}\`, the machine's init (PID 1) or the kernel's own settings outside /proc/sys`;
  if (name === "systemd-tmpfiles" && w.some((x) => /^--(create|remove|clean|purge)$/.test(x))) return "`systemd-tmpfiles` applies rules that can create, change or delete any file of the machine";
    // Only a disk tool, or a command with a redirection, can write a disk here: the word scan is skipped for the rest.
  // hdparm and blockdev read a disk too (`hdparm -I`, `blockdev --getsize64`); only their changing options count.
  // File system and volume tools that rewrite a disk or a mounted file system under the running machine.
  // Their read-only forms (`tune2fs -l`, `e2fsck -n`, `mdadm --detail`, `nvme list`) only look.
  const readOnly = w.slice(1).every((x) => !x.startsWith("-") || /^-(l|n|P|N)$/.test(x)) && /^(tune2fs|resize2fs|e2fsck|fsck(\..+)?|xfs_repair|xfs_admin)$/.test(name) && w.slice(1).some((x) => /^-(l|n|P|N)$/.test(x));
  const volumeTool = !readOnly && /^(tune2fs|resize2fs|e2fsck|fsck(\..+)?|xfs_repair|xfs_admin|btrfstune)$/.test(name) || (name === "mdadm" && w.some((x) => /^(--zero-superblock|--create|-C|--grow|-G|--fail|-f|--remove|-r|--stop|-S|--add|-a)$/.test(x))) || (name === "nvme" && /^(format|sanitize|write|write-zeroes|write-uncor|dsm|ns-delete|delete-ns|detach-ns|fw-download|fw-commit|reset|subsystem-reset)$/.test(w[1] ?? "")) || (name === "debugfs" && w.some((x) => /^-[a-zA-Z]*w/.test(x))) || (name === "cryptsetup" && /^(luksFormat|erase|luksErase|luksKillSlot|reencrypt|luksAddKey|luksRemoveKey|luksChangeKey|repair|convert)$/.test(positionals(w, new Set(["-d", "--key-file", "-c", "--cipher", "-s", "--key-size", "--type", "-S", "--key-slot"]))[0] ?? ""));
  const diskTool = volumeTool || /^(mkfs(\..+)?|mke2fs|mkswap|wipefs|fdisk|sfdisk|sgdisk|gdisk|parted|shred|blkdiscard|dd|fsfreeze)$/.test(name) || (name === "hdparm" && w.some((x) => /^-(?!-)[a-zA-Z]*[^iIgtTCv]|^--(?!verbose$)/.test(x))) || (name === "blockdev" && w.some((x) => /^--(set|rereadpt|flushbufs)/.test(x)));
  // Also through a link the lab made to a disk (`ln -s /dev/sda x; dd of=x`).
  const disk = (diskTool ? resolved(w.slice(1).filter((x) => name !== "dd" || x.startsWith("of=")).map((x) => x.replace(/^of=/, ""))) : resolved(writtenFiles(site))).find((x) => DISK.test(x));
  if (disk) return `this command writes to \`${disk}\`, the machine's own disk`;
  return undefined;
}

export const safetyHostSystem: LintRule = {
  code: "safety/host-system",
  severity: "error",
  description: "damages the host itself: reboot/poweroff/kexec, `rm -rf` of / or a system folder (also through an empty variable), its login files and disks, commands scheduled on it (cron, rc.local)",
  check: ({ sites }) => {
    // The directory each session is in after a literal `cd` to / or a system folder (sites come in run order).
    const systemCwd = new Map<string, string | undefined>();
    const aliases = systemAliases(sites);
    const index = siteIndex(sites);
    const toPath = new Set(index.redirectedToPath);
    return index.select(isDamaging, index.redirected).flatMap((site): Problem[] => {
      const session = site.block.enter ?? site.block.session;
      // A relative redirection (`> out.txt`) matters only in a system folder the session went to.
      if (!isDamaging(site.name) && !toPath.has(site) && (aliases.length === 0 || !site.redirects.some((r) => r.target.includes("/"))) && systemCwd.get(session) === undefined) return [];
      const what = hostDamage(site, site.isolation.root ? undefined : systemCwd.get(session), aliases);
      if ((commandName(site) === "cd" || commandName(site) === "pushd") && site.block.role !== "verify") {
        const to = site.fields[1];
        systemCwd.set(session, to?.known && !site.isolation.root && systemTarget(to.text, true) ? to.text : undefined);
      }
      if (!what) return [];
      return [{
        line: site.line,
        column: site.column,
        code: "safety/host-system",
        message: `${what} (${whereItRuns(site)})`,
        expected: "files only under $LAB_DIR or paths the lab creates (use `${DIR:?}` so an unset variable stops the command); power and init commands only inside the lab's own container (systemd-nspawn, `machinectl poweroff NAME`)",
        example: 'rm -rf "${LAB_DIR:?}/rootfs"',
      }];
    });
  },
};

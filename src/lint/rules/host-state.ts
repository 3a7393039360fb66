// Machine-wide state that no namespace or chroot isolates: the clock, the hostname (without a UTS namespace),
// swap, kernel modules, loop and device-mapper devices, every process, and the devices and power state in /sys.
// A lab changes these only inside a machine of its own (systemd-nspawn, `systemd-run -M NAME`), where they
// are the box's or are refused by the container; a chroot shares them all with the host.
import { commandName, positionals, type CommandSite } from "../sites.js";

/** Inside a machine of the lab's own: its own root and PID namespace (nspawn drops CAP_SYS_TIME, CAP_SYS_MODULE…). */
const inOwnMachine = (site: CommandSite) => site.isolation.root && site.isolation.pid;

/**
 * `systemctl -M NAME …` acts inside the lab's machine NAME; `-M .host` (or `root@.host`) is the host itself, and so
 * is no `-M` at all.
 */
/** systemctl's options that take a value (so `-M .host` is not read as the verb). */
export const SYSTEMCTL_VALUES: ReadonlySet<string> = new Set(["-M", "--machine", "-H", "--host", "-t", "--type", "-s", "--signal", "-p", "--property", "--kill-whom", "--job-mode", "-n", "--lines", "-o", "--output", "--root", "--state"]);

export function onOtherMachine(w: string[]): boolean {
  const at = w.findIndex((x) => x === "-M" || x === "--machine" || /^(-M|--machine=)./.test(x));
  if (at < 0) return false;
  const x = w[at] ?? "";
  const machine = x === "-M" || x === "--machine" ? w[at + 1] ?? "" : x.replace(/^(-M|--machine=)/, "");
  return !/^([^@]*@)?\.host$/.test(machine);
}

const SYSTEMD_POWER_TARGETS = /^(poweroff|reboot|halt|kexec|shutdown|rescue|emergency|suspend|hibernate|hybrid-sleep|suspend-then-hibernate|sleep|soft-reboot|final|umount)\.target$/;

/** A `pkill`/`killall` pattern that matches every process (`.`, `.*`, `""`), or all of root's processes. */
function killsEveryone(site: CommandSite): string | undefined {
  const w = site.words;
  // `pkill -P 1`: every child of PID 1 is every service of the machine.
  const parent = w.findIndex((x) => /^(-P|--parent)$/.test(x));
  if (parent > 0 && /^(0*1)(,|$)|(^|,)0*1(,|$)/.test(w[parent + 1] ?? "")) return `\`${commandName(site)} -P ${w[parent + 1]}\` signals every child of PID 1: every service of the machine`;
  const uid = w.findIndex((x) => /^(-u|-U|--uid|--euid|--user)$/.test(x));
  if (uid > 0 && /^(root|0)(,|$)/.test(w[uid + 1] ?? "")) return `\`${commandName(site)} -u ${w[uid + 1]}\` signals every process of root: sshd, systemd, the session itself`;
  const pattern = positionals(w, new Set(["-s", "--signal", "-u", "-U", "--uid", "--euid", "-g", "-G", "-P", "-t", "-F", "-n", "--ns", "--nslist", "-c"])).at(-1);
  if (pattern !== undefined && /^(\.|\.\*|\^|\$|\^\.\*\$?|)$/.test(pattern) && commandName(site) === "pkill") return `\`pkill '${pattern}'\` matches every process of the machine`;
  return undefined;
}

/** Processes the machine needs: killing them by name (`pkill -f systemd`, `killall sshd`) breaks it. */
// `node` and `rootlab` are rootlab itself: killed, the lab's cleanup never runs and its namespaces stay behind.
const VITAL = ["systemd", "systemd-journald", "systemd-logind", "systemd-udevd", "systemd-networkd", "systemd-resolved", "sshd", "dbus-daemon", "init", "agetty", "node", "rootlab"];

/** The vital process a `pkill` pattern (a regex) or `killall` name matches. */
function vitalTarget(site: CommandSite): string | undefined {
  const name = commandName(site);
  const pattern = positionals(site.words, new Set(["-s", "--signal", "-u", "-U", "--uid", "-g", "-G", "-P", "-t", "-n", "--ns"])).find((x) => !/^-?\d+$/.test(x));
  // The network daemons by their exact names are safety/host-network's.
  if (pattern === undefined || /^(sshd?|dhclient|dhcpcd|systemd-networkd|NetworkManager|wpa_supplicant|systemd-resolved|dbus-daemon)$/.test(pattern)) return undefined;
  if (name === "killall") return VITAL.find((v) => v === pattern || (pattern.endsWith("*") && v.startsWith(pattern.slice(0, -1))));
  try {
    const re = new RegExp(pattern);
    return VITAL.find((v) => re.test(v));
  } catch {
    return undefined;
  }
}

/** Block and memory devices by major number (sd, virtio, nvme, xvd, mmc, ide; char 1 is /dev/mem and /dev/port). */
const DISK_MAJORS = /^(3|8|65|66|179|202|252|253|254|259)$/;

/** The commands machineStateChange() judges (and `tee`: a write to /sys); any command with a redirection too. */
export const MACHINE_STATE_COMMANDS: ReadonlySet<string> = new Set(["curl", "nc", "ncat", "socat", "docker", "podman", "nerdctl", "ctr", "swapoff", "hostname", "hostnamectl", "date", "timedatectl", "hwclock", "ntpdate", "rdate", "sntp", "rmmod", "modprobe", "insmod", "losetup", "dmsetup", "killall5", "killall", "pkill", "mknod", "passwd", "usermod", "useradd", "userdel", "groupmod", "groupadd", "groupdel", "chpasswd", "chage", "chsh", "chfn", "adduser", "deluser", "gpasswd", "systemctl", "loginctl", "tee", "busctl", "dbus-send", "gdbus", "qdbus", "rtcwake", "domainname", "nisdomainname", "ypdomainname", "prlimit", "chronyd", "update-alternatives", "apt", "apt-get", "aptitude", "dpkg", "kill", "efibootmgr", "rm", "unlink", "chattr", "mv"]);

/** The control sockets of the machine's own daemons: whoever talks to them can do anything as root. */
const DAEMON_SOCKET = /^(UNIX-(CONNECT|CLIENT|SENDTO):)?\/(var\/)?run\/(docker\.sock|containerd\/containerd\.sock|podman\/podman\.sock|crio\/crio\.sock|systemd\/private|dbus\/system_bus_socket)(,.*)?$/i;

/** A container engine asked for the host's own network, PID namespace, devices or root. */
function hostContainer(name: string, w: string[]): string | undefined {
  if (!/^(docker|podman|nerdctl|ctr)$/.test(name) || !w.some((x) => /^(run|create|exec)$/.test(x))) return undefined;
  const hit = w.find((x, k) => /^--(net|network|pid|ipc|uts)=host$|^--privileged$|^--net-host$/.test(x) || (/^--(net|network|pid)$/.test(x) && w[k + 1] === "host") || ((x === "-v" || x === "--volume") && /^\/(:|$)/.test(w[k + 1] ?? "")));
  return hit === undefined ? undefined : `\`${name} ${hit}${/^(-v|--volume|--net|--network|--pid)$/.test(hit) ? ` ${w[w.indexOf(hit) + 1] ?? ""}` : ""}\` has the machine's container engine give a container the host's own network, processes, devices or root, outside the gate`;
}

/** busctl's and gdbus's verbs that only read; dbus-send without `--system` talks to a session bus, not the machine's. */
const BUS_VALUES = new Set(["-M", "--machine", "-H", "--host", "--timeout", "--dest", "-d", "-o", "--object-path", "-m", "--method"]);
function busCall(name: string, w: string[]): string | undefined {
  if (name !== "busctl" && name !== "gdbus" && name !== "qdbus" && name !== "dbus-send") return undefined;
  const verb = positionals(w, BUS_VALUES)[0] ?? "";
  if (name === "busctl" && /^(call|set-property|emit|capture)$/.test(verb)) return verb;
  if ((name === "gdbus" || name === "qdbus") && (verb === "call" || name === "qdbus") && w.some((x) => x === "--system" || x === "-y")) return name === "gdbus" ? "call" : "--system";
  if (name === "dbus-send" && w.includes("--system")) return "--system";
  return undefined;
}

/** What a command does to machine-wide state, in words (undefined: nothing). */
export function machineStateChange(site: CommandSite): string | undefined {
  if (inOwnMachine(site)) return undefined;
  const name = commandName(site);
  const w = site.words;
  const engine = hostContainer(name, w);
  if (engine) return engine;
  const socket = /^(curl|nc|ncat|socat)$/.test(name) ? w.find((x, k) => DAEMON_SOCKET.test(x) && (name === "socat" || /^(--unix-socket|-U|--abstract-unix-socket)$/.test(w[k - 1] ?? "") || name !== "curl")) : undefined;
  if (socket) return `\`${name}\` talks to \`${socket.replace(/^UNIX-\w+:/i, "").replace(/,.*$/, "")}\`, the control socket of a daemon of the machine (root on the host, outside the gate)`;
  const args = positionals(w, name === "systemctl" ? SYSTEMCTL_VALUES : undefined);
  if (name === "swapoff") return "`swapoff` takes swap away from the whole machine: its processes can be killed for lack of memory";
  if (name === "hostname" && !site.isolation.uts && (args.length > 0 || w.some((x) => /^(-F|--file|-b|--boot)$/.test(x)))) return "`hostname NAME` renames the machine itself (no UTS namespace of the lab's own here)";
  if (/^(domainname|nisdomainname|ypdomainname)$/.test(name) && !site.isolation.uts && (args.length > 0 || w.some((x) => /^(-F|--file)$/.test(x)))) return `\`${name} NAME\` renames the machine's NIS domain (no UTS namespace of the lab's own here)`;
  if (name === "hostnamectl" && /^(set-hostname|hostname|set-icon-name|set-chassis|set-deployment|set-location)$/.test(args[0] ?? "") && args.length > 1) return `\`hostnamectl ${args[0]}\` renames the machine itself`;
  if (name === "date" && (w.some((x) => /^(-s|--set)(=|$)/.test(x)) || args.some((a) => /^\d{8,12}(\.\d\d)?$/.test(a)))) return "`date` sets the machine's clock (no namespace isolates CLOCK_REALTIME): TLS, logs, timers and `make` go wrong";
  if (name === "timedatectl" && /^(set-time|set-timezone|set-local-rtc|set-ntp)$/.test(args[0] ?? "")) return `\`timedatectl ${args[0]}\` changes the machine's clock or its time sync`;
  if (name === "hwclock" && w.some((x) => /^(-w|--systohc|-s|--hctosys|--set|--adjust|-a)$/.test(x))) return "`hwclock` sets the machine's clock or its hardware clock";
  if (/^(ntpdate|rdate|sntp)$/.test(name) && !w.some((x) => /^(-q|-p)$/.test(x))) return `\`${name}\` sets the machine's clock from a time server`;
  if (name === "chronyd" && !w.includes("-Q")) return "`chronyd` sets the machine's clock from its time servers";
  // D-Bus: systemd, logind, networkd, resolved act as root on whatever a call asks (power off, stop units, set DNS).
  const bus = busCall(name, w);
  if (bus) return `\`${name} ${bus}\` asks a daemon of the machine over D-Bus to act as root (power, units, network); the gate cannot judge the call`;
  if (name === "rtcwake" && !w.some((x, k) => /^(-m|--mode)$/.test(w[k - 1] ?? "") && /^(no|on|show|disable)$/.test(x)) && !w.some((x) => /^--mode=(no|on|show|disable)$/.test(x))) return "`rtcwake` suspends or powers off the machine until its clock wakes it";
  if (name === "prlimit" && w.some((x, k) => (/^(-p|--pid)$/.test(w[k - 1] ?? "") && !/^\$\$$/.test(x)) || /^--pid=/.test(x))) return "`prlimit --pid` changes the resource limits of a running process of the machine (PID 1's, a daemon's)";
  if (name === "rmmod" || (name === "modprobe" && w.some((x) => x === "-r" || x === "--remove" || /^-[a-zA-Z]*r/.test(x)))) return `\`${name}\` unloads a kernel module of the whole machine (\`${args.join(" ") || "?"}\`), which the host or its services may be using`;
  if (name === "insmod" || (name === "modprobe" && args.some((a) => a.includes("/")))) return `\`${name}\` loads a module file into the machine's own kernel: code that can do anything, which the gate cannot read`;
  if (name === "losetup" && w.some((x) => /^(-D|--detach-all)$/.test(x))) return "`losetup -D` detaches every loop device of the machine, also those of other programs (snaps, images, other labs)";
  // `/dev/loop0` by number: which device that is, the lab cannot know (`losetup -f --show` prints the one it got).
  const loop = name === "losetup" && w.some((x) => /^(-d|--detach)$/.test(x)) ? args.find((a) => /^\/dev\/loop\d+$/.test(a)) : undefined;
  if (loop) return `\`losetup -d ${loop}\` detaches a loop device by its number: the lab cannot know it is its own (another program's image, a snap, another lab's disk)`;
  if (name === "dmsetup" && /^(remove_all|mknodes)$/.test(args[0] ?? "")) return `\`dmsetup ${args[0]}\` removes every device-mapper device of the machine (LVM, encrypted disks)`;
  if ((name === "killall5" || (name === "killall" && w.some((x) => /^(-u|--user)$/.test(x)))) && !site.isolation.pid) return killsEveryone(site) ?? `\`${name}\` signals every process of the machine`;
  if ((name === "pkill" || name === "killall") && !site.isolation.pid) {
    const all = killsEveryone(site);
    if (all) return all;
    const vital = vitalTarget(site);
    if (vital) return `\`${name}\` kills \`${vital}\` (and whatever else its pattern matches), a process the machine needs`;
  }
  // The session's parent is rootlab itself (host session): killed, the run ends with no cleanup.
  if (name === "kill" && !site.isolation.pid && args.some((a) => /^\$(PPID|\{PPID\})$/.test(a))) return "`kill $PPID` signals the session's parent, rootlab itself: the run would end without its cleanup, leaving the lab's namespaces, mounts and processes behind";
  // The firmware's boot entries and variables (UEFI): a machine that no longer boots.
  if (name === "efibootmgr" && w.some((x) => /^-[a-zA-Z]*[BcCoOnNaAtTw]|^--(delete-bootnum|create|create-only|bootorder|delete-bootorder|bootnext|delete-bootnext|active|inactive|timeout|delete-timeout|write-signature)$/.test(x))) return "`efibootmgr` changes the machine's firmware boot entries: it may no longer boot";
  const efi = /^(rm|unlink|chattr|mv)$/.test(name) ? args.find((a) => /^\/sys\/firmware\/efi\//.test(a.replace(/\/+/g, "/"))) : undefined;
  if (efi) return `\`${name} ${efi}\` changes the machine's firmware variables (UEFI): removed or changed, the machine may no longer boot`;
  if (name === "mknod" && ((args[1] === "b" && DISK_MAJORS.test(args[2] ?? "")) || (args[1] === "c" && args[2] === "1" && /^(1|2|4)$/.test(args[3] ?? "")))) return `\`mknod ${args.slice(1, 4).join(" ")}\` makes a second door to the machine's own ${args[1] === "b" ? "disk" : "memory"}`;
  // Accounts of the lab's own (`useradd … rlus-student`, removed in a cleanup) are its business; root's and the others' are not.
  const account = args.at(-1);
  const own = account !== undefined && /^rl[a-z0-9]*-/.test(account) && !w.some((x) => /^(-o|--non-unique)$/.test(x));
  if (/^(passwd|usermod|useradd|userdel|groupmod|groupadd|groupdel|chpasswd|chage|chsh|chfn|adduser|deluser|gpasswd)$/.test(name) && !site.isolation.root && !own && !w.some((x) => /^(-S|--status)$/.test(x))) return `\`${name}\` changes the machine's own user accounts (who may log in, with what password)`;
  if (name === "systemctl" && !onOtherMachine(w) && /^(enable|reenable|link|set-default|edit|preset|preset-all|revert|set-property)$/.test(args[0] ?? "")) return `\`systemctl ${args[0]}\` changes what the machine runs at every boot, after the lab`;
  if (name === "loginctl" && /^(poweroff|reboot|halt|kexec|suspend|hibernate|hybrid-sleep|suspend-then-hibernate|sleep)$/.test(args[0] ?? "")) return `\`loginctl ${args[0]}\` stops or suspends the whole machine`;
  if (name === "loginctl" && /^(terminate-session|terminate-user|terminate-seat|kill-session|kill-user|lock-sessions|flush-devices|attach)$/.test(args[0] ?? "")) return `\`loginctl ${args[0]}\` ends or changes the machine's login sessions (the student's among them)`;
  if (name === "systemctl" && !onOtherMachine(w) && /^(start|restart|isolate|reload-or-restart|try-restart)$/.test(args[0] ?? "")) {
    const target = args.slice(1).find((u) => SYSTEMD_POWER_TARGETS.test(u));
    if (target) return `\`systemctl ${args[0]} ${target}\` stops or changes the whole machine`;
  }
  // The machine's programs: which one answers to a name, and whether it is installed at all.
  if (name === "update-alternatives" && w.some((x) => /^--(set|config|install|remove|remove-all|auto|all|set-selections)$/.test(x))) return "`update-alternatives` changes which program the machine runs under a name (`iptables` → `iptables-legacy` switches the firewall's backend for every program)";
  if (/^(apt|apt-get|aptitude)$/.test(name) && /^(remove|purge|autoremove|autopurge)$/.test(args[0] ?? "") || name === "dpkg" && w.some((x) => /^(-r|-P|--remove|--purge|-i|--install|--unpack|--configure|-a|--pending)$/.test(x))) return `\`${name} ${args[0] ?? w.find((x) => x.startsWith("-")) ?? ""}\` removes or installs packages of the machine itself (their scripts run as root; \`ip\` or \`sshd\` may go)`;
  // /sys writes on the host: a device unbound, removed or rescanned, the machine suspended, kernel knobs.
  const sysWrites = [...site.redirects.filter((r) => r.op.startsWith(">")).map((r) => r.target), ...(name === "tee" ? args : [])];
  // systemd's own cgroups (`system.slice`, `user.slice`, `ssh.service`): a write kills, freezes or starves services.
  const unitGroup = sysWrites.find((t) => /^\/sys\/fs\/cgroup\/(?:[^/]+\/)*[^/]+\.(slice|scope|service|socket|mount)(\/|$)/.test(t.replace(/\/+/g, "/")));
  if (unitGroup) return `this command writes \`${unitGroup}\`, a cgroup systemd keeps for the machine's own services or logins: it can kill, freeze or starve them`;
  const sys = sysWrites.find((t) => /^\/sys\//.test(t) && !/^\/sys\/fs\/cgroup\//.test(t) && !/^\/sys\/class\/net\/[^/]+\//.test(t));
  if (sys) return `this command writes \`${sys}\`, a setting of the machine's own kernel or devices (power, drivers, PCI devices)`;
  return undefined;
}

// What a command really runs, and where: strips wrappers (sudo, env, timeout, ip netns exec, nsenter, unshare,
// chroot, systemd-nspawn, sh -c …) and records which of the host's namespaces/root the inner command leaves.
// Safety rules use this: `mount -t proc proc /proc` is dangerous on the host, fine after `unshare -m`.

/** What a command does NOT share with the host (true = isolated from the host's copy). */
export interface Isolation {
  net: boolean;
  mnt: boolean;
  /** Runs under another root directory (chroot, nspawn): absolute paths are not the host's. */
  root: boolean;
  /** In its own PID namespace: PID 1 there is the box's init, not the host's. */
  pid: boolean;
}

export const HOST: Isolation = { net: false, mnt: false, root: false, pid: false };

export const join = (a: Isolation, b: Isolation): Isolation => ({ net: a.net || b.net, mnt: a.mnt || b.mnt, root: a.root || b.root, pid: a.pid || b.pid });

export interface Unwrapped {
  /** The inner command's words (empty when the wrapper runs a default shell). */
  words: string[];
  literal: boolean[];
  isolation: Isolation;
  /** Wrappers seen, outermost first (e.g. ["unshare", "chroot"]), so rules can say "inside unshare". */
  wrappers: string[];
  /** The string of `sh -c STRING`, when the inner command is a shell given a script. */
  script?: string;
}

const PLAIN_WRAPPERS = new Set(["sudo", "nohup", "setsid", "exec", "command", "builtin", "stdbuf", "nice", "ionice", "chrt", "taskset", "time", "xargs", "busybox", "doas"]);
const SHELLS = new Set(["sh", "bash", "dash", "ash", "zsh", "/bin/sh", "/bin/bash", "/bin/ash", "/usr/bin/bash", "/bin/dash"]);

/** Whether the word runs a shell (that would read commands from stdin or a script). */
export const isShell = (word: string | undefined): boolean => word !== undefined && SHELLS.has(word.replace(/^.*\/(?=(sh|bash|dash|ash|zsh)$)/, "/bin/"));

/** Options of wrappers that take a separate value, so the value is not mistaken for the command. */
const VALUE_OPTIONS: Record<string, Set<string>> = {
  sudo: new Set(["-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U"]),
  timeout: new Set(["-s", "--signal", "-k", "--kill-after"]),
  nsenter: new Set(["-t", "--target", "-S", "--setuid", "-G", "--setgid", "-r", "-w", "--wd", "-W"]),
  unshare: new Set(["-S", "--setuid", "-G", "--setgid", "-R", "--root", "-w", "--wd", "--propagation", "--map-user", "--map-group", "--map-users", "--map-groups", "--kill-child"]),
  "systemd-nspawn": new Set(["-D", "--directory", "-M", "--machine", "-i", "--image", "-u", "--user", "--bind", "--bind-ro", "-E", "--setenv", "--network-veth-extra", "--network-zone", "--network-bridge", "--network-interface", "--network-macvlan", "--network-ipvlan", "-p", "--port", "--uuid", "--chdir", "--tmpfs", "--overlay", "--overlay-ro", "-S", "--slice", "--private-users", "--link-journal", "--resolv-conf", "--timezone", "--console", "--capability", "--drop-capability", "-a"]),
  nice: new Set(["-n"]),
  chrt: new Set(["-p"]),
  taskset: new Set(["-p"]),
  stdbuf: new Set(["-i", "-o", "-e"]),
  env: new Set(["-u", "--unset", "-C", "--chdir", "-S"]),
};

function skipOptions(words: string[], from: number, valueOptions: Set<string> | undefined): { next: number; flags: string[] } {
  const flags: string[] = [];
  let k = from;
  while (k < words.length) {
    const w = words[k] ?? "";
    if (w === "--") return { next: k + 1, flags };
    if (!w.startsWith("-") || w === "-") break;
    flags.push(w);
    if (valueOptions?.has(w)) k++;
    k++;
  }
  return { next: k, flags };
}

/** Whether short or long flags include one of the names (short flags may be bundled: -nm). */
function hasFlag(flags: string[], short: string, long: string[]): boolean {
  return flags.some((f) => long.some((l) => f === l || f.startsWith(`${l}=`)) || (/^-[a-zA-Z]+$/.test(f) && f.includes(short)));
}

/**
 * `nsenter` into a process the lab did not start (a literal PID, e.g. 1 — the host's init unless the session is in
 * its own PID namespace — or a `/proc/N/ns/…` file) lands in the HOST's namespaces: the kinds it enters stop being
 * isolated. A target held in a variable is the lab's own session or process.
 */
function nsenter(words: string[], literal: boolean[], from: number, iso: Isolation): { next: number; iso: Isolation } {
  const { next, flags } = skipOptions(words, from, VALUE_OPTIONS.nsenter);
  const targetAt = words.findIndex((w, i) => i >= from && i < next && (w === "-t" || w === "--target"));
  const inline = flags.find((f) => /^(--target=|-t)\d/.test(f))?.replace(/^(--target=|-t)/, "");
  const target = targetAt >= 0 ? (literal[targetAt + 1] ? words[targetAt + 1] : undefined) : inline;
  // In the session's own PID namespace a literal PID names one of the box's processes; on the host, the host's.
  const foreign = (pid: string | undefined) => pid !== undefined && /^\d+$/.test(pid) && !iso.pid;
  const all = hasFlag(flags, "a", ["--all"]);
  const kinds: { key: keyof Isolation; short: string; long: string }[] = [
    { key: "net", short: "n", long: "--net" },
    { key: "mnt", short: "m", long: "--mount" },
    { key: "root", short: "r", long: "--root" },
    { key: "pid", short: "p", long: "--pid" },
  ];
  const out = { ...iso };
  for (const { key, short, long } of kinds) {
    const entered = (key === "root" ? false : all) || hasFlag(flags, short, [long]);
    if (!entered) continue;
    const file = flags.find((f) => f.startsWith(`${long}=`))?.slice(long.length + 1);
    const fileFrom = file === undefined ? undefined : /^\/proc\/(\d+)\//.exec(file)?.[1];
    const host = file !== undefined ? fileFrom !== undefined && foreign(fileFrom) : foreign(target);
    out[key] = host ? false : key === "root" ? iso.root : true;
  }
  if (all && foreign(target)) out.root = false;
  return { next, iso: out };
}

export function unwrap(words: string[], literal: boolean[], base: Isolation = HOST): Unwrapped {
  let k = 0;
  let iso: Isolation = { ...base };
  const wrappers: string[] = [];
  while (k < words.length) {
    const w = words[k] ?? "";
    const base = w.replace(/^.*\//, "");
    if (PLAIN_WRAPPERS.has(base) || base === "timeout" || base === "env") {
      wrappers.push(base);
      let { next } = skipOptions(words, k + 1, VALUE_OPTIONS[base]);
      if (base === "env") while (next < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[next] ?? "")) next++;
      if (base === "timeout") next++;
      k = next;
    } else if (base === "ip" && words[k + 1] === "netns" && words[k + 2] === "exec") {
      wrappers.push("ip netns exec");
      iso = join(iso, { ...HOST, net: true, mnt: true });
      k += 4;
    } else if (base === "nsenter") {
      wrappers.push("nsenter");
      ({ next: k, iso } = nsenter(words, literal, k + 1, iso));
    } else if (base === "unshare") {
      wrappers.push("unshare");
      const { next, flags } = skipOptions(words, k + 1, VALUE_OPTIONS.unshare);
      iso = join(iso, { net: hasFlag(flags, "n", ["--net"]), mnt: hasFlag(flags, "m", ["--mount", "--mount-proc"]), root: hasFlag(flags, "R", ["--root"]), pid: hasFlag(flags, "p", ["--pid"]) });
      k = next;
    } else if (base === "chroot") {
      wrappers.push("chroot");
      const { next } = skipOptions(words, k + 1, undefined);
      iso = join(iso, { ...HOST, root: true });
      k = next + 1;
    } else if (base === "systemd-nspawn") {
      wrappers.push("systemd-nspawn");
      const { next, flags } = skipOptions(words, k + 1, VALUE_OPTIONS["systemd-nspawn"]);
      const net = flags.some((f) => /^--(private-network|network-)/.test(f) || f === "-n");
      iso = join(iso, { net, mnt: true, root: true, pid: true });
      k = next;
    } else if (SHELLS.has(w) && words[k + 1] === "-c" && words[k + 2] !== undefined) {
      return { words: words.slice(k), literal: literal.slice(k), isolation: iso, wrappers, script: words[k + 2] as string };
    } else break;
  }
  return { words: words.slice(k), literal: literal.slice(k), isolation: iso, wrappers };
}

// The options of the wrappers the gate looks through (sudo, timeout, nsenter, unshare, systemd-nspawn, …): which
// take a separate value, so the value is never mistaken for the wrapped command.

/** Options of wrappers that take a separate value, so the value is not mistaken for the command. */
export const VALUE_OPTIONS: Record<string, Set<string>> = {
  sudo: new Set(["-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U"]),
  timeout: new Set(["-s", "--signal", "-k", "--kill-after"]),
  nsenter: new Set(["-t", "--target", "-S", "--setuid", "-G", "--setgid", "-r", "-w", "--wd", "-W"]),
  unshare: new Set(["-S", "--setuid", "-G", "--setgid", "-R", "--root", "-w", "--wd", "--propagation", "--map-user", "--map-group", "--map-users", "--map-groups", "--kill-child"]),
  "systemd-nspawn": new Set(["-D", "--directory", "-M", "--machine", "-i", "--image", "-u", "--user", "--bind", "--bind-ro", "-E", "--setenv", "--network-veth-extra", "--network-namespace-path", "--network-zone", "--network-bridge", "--network-interface", "--network-macvlan", "--network-ipvlan", "-p", "--port", "--uuid", "--chdir", "--tmpfs", "--overlay", "--overlay-ro", "-S", "--slice", "--private-users", "--link-journal", "--resolv-conf", "--timezone", "--console", "--capability", "--drop-capability", "-a"]),
  nice: new Set(["-n"]),
  exec: new Set(["-a"]),
  chrt: new Set(),
  taskset: new Set(),
  stdbuf: new Set(["-i", "-o", "-e"]),
  env: new Set(["-u", "--unset", "-C", "--chdir"]),
  strace: new Set(["-o", "--output", "-e", "-p", "-s", "-u", "-a", "-b", "-E", "-P", "-I", "-X"]),
  ltrace: new Set(["-o", "-e", "-p", "-s", "-u", "-a", "-n"]),
  runuser: new Set(["-u", "--user", "-g", "--group", "-G", "--supp-group", "-s", "--shell", "-w"]),
  cgexec: new Set(["-g"]),
  numactl: new Set(["-m", "-N", "-C", "-p", "-i"]),
  ionice: new Set(["-c", "-n", "-p", "-P", "-u", "--class", "--classdata"]),
  prlimit: new Set(["-p", "--pid"]),
  faketime: new Set(["-f"]),
  "systemd-run": new Set(["-M", "--machine", "-u", "--unit", "-p", "--property", "-E", "--setenv", "--uid", "--gid", "--nice", "--slice", "--description", "-H", "--host", "--working-directory", "-d", "--on-active", "--on-boot", "--on-calendar", "--timer-property", "--path-property", "--socket-property", "--service-type", "--send-sighup"]),
  xargs: new Set(["-I", "-i", "-L", "-l", "-n", "-P", "-s", "-d", "-E", "-e", "-a", "--arg-file", "--delimiter", "--max-args", "--max-procs", "--max-lines", "--replace", "--max-chars", "--eof", "--process-slot-var"]),
  watch: new Set(["-n", "--interval", "-q", "--equexit", "-s", "--shotsdir"]),
};

export function skipOptions(words: string[], from: number, valueOptions: Set<string> | undefined): { next: number; flags: string[] } {
  const flags: string[] = [];
  let k = from;
  while (k < words.length) {
    const w = words[k] ?? "";
    if (w === "--") return { next: k + 1, flags };
    // sudo's, systemd-run's, … `-uUSER`, `--unit=X`: the value is in the word itself.
    if (!w.startsWith("-") || w === "-") break;
    flags.push(w);
    if (valueOptions?.has(w)) k++;
    k++;
  }
  return { next: k, flags };
}

/** Whether short or long flags include one of the names (short flags may be bundled: -nm). */
export function hasFlag(flags: string[], short: string, long: string[]): boolean {
  return flags.some((f) => long.some((l) => f === l || f.startsWith(`${l}=`)) || (/^-[a-zA-Z]+$/.test(f) && f.includes(short)));
}

/**
 * getopt_long reads a long option by any prefix that names one option only (`--tar` is `--target`, `--fl` iptables'
 * `--flush`): the word with the option's full name (`=value` kept); an exact or ambiguous word as it is.
 */
export function fullLongOption(word: string, names: readonly string[]): string {
  const m = /^--([a-z][a-z0-9-]*)(=.*)?$/s.exec(word);
  if (!m || names.includes(m[1] as string)) return word;
  const hits = names.filter((n) => n.startsWith(m[1] as string));
  return hits.length === 1 ? `--${hits[0]}${m[2] ?? ""}` : word;
}

/** util-linux nsenter's long options (for their prefixes) and the short ones that take a value. */
export const NSENTER_LONG = ["all", "target", "mount", "uts", "ipc", "net", "pid", "cgroup", "user", "time", "setuid", "setgid", "preserve-credentials", "root", "wd", "wdns", "no-fork", "help", "version", "follow-context", "user-parent", "env", "keep-caps", "join-cgroup"];

/** nsenter's options as the gate reads them: long ones by their full names, `-nt 1` as `-n -t 1`, `-t1` as `-t 1`. */
export function nsenterWords(words: string[], literal: boolean[], from: number): { words: string[]; literal: boolean[] } {
  const out: string[] = words.slice(0, from);
  const lit: boolean[] = literal.slice(0, from);
  let k = from;
  const push = (x: string) => {
    out.push(x);
    lit.push(literal[k] ?? true);
  };
  for (; k < words.length; k++) {
    const w = words[k] ?? "";
    if (w === "--" || !w.startsWith("-") || w === "-") break;
    const bundle = /^-([a-zA-Z]*?)([tSG])(.*)$/s.exec(w);
    if (w.startsWith("--")) push(fullLongOption(w, NSENTER_LONG));
    else if (bundle && (bundle[1] !== "" || bundle[3] !== "")) {
      for (const c of bundle[1] ?? "") push(`-${c}`);
      push(`-${bundle[2]}`);
      if (bundle[3] !== "") push(bundle[3] as string);
    } else push(w);
    // A value in the next word (`-t 1`, `--target 1`) is copied as it is.
    if (/^(-[tSG]|--(target|setuid|setgid))$/.test(out[out.length - 1] ?? "") && k + 1 < words.length) {
      k++;
      push(words[k] ?? "");
    }
  }
  return { words: [...out, ...words.slice(k)], literal: [...lit, ...literal.slice(k)] };
}

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

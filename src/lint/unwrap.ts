// What a command really runs, and where: strips wrappers (sudo, env, timeout, ip netns exec, nsenter, unshare,
// chroot, systemd-nspawn, sh -c …) and records which of the host's namespaces/root the inner command leaves.
// Safety rules use this: `mount -t proc proc /proc` is dangerous on the host, fine after `unshare -m`.

import { hasFlag, nsenterWords, skipOptions, VALUE_OPTIONS } from "./wrapper-options.js";
import { fullLongOptions } from "./long-options.js";
import { copyIsolation, foreignNetns, HOST, isolation, isOwnNetns, join, MACHINE, nsenterIsolation, type Isolation, type UnwrapContext } from "./isolation.js";

export interface Unwrapped {
  /** The inner command's words (empty when the wrapper runs a default shell). */
  words: string[];
  literal: boolean[];
  isolation: Isolation;
  /** Wrappers seen, outermost first (e.g. ["unshare", "chroot"]), so rules can say "inside unshare". */
  wrappers: string[];
  /** The string of `sh -c STRING` (or `watch CMD`, `su -c`, `script -c`, …): a shell runs it as commands. */
  script?: string;
  /** Where the inner words start in the words given (they are a suffix, unless `inner` says otherwise). */
  offset: number;
  /** Words rewritten by the wrapper (`xargs`, `find -exec`): arguments only the run knows are `$(xargs)`. */
  rewritten?: boolean;
}

const PLAIN_WRAPPERS = new Set(["toybox", "xtables-nft-multi", "xtables-legacy-multi", "xtables-multi", "sudo", "nohup", "setsid", "exec", "command", "builtin", "stdbuf", "nice", "ionice", "chrt", "taskset", "time", "busybox", "doas", "pkexec", "strace", "ltrace", "setpriv", "prlimit", "unbuffer", "catchsegv", "cgexec", "numactl", "setarch", "linux32", "linux64", "faketime", "rlwrap", "nocache", "eatmydata", "valgrind", "firejail", "dtach"]);
/** The dynamic loader run by its path (`/lib64/ld-linux-x86-64.so.2 /sbin/ip …`) runs the program after its options. */
const LOADER = /^ld(-linux[\w.-]*)?\.so(\.\d+)?$/;
/** perf's subcommands that run a command after their options (`perf stat -e cycles ip …`). */
const PERF_RUNS = /^(stat|record|trace|sched|kvm|mem|c2c|lock|ftrace)$/;
/** bubblewrap's options that take two values (`--bind SRC DEST`) and one (`--chdir DIR`); the rest stand alone. */
const BWRAP_TWO_VALUES = /^--((ro-|dev-)?bind(-try)?|symlink|setenv|file|bind-data|ro-bind-data|chmod|overlay-src|tmp-overlay|ro-overlay)$/;
const BWRAP_ONE_VALUE = /^--(chdir|proc|dev|tmpfs|dir|uid|gid|hostname|unsetenv|lock-file|sync-fd|info-fd|json-status-fd|block-fd|userns-block-fd|seccomp|add-seccomp-fd|exec-label|file-label|cap-add|cap-drop|remount-ro|perms|size|userns|userns2|pidns|argv0|overlay|mqueue)$/;
/** Run their arguments joined as one `sh -c` script (value options listed). */
const SCRIPT_OPTION: Record<string, { flag: RegExp; values: Set<string> }> = {
  su: { flag: /^(-c|--command)$|^-[a-z]*c$/, values: new Set(["-s", "--shell", "-g", "-G", "-w"]) },
  script: { flag: /^(-c|--command)$|^-[a-z]*c$/, values: new Set(["-E", "--echo", "-I", "-O", "-B", "-T", "-m"]) },
  flock: { flag: /^(-c|--command)$/, values: new Set(["-w", "--timeout", "-E", "--conflict-exit-code"]) },
  sg: { flag: /^-c$/, values: new Set() },
  capsh: { flag: /^-c$/, values: new Set() },
  // runuser in su's mode (`runuser -l root -c CMD`); with `-u USER` it runs the words after the options.
  runuser: { flag: /^(-c|--command)$/, values: new Set(["-u", "--user", "-g", "--group", "-G", "--supp-group", "-s", "--shell", "-w", "--whitelist-environment"]) },
};
const SHELLS = new Set(["sh", "bash", "dash", "ash", "zsh", "/bin/sh", "/bin/bash", "/bin/ash", "/usr/bin/bash", "/bin/dash"]);
/** The session's own program by its /proc link (`/proc/self/exe -c …`, `/proc/$$/exe`): the shell that runs the block. */
const OWN_EXE = /^\/proc\/(self|thread-self|\d+|\$\$|\$\{?BASHPID\}?)\/exe$/;

/** Whether the word runs a shell (that would read commands from stdin or a script). */
export const isShell = (word: string | undefined): boolean => word !== undefined && (SHELLS.has(word.includes("/") ? word.replace(/^.*\/(?=(sh|bash|dash|ash|zsh)$)/, "/bin/") : word) || OWN_EXE.test(word));

const SHELL_OPTS_C = /^-[a-zA-Z]*c[a-zA-Z]*$/;
/** The placeholder for arguments a wrapper reads from its input (`xargs`, `find -exec {}`): only the run knows them. */
export const FROM_INPUT = "$(input)";

/** Command names the loop below looks at (besides shells, which isShell() tells). */
const UNWRAPPED = new Set(["perf", "bwrap", "start-stop-daemon", "timeout", "env", "systemd-run", "xargs", "watch", "find", "ip", "machinectl", "nsenter", "unshare", "chroot", "systemd-nspawn"]);

/** Every Unwrapped has every property, in one order: one object shape for the code that reads them per site. */
function unwrapped(words: string[], literal: boolean[], iso: Isolation, wrappers: string[], offset: number, script?: string, rewritten?: boolean): Unwrapped {
  return { words, literal, isolation: iso, wrappers, script, offset, rewritten };
}

/**
 * The command inside its wrappers. The arrays given may be returned as they are (callers give fresh ones and never
 * change what comes back).
 */
export function unwrap(given: string[], givenLiteral: boolean[], base: Isolation = HOST, ctx?: UnwrapContext): Unwrapped {
  let words = given;
  let literal = givenLiteral;
  const first = words[0];
  if (first === undefined) return unwrapped(words, literal, copyIsolation(base), [], 0);
  // Most commands are no wrapper: answered without the loop's work.
  const name = first.includes("\n") ? first.replace(/^.*\//, "") : first.slice(first.lastIndexOf("/") + 1);
  if (!PLAIN_WRAPPERS.has(name) && !UNWRAPPED.has(name) && !(name in SCRIPT_OPTION) && !isShell(first) && !LOADER.test(name)) return unwrapped(words, literal, base, [], 0);
  let k = 0;
  let iso: Isolation = copyIsolation(base);
  const wrappers: string[] = [];
  // Offsets count in the words given: nsenter's rewritten options (`-nt` → `-n -t`) may have added some before k.
  const shifted: typeof unwrapped = (w, l, i, wr, offset, sc, rw) => unwrapped(w, l, i, wr, offset - (words.length - given.length), sc, rw);
  const done = (script?: string): Unwrapped => shifted(words.slice(k), literal.slice(k), iso, wrappers, k, script);
  /** The wrapper runs a script string (`watch CMD`, `su -c`, `env -S`): nothing else is the command. */
  const script = (text: string): Unwrapped => shifted([], [], iso, wrappers, words.length, text);
  while (k < words.length) {
    const w = words[k] ?? "";
    // The name without its folder (as `replace(/^.*\//, "")` reads it: a word with a line break keeps its head).
    const base = w.includes("\n") ? w.replace(/^.*\//, "") : w.slice(w.lastIndexOf("/") + 1);
    if (PLAIN_WRAPPERS.has(base) || base === "timeout" || base === "env" || base === "systemd-run") {
      wrappers.push(base);
      const opts = skipOptions(words, k + 1, VALUE_OPTIONS[base]);
      const flags = opts.flags;
      let next = opts.next;
      if (base === "env") {
        while (next < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[next] ?? "")) next++;
        // `-S STRING`, `-SSTRING`, `-iS STRING` (bundled with other flags), `--split-string[=]STRING`.
        const split = words.findIndex((x, i) => i > k && i < next && (x === "-S" || x === "--split-string" || x.startsWith("--split-string=") || /^-[a-zA-Z]*S/.test(x)));
        if (split >= 0) {
          const flag = words[split] ?? "";
          const inline = flag.startsWith("--split-string=") ? flag.slice(15) : flag.startsWith("--") ? "" : /^-[a-zA-Z]*S(.*)$/s.exec(flag)?.[1] ?? "";
          const text = [inline, ...words.slice(next)].join(" ");
          return script(text.trim());
        }
      }
      // `timeout DURATION cmd`, `taskset [-c] MASK cmd`, `chrt [-f] PRIO cmd`: one value before the command.
      // `faketime TIME cmd` likewise; `dtach -n SOCKET [options] cmd` (-A, -c, -n: the socket, then options).
      if (base === "timeout" || base === "faketime" || (base === "taskset" && !flags.includes("-p")) || (base === "chrt" && !flags.includes("-p"))) next++;
      if (base === "dtach") next = skipOptions(words, next + 1, new Set(["-e", "-r", "-z"])).next;
      // `prlimit --pid N …` changes another process's limits: it runs nothing (host-state.ts judges it).
      if (base === "prlimit" && hasFlag(flags, "p", ["--pid"])) {
        wrappers.pop();
        break;
      }
      // `sudo -s`, `sudo -i` with no command: a shell, which reads commands from its input.
      if (base === "sudo" && next >= words.length && hasFlag(flags, "s", ["--shell"]) || base === "sudo" && next >= words.length && hasFlag(flags, "i", ["--login"])) return shifted(["sh"], [true], iso, wrappers, words.length);
      // `strace -o '|CMD' prog`: strace pipes its trace into CMD, run with a shell — both run (prog quoted as words).
      const pipe = base === "strace" ? words.slice(k + 1, next).find((x, i, all) => (all[i - 1] === "-o" || all[i - 1] === "--output") && /^[|!]/.test(x)) : undefined;
      if (pipe !== undefined) return script(`${pipe.slice(1)}\n${words.slice(next).map((x) => `'${x.replace(/'/g, "'\\''")}'`).join(" ")}`);
      // `setarch ARCH [options] cmd`: the architecture comes first, options may follow it.
      if (base === "setarch") next = skipOptions(words, next + 1, undefined).next;
      // `-M NAME` runs in that machine — but `.host` is the host itself.
      const machine = flags.includes("-M") || flags.includes("--machine") ? words[words.findIndex((x, i) => i > k && (x === "-M" || x === "--machine")) + 1] : flags.find((f) => f.startsWith("--machine="))?.slice(10);
      if (machine !== undefined && !/^([^@]*@)?\.host$/.test(machine)) iso = copyIsolation(MACHINE);
      k = next;
    } else if (LOADER.test(base)) {
      wrappers.push(base);
      k = skipOptions(words, k + 1, new Set(["--library-path", "--preload", "--argv0", "--audit", "--inhibit-rpath"])).next;
    } else if (base === "perf" && PERF_RUNS.test(words[k + 1] ?? "")) {
      wrappers.push(`perf ${words[k + 1]}`);
      k = skipOptions(words, k + 2, new Set(["-e", "--event", "-o", "--output", "-p", "--pid", "-t", "--tid", "-r", "--repeat", "-C", "--cpu", "-G", "--cgroup", "-F", "--freq", "-c", "--count", "-I", "--interval-print", "-x", "--field-separator", "-m", "--mmap-pages", "--filter", "-u", "--uid"])).next;
    } else if (base === "ip" && words[k + 1] === "vrf" && words[k + 2] === "exec") {
      // `ip vrf exec NAME CMD`: a VRF is a routing table of the host's own network namespace, not a namespace.
      wrappers.push(`ip vrf exec ${words[k + 3] ?? ""}`);
      k += 4;
    } else if (base === "xargs" || base === "watch" || base in SCRIPT_OPTION) {
      wrappers.push(base);
      const values = base in SCRIPT_OPTION ? (SCRIPT_OPTION[base] as { values: Set<string> }).values : (VALUE_OPTIONS[base] as Set<string>);
      const { next, flags } = skipOptions(words, k + 1, values);
      if (base === "watch") {
        // watch runs its arguments with `sh -c` (unless -x/--exec).
        k = next;
        if (hasFlag(flags, "x", ["--exec"])) continue;
        return script(words.slice(next).join(" "));
      }
      if (base === "xargs") {
        const at = words.findIndex((x, i) => i > k && i < next && /^(-I|-i|--replace)/.test(x));
        const replace = at < 0 ? undefined : /^(-I|--replace=)./.test(words[at] ?? "") ? (words[at] ?? "").replace(/^(-I|--replace=)/, "") : (words[at] ?? "") === "-i" ? "{}" : words[at + 1];
        const inner = words.slice(next);
        const out = replace === undefined ? [...inner, FROM_INPUT] : inner.map((x) => x.split(replace).join(FROM_INPUT));
        return shifted(out, out.map((x) => !x.includes("$")), iso, wrappers, next, undefined, true);
      }
      const spec = SCRIPT_OPTION[base] as { flag: RegExp };
      const c = words.findIndex((x, i) => i > k && spec.flag.test(x));
      if (c >= 0 && words[c + 1] !== undefined) return script(words[c + 1] as string);
      // `flock FILE cmd…`, `capsh -- …`: the rest is a command (after the lock file for flock).
      k = base === "flock" ? next + 1 : next;
      if (base === "runuser" && hasFlag(flags, "u", ["--user"])) continue;
      // `su`, `su - root`, `runuser -l root` without -c: a login shell, which reads commands from its input.
      if (base === "su" || base === "runuser") return shifted(["sh"], [true], iso, wrappers, words.length);
      if (base === "sg" || base === "script") return shifted([], [], iso, wrappers, words.length);
    } else if (base === "find") {
      const at = words.findIndex((x, i) => i > k && /^-(exec|execdir|ok|okdir)$/.test(x));
      if (at < 0) break;
      wrappers.push("find -exec");
      const end = words.findIndex((x, i) => i > at && (x === ";" || x === "+"));
      // `{}` is a path under find's start folder: `find / -exec rm -rf {} +` deletes under /.
      const starts = words.slice(k + 1, at).filter((x, i, all) => !/^[-!(]/.test(x) && all.slice(0, i).every((y) => !/^[-!(]/.test(y)));
      const found = starts.length === 1 && literal[k + 1] ? `${(starts[0] as string).replace(/\/+$/, "")}/${FROM_INPUT}` : FROM_INPUT;
      const out = words.slice(at + 1, end < 0 ? undefined : end).map((x) => x.split("{}").join(found));
      return shifted(out, out.map((x) => !x.includes("$")), iso, wrappers, at + 1, undefined, true);
    } else if (base === "ip" && words[k + 1] === "-all" && words[k + 2] === "netns" && words[k + 3] === "exec") {
      // Every named namespace on the machine: also those of other programs, and any a program attached to PID 1.
      wrappers.push("ip -all netns exec (every namespace on the machine, not only the lab's)");
      k += 4;
    } else if (base === "ip" && words[k + 1] === "netns" && words[k + 2] === "exec") {
      const ns = words[k + 3];
      // A namespace the lab never created may be anyone's — even the host's (`ip netns attach NAME 1`).
      const own = isOwnNetns(ns, ctx);
      wrappers.push(own ? "ip netns exec" : `ip netns exec ${ns ?? ""} (${foreignNetns(ns, ctx)})`);
      if (own) iso = join(iso, copyIsolation(HOST, { net: true, mnt: true }));
      k += 4;
    } else if (base === "machinectl" && /^(shell|login)$/.test(words[k + 1] ?? "")) {
      // `machinectl shell NAME CMD…` runs in the lab's machine NAME; `.host` (or `user@.host`) is the host itself.
      const { next } = skipOptions(words, k + 2, new Set(["-M", "--machine", "-E", "--setenv", "--uid", "-p", "--property"]));
      const machine = words[next] ?? ".host";
      wrappers.push(`machinectl ${words[k + 1]} ${machine}`);
      if (!/^([^@]*@)?\.host$/.test(machine)) iso = copyIsolation(MACHINE);
      k = next + 1;
    } else if (base === "nsenter") {
      wrappers.push("nsenter");
      // Its options as getopt reads them (`-nt 1`, `--tar 1 --ne`): words and literal flags rewritten in step.
      ({ words, literal } = nsenterWords(words, literal, k + 1));
      const netFile = words.find((x, i) => i > k && /^--net=\/run\/netns\//.test(x));
      ({ next: k, iso } = nsenterIsolation(words, literal, k + 1, iso, ctx));
      if (netFile && !isOwnNetns(netFile.replace(/^--net=\/run\/netns\//, ""), ctx)) iso = copyIsolation(iso, { net: false });
    } else if (base === "bwrap") {
      // bubblewrap always makes a mount namespace; the network, PIDs and hostname only with --unshare-*.
      wrappers.push("bwrap");
      let next = k + 1;
      const flags: string[] = [];
      while (next < words.length && (words[next] ?? "").startsWith("--")) {
        const f = words[next] ?? "";
        flags.push(f);
        next += 1 + (BWRAP_TWO_VALUES.test(f) ? 2 : BWRAP_ONE_VALUE.test(f) ? 1 : 0);
      }
      const all = flags.includes("--unshare-all") && !flags.includes("--share-net");
      iso = join(iso, isolation(all || flags.includes("--unshare-net"), true, false, all || flags.includes("--unshare-pid"), all || flags.includes("--unshare-uts"), false));
      k = next;
    } else if (base === "start-stop-daemon") {
      // `start-stop-daemon --start --exec PROG -- ARGS`: it runs PROG (or --startas) with the words after `--`.
      wrappers.push("start-stop-daemon");
      const at = words.findIndex((x, i) => i > k && /^(--exec|-x|--startas|-a)(=|$)/.test(x));
      const program = at < 0 ? undefined : (words[at] ?? "").includes("=") ? (words[at] ?? "").replace(/^[^=]*=/, "") : words[at + 1];
      if (program === undefined) break;
      const dashes = words.indexOf("--", k + 1);
      const out = [program, ...(dashes < 0 ? [] : words.slice(dashes + 1))];
      return shifted(out, out.map((x) => !x.includes("$")), iso, wrappers, dashes < 0 ? words.length : dashes + 1, undefined, true);
    } else if (base === "unshare") {
      wrappers.push("unshare");
      const { next, flags } = skipOptions(words, k + 1, VALUE_OPTIONS.unshare);
      iso = join(iso, isolation(hasFlag(flags, "n", ["--net"]), hasFlag(flags, "m", ["--mount", "--mount-proc"]), hasFlag(flags, "R", ["--root"]), hasFlag(flags, "p", ["--pid"]), hasFlag(flags, "u", ["--uts"]), flags.some((f) => f === "--mount-proc" || f.startsWith("--mount-proc="))));
      k = next;
    } else if (base === "chroot") {
      wrappers.push("chroot");
      const { next } = skipOptions(words, k + 1, undefined);
      // `chroot /`, `chroot /proc/1/root` (or `/proc/1/cwd`) and a path that climbs out with `..` are the host's own root.
      const dir = (words[next] ?? "").replace(/\/(\.?\/)+/g, "/").replace(/\/\.?$/, "");
      if (dir !== "" && !/(^|\/)\.\.(\/|$)/.test(dir) && !/^\/proc\/[^/]+\/(root|cwd)$/.test(dir)) iso = join(iso, copyIsolation(HOST, { root: true }));
      k = next + 1;
    } else if (base === "systemd-nspawn") {
      words = fullLongOptions("systemd-nspawn", words, k + 1);
      const { next, flags } = skipOptions(words, k + 1, VALUE_OPTIONS["systemd-nspawn"]);
      // `--bind=/:/host`, `--bind /etc`: the host's own / or system folders, writable inside the container.
      const hostBind = words.slice(k + 1, next).map((x, i, all) => (x === "--bind" ? `--bind=${all[i + 1] ?? ""}` : x)).find((x) => /^--bind=\+?\/(etc|usr|bin|sbin|lib\w*|boot|root|var|proc\/1\/root)?\/?(:|$)/.test(x));
      // `--network-interface=eth0` moves a host interface into the container; macvlan/ipvlan put it on the host's.
      const hostLink = words.slice(k + 1, next).map((x, i, all) => (/^--network-(interface|macvlan|ipvlan)$/.test(x) ? `${x}=${all[i + 1] ?? ""}` : x)).find((x) => /^--network-(interface|macvlan|ipvlan)=./.test(x));
      wrappers.push(hostBind ? `systemd-nspawn ${hostBind} (the host's own files, writable in the container)` : hostLink ? `systemd-nspawn ${hostLink} (a host interface given to the container)` : "systemd-nspawn");
      // `--network-namespace-path=/proc/1/ns/net` joins a namespace that exists: the lab's own only under /run/netns.
      const nsPathAt = words.findIndex((x, i) => i > k && i < next && /^--network-namespace-path(=|$)/.test(x));
      const nsPath = nsPathAt < 0 ? undefined : (words[nsPathAt] ?? "").includes("=") ? (words[nsPathAt] ?? "").replace(/^[^=]*=/, "") : words[nsPathAt + 1];
      const ownPath = nsPath !== undefined && /^\/(var\/)?run\/netns\/[^/]+$/.test(nsPath) && isOwnNetns(nsPath.replace(/^.*\//, ""), ctx);
      const net = nsPath !== undefined ? ownPath : flags.some((f) => /^--(private-network|network-)/.test(f) || f === "-n");
      // `-D /` boots the host's own root directory.
      const d = words.findIndex((x, i) => i > k && i < next && (x === "-D" || x === "--directory"));
      const dir = d >= 0 ? words[d + 1] : flags.find((f) => f.startsWith("--directory="))?.slice(12);
      iso = join(iso, isolation(net, true, dir === undefined || dir.replace(/(\/+\.?)+$/, "") !== "", true, true, true));
      k = next;
    } else if (isShell(w) && SHELL_OPTS_C.test(words[k + 1] ?? "") && words[k + 2] !== undefined) {
      return done(words[k + 2] as string);
    } else break;
  }
  return done();
}

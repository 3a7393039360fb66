// Long options by the prefixes getopt_long accepts (`rm --rec --for`, `mount --bi`, `losetup --detach-a`,
// `systemd-nspawn --bi=/:/host`): the rules read options by their full names, so a prefix is written out first. A
// list here may leave out options a program has: a prefix ambiguous to the program makes it fail, never another one.
import { fullLongOption } from "./wrapper-options.js";

const LONG: Record<string, readonly string[]> = {
  rm: ["recursive", "force", "dir", "interactive", "one-file-system", "no-preserve-root", "preserve-root", "verbose", "help", "version"],
  mount: ["bind", "rbind", "move", "make-shared", "make-slave", "make-private", "make-unbindable", "make-rshared", "make-rslave", "make-rprivate", "make-runbindable", "types", "options", "read-only", "read-write", "all", "fake", "fork", "no-mtab", "verbose", "source", "target", "label", "uuid", "no-canonicalize", "internal-only", "namespace", "options-mode", "options-source", "options-source-force", "onlyonce", "show-labels", "test-opts", "sloppy", "rw", "ro", "mkdir", "map-users", "map-groups", "help", "version"],
  umount: ["all", "all-targets", "no-canonicalize", "detach-loop", "fake", "force", "internal-only", "lazy", "no-mtab", "namespace", "recursive", "read-only", "test-opts", "types", "verbose", "quiet", "help", "version"],
  losetup: ["all", "associated", "detach", "detach-all", "find", "nooverlap", "json", "list", "noheadings", "offset", "output", "output-all", "partscan", "raw", "read-only", "sizelimit", "sector-size", "set-capacity", "show", "verbose", "direct-io", "loop-ref", "help", "version"],
  swapoff: ["all", "verbose", "help", "version"],
  chmod: ["recursive", "changes", "silent", "quiet", "verbose", "reference", "preserve-root", "no-preserve-root", "help", "version"],
  chown: ["recursive", "changes", "silent", "quiet", "verbose", "reference", "preserve-root", "no-preserve-root", "dereference", "no-dereference", "from", "help", "version"],
  "systemd-nspawn": ["directory", "image", "bind", "bind-ro", "bind-user", "network-interface", "network-macvlan", "network-ipvlan", "network-namespace-path", "private-network", "network-veth", "network-veth-extra", "network-bridge", "network-zone", "machine", "boot", "user", "private-users", "private-users-ownership", "register", "keep-unit", "settings", "template", "ephemeral", "volatile", "quiet", "chdir", "setenv", "capability", "drop-capability", "overlay", "overlay-ro", "tmpfs", "uuid", "slice", "property", "link-journal", "read-only", "as-pid2", "pivot-root", "port", "resolv-conf", "timezone", "console", "pipe", "kill-signal", "notify-ready", "suppress-sync", "oci-bundle", "no-new-privileges", "system-call-filter", "rlimit", "oom-score-adjust", "cpu-affinity", "personality", "hostname", "no-pager", "load-credential", "set-credential", "help", "version"],
};

/** Whether the gate writes out the long options of this program. */
export const hasLongOptions = (name: string): boolean => name in LONG;

/**
 * The words with the program's long options written out in full, up to its first word that is no option (the
 * command an nspawn runs keeps its own). One word per word: indexes stay those of the words given.
 */
export function fullLongOptions(name: string, words: string[], from = 1): string[] {
  const names = LONG[name];
  if (!names || !words.some((w) => w.startsWith("--"))) return words;
  let out: string[] | undefined;
  for (let k = from; k < words.length; k++) {
    const w = words[k] ?? "";
    if (w === "--") break;
    // systemd-nspawn's options end at its command; the others (rm, mount, …) mix options and paths.
    if (!w.startsWith("-") && name === "systemd-nspawn" && !/^-/.test(words[k - 1] ?? "")) break;
    const full = w.startsWith("--") ? fullLongOption(w, names) : w;
    if (full !== w) (out ??= [...words])[k] = full;
  }
  return out ?? words;
}

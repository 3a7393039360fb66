// Where a command runs, as the safety gate tells it: which of the host's namespaces and root it does not share
// (Isolation), and what `nsenter` enters — its own PID's namespaces or, with a PID the lab did not start, the
// host's. The wrappers that change it are read in ./unwrap.ts.
import { didYouMean } from "../format/suggest.js";
import { hasFlag, skipOptions, VALUE_OPTIONS } from "./wrapper-options.js";

/** What a command does NOT share with the host (true = isolated from the host's copy). */
export interface Isolation {
  net: boolean;
  mnt: boolean;
  /** Runs under another root directory (chroot, nspawn): absolute paths are not the host's. */
  root: boolean;
  /** In its own PID namespace: PID 1 there is the box's init, not the host's. */
  pid: boolean;
  /** In its own UTS namespace: `hostname` there names the box, not the machine. */
  uts: boolean;
  /** Its /proc is its own PID namespace's (`unshare --mount-proc`, nspawn): `/proc/1` is the box's init, not the host's. */
  proc: boolean;
}

export const HOST: Isolation = isolation(false, false, false, false, false, false);
/** A machine of the lab's own (systemd-nspawn, `systemd-run -M NAME`): every namespace and its own root. */
export const MACHINE: Isolation = isolation(true, true, true, true, true, true);

export const join = (a: Isolation, b: Isolation): Isolation => isolation(a.net || b.net, a.mnt || b.mnt, a.root || b.root, a.pid || b.pid, a.uts || b.uts, a.proc || b.proc);

/**
 * Every Isolation is made here, with its properties in one order (no spread of another one): one object shape,
 * so the rules that read a site's isolation stay on V8's fast path instead of being deoptimised by each new shape.
 */
export function isolation(net: boolean, mnt: boolean, root: boolean, pid: boolean, uts: boolean, proc: boolean): Isolation {
  return { net, mnt, root, pid, uts, proc };
}

/** A copy of an isolation, optionally with other values for some kinds. */
export const copyIsolation = (iso: Isolation, change: Partial<Isolation> = {}): Isolation =>
  isolation(change.net ?? iso.net, change.mnt ?? iso.mnt, change.root ?? iso.root, change.pid ?? iso.pid, change.uts ?? iso.uts, change.proc ?? iso.proc);

/** What the lab knows of its own network namespaces (`ip netns add NAME`): others may be the host's. */
export interface UnwrapContext {
  ownNetns: ReadonlySet<string>;
  /**
   * Each session's isolation by the variable rootlab gives its shell's PID (`ROOTLAB_SESSION_C9_PID` → `C9`), as far
   * as the sessions are entered: `nsenter -t "$ROOTLAB_SESSION_C9_PID" -n` enters what session c9 shares — the host's
   * network, when c9 is only a chroot.
   */
  sessions?: ReadonlyMap<string, Isolation>;
}

/** `$ROOTLAB_SESSION_NAME_PID` (or `${…}`) → NAME. */
const SESSION_PID = /^\$\{?ROOTLAB_SESSION_(\w+)_PID\}?$/;

/** A namespace name the lab created, or one only the run knows (then the lab's own: `ip netns exec "$ns"`). */
export const isOwnNetns = (name: string | undefined, ctx: UnwrapContext | undefined): boolean =>
  name === undefined || ctx === undefined || name.includes("$") || ctx.ownNetns.has(name);

/** How a message names a namespace the lab does not create; a near name the lab does create is likely a typo. */
export const foreignNetns = (name: string | undefined, ctx: UnwrapContext | undefined): string =>
  `a namespace this lab does not create${name !== undefined && ctx ? didYouMean(name, [...ctx.ownNetns]).replace(/^ \((.*)\)$/, "; $1") : ""}`;

/**
 * `$$`, `$PPID`, `$BASHPID`: the shell running the block (or its parent) — on the host, the host's processes; and
 * `$ROOTLAB_SESSION_HOST_PID`, which rootlab sets in every session to the host shell's PID (from inside a session of
 * the lab's own, `nsenter -t "$ROOTLAB_SESSION_HOST_PID" -n` is the host's network namespace).
 */
export const SHELL_OWN_PID = /^\$(\$|PPID|BASHPID|ROOTLAB_SESSION_HOST_PID|\{(\$|PPID|BASHPID|ROOTLAB_SESSION_HOST_PID)\})$/;

/**
 * `nsenter` into a process the lab did not start (a literal PID, e.g. 1 — the host's init unless the session is in
 * its own PID namespace — or a `/proc/N/ns/…` file) lands in the HOST's namespaces: the kinds it enters stop being
 * isolated. A target held in a variable is the lab's own session or process.
 */
export function nsenterIsolation(words: string[], literal: boolean[], from: number, iso: Isolation, ctx?: UnwrapContext): { next: number; iso: Isolation } {
  const { next, flags } = skipOptions(words, from, VALUE_OPTIONS.nsenter);
  const targetAt = words.findIndex((w, i) => i >= from && i < next && (w === "-t" || w === "--target"));
  const inline = flags.find((f) => /^(--target=|-t)\d/.test(f))?.replace(/^(--target=|-t)/, "");
  const given = targetAt >= 0 ? words[targetAt + 1] : undefined;
  // A PID found by name (`$(pidof systemd)`, `$(pgrep sshd)`) may be any process of the machine: the host's.
  // `pgrep -P $!` (a child of the lab's own job) is the lab's.
  const byName = given !== undefined && /^(\$\(|`)\s*(pidof|pgrep)\b/.test(given) && !/\s(-P|--parent)\b/.test(given);
  const target = targetAt >= 0 ? (literal[targetAt + 1] || (given !== undefined && SHELL_OWN_PID.test(given)) ? given : byName ? "1" : undefined) : inline;
  // In the session's own PID namespace a literal PID names one of the box's processes; on the host, the host's.
  // `/proc/1` is read from the /proc the command sees: the host's, unless the session mounted its PID namespace's own.
  const foreign = (pid: string | undefined) => pid !== undefined && (/^\d+$/.test(pid) || SHELL_OWN_PID.test(pid)) && !iso.proc;
  const all = hasFlag(flags, "a", ["--all"]);
  const kinds: { key: keyof Isolation; short: string; long: string }[] = [
    { key: "net", short: "n", long: "--net" },
    { key: "mnt", short: "m", long: "--mount" },
    { key: "root", short: "r", long: "--root" },
    { key: "pid", short: "p", long: "--pid" },
    { key: "uts", short: "u", long: "--uts" },
  ];
  const out = copyIsolation(iso);
  for (const { key, short, long } of kinds) {
    const entered = (key === "root" ? false : all) || hasFlag(flags, short, [long]);
    if (!entered) continue;
    const file = flags.find((f) => f.startsWith(`${long}=`))?.slice(long.length + 1);
    const fileFrom = file === undefined ? undefined : /^\/proc\/(\d+|\$\$|\$\{\$\}|\$PPID|\$BASHPID|\$\{?ROOTLAB_SESSION_HOST_PID\}?)\//.exec(file)?.[1];
    // `/proc/self/ns/…` is the namespace nsenter already runs in: nothing changes.
    if (file !== undefined && /^\/proc\/(thread-)?self\//.test(file)) continue;
    const host = file !== undefined ? fileFrom !== undefined && foreign(fileFrom) : foreign(target);
    // A session of the lab's own shares with the host what its entering command did not isolate.
    const session = iso.proc ? undefined : ctx?.sessions?.get(SESSION_PID.exec(file !== undefined ? `$${/^\/proc\/\$\{?(ROOTLAB_SESSION_\w+_PID)\}?\//.exec(file)?.[1] ?? ""}` : given ?? "")?.[1] ?? "");
    out[key] = host ? false : session !== undefined ? (key === "root" ? iso.root || session.root : session[key]) : key === "root" ? iso.root : true;
  }
  if (all && foreign(target)) out.root = false;
  // Entering a lab process's PID and mount namespaces gives the /proc that process sees.
  out.proc = iso.proc || (out.pid && out.mnt && !foreign(target));
  return { next, iso: out };
}

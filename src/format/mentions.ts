// What a lab's text names: how rootlab tells the lab's own objects (a netns, a cgroup) from what other programs
// made on the machine meanwhile. Pure: the lab's source and a name in, yes or no out. Used by the leak check
// (exec/attribute-leaks.ts) and by explain (only the lab's cgroups are its changes).

/**
 * The lab's text names NAME as a whole word: not inside a longer name or path (`rlt9` is not `rlt9xns`, `/mnt` not
 * `/mnt/usb`). A dot ends a word only where no name character follows (the full stop of a sentence).
 */
export function mentions(labSource: string, name: string): boolean {
  if (name === "" || !labSource.includes(name)) return false;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^A-Za-z0-9_.-])${escaped}($|[^A-Za-z0-9_/.-]|\\.(?![A-Za-z0-9_-]))`, "m").test(labSource);
}

/** rootlab's own helpers (the nspawn shim's cgroups) carry this prefix. */
export const ROOTLAB_OWN = /(^|\/)rootlab-/;

/** Words of a cgroup path or a firewall object that say nothing about who made it. */
const GENERIC_WORDS = new Set(["table", "chain", "rule", "inet", "filter", "input", "output", "forward", "sys", "cgroup", "memory", "pids", "systemd", "unified", "payload", "supervisor"]);

/**
 * The names a systemd unit's cgroup stands for: `machine-rlm\x2dweb.scope` is machine `rlm-web` (systemd escapes
 * a `-` in a name as `\x2d`, and nspawn's and machinectl's scopes are `machine-NAME.scope`), `rlg-cpu.slice` is
 * `rlg-cpu`, a transient `systemd-run --unit=rlx` is `rlx.service`.
 */
function unitNames(word: string): string[] {
  const unescaped = word.replace(/\\x([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  const bare = unescaped.replace(/\.(scope|slice|service)$/, "");
  return [...new Set([word, unescaped, bare, bare.replace(/^machine-/, "")])];
}

/**
 * A cgroup, or a firewall object (`table inet rltest`), the lab made: one of the words of its name is a name the
 * lab's text uses. cgroups come and go all the time on a real machine (systemd makes one for each login, service
 * and timer; a container agent for each command it runs), so a new one is the lab's only when the lab names it.
 */
export function labNamesObject(labSource: string, name: string): boolean {
  if (ROOTLAB_OWN.test(name)) return true;
  const words = name.split(/[\s/:"]+/).filter((w) => w.length >= 3 && /[a-z]/.test(w) && !GENERIC_WORDS.has(w));
  return words.some((w) => unitNames(w).some((n) => n.length >= 3 && !GENERIC_WORDS.has(n) && mentions(labSource, n)));
}

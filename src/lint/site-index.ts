// A lab's command sites indexed by command name, so each rule reads only the sites of the commands it judges
// (plus the few things it reads whatever the command: redirections, wrappers, what the gate could not read)
// instead of every rule testing every site. Built once per lab; the sites keep their document order.
import type { CommandSite } from "./sites.js";

/** Which command names a rule reads: a set, a pattern, or a test (evaluated once per distinct name of the lab). */
export type NameSelector = ReadonlySet<string> | RegExp | ((name: string) => boolean);

/** A path from the root or from a home folder (`~/.bashrc`, `$HOME/.profile`). */
const ABSOLUTE = /^(\/|~|\$\{?HOME\b)/;

export class SiteIndex {
  private readonly byName = new Map<string, CommandSite[]>();
  /**
   * Sites with a redirection to or from an absolute path other than /dev/null (`> /proc/sys/…`, `< /dev/tcp/…`)
   * or one in a home folder (`>> ~/.bashrc`): what the rules read from redirections whatever the command (/sys,
   * /proc, /etc, /dev/tcp, disks, login files) is all there, and `2>/dev/null`, `> "$LAB_DIR/x"` is none of it.
   */
  readonly redirectedToPath: CommandSite[] = [];
  /** Sites with any redirection at all (a relative `> file` after `cd /proc/sys` is one the rules read). */
  readonly redirected: CommandSite[] = [];
  /** Sites run through a wrapper (sudo, unshare, nsenter, a script …). */
  readonly wrapped: CommandSite[] = [];
  /** Sites whose command the gate could not read (site.unchecked). */
  readonly unchecked: CommandSite[] = [];

  constructor(readonly all: readonly CommandSite[]) {
    all.forEach((site, k) => {
      site.order = k;
      const list = this.byName.get(site.name);
      if (list) list.push(site);
      else this.byName.set(site.name, [site]);
      if (site.redirects.length > 0) this.redirected.push(site);
      if (site.redirects.some((r) => ABSOLUTE.test(r.target) && r.target !== "/dev/null")) this.redirectedToPath.push(site);
      if (site.wrappers.length > 0) this.wrapped.push(site);
      if (site.unchecked !== undefined) this.unchecked.push(site);
    });
  }

  /** The sites of one command name, in document order. */
  named(name: string): readonly CommandSite[] {
    return this.byName.get(name) ?? [];
  }

  /**
   * The sites whose command name the selector picks, together with the sites of `also` (e.g. `redirected`), in
   * document order, each once.
   */
  select(names: NameSelector, ...also: readonly CommandSite[][]): CommandSite[] {
    const test = names instanceof RegExp ? (n: string) => names.test(n) : typeof names === "function" ? names : (n: string) => names.has(n);
    const lists: (readonly CommandSite[])[] = [];
    for (const [name, list] of this.byName) if (test(name)) lists.push(list);
    for (const list of also) if (list.length > 0) lists.push(list);
    if (lists.length === 0) return [];
    if (lists.length === 1) return [...(lists[0] as CommandSite[])];
    // Marks by position, then one pass in order: no sort, no set.
    const marks = new Uint8Array(this.all.length);
    let from = this.all.length;
    for (const list of lists) {
      for (const s of list) {
        marks[s.order] = 1;
        if (s.order < from) from = s.order;
      }
    }
    const out: CommandSite[] = [];
    for (let k = from; k < marks.length; k++) if (marks[k] === 1) out.push(this.all[k] as CommandSite);
    return out;
  }
}

/** One index per lab's list of sites (several rules ask for it). */
const built = new WeakMap<readonly CommandSite[], SiteIndex>();
export function siteIndex(sites: readonly CommandSite[]): SiteIndex {
  let index = built.get(sites);
  if (!index) {
    index = new SiteIndex(sites);
    built.set(sites, index);
  }
  return index;
}

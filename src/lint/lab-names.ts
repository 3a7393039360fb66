// The names a lab gives its own network objects, and their prefixes (`rlb-`): a name with one of them is the
// lab's; a rootlab-style name (`rlz-br0`) with another prefix belongs to another lab, which this one must not touch.
import { ipArgs } from "./addresses.js";
import type { CommandSite } from "./sites.js";
import { siteIndex } from "./site-index.js";

/** rootlab's naming convention: every lab's names start `rl…-`. */
export const ROOTLAB_PREFIX = /^rl[a-z0-9]*-/;

const prefixesOf = new WeakMap<readonly CommandSite[], string[]>();

/** The prefixes (`rlb-`) of the links, namespaces and tunnels the lab creates with `ip … add`. */
export function labPrefixes(sites: readonly CommandSite[]): string[] {
  const hit = prefixesOf.get(sites);
  if (hit) return hit;
  const out = new Set<string>();
  for (const site of siteIndex(sites).named("ip")) {
    const [object = "", action = "", ...rest] = ipArgs(site.words);
    if (!/^(l|li|lin|link|netns|tuntap)$/.test(object) || action !== "add") continue;
    const names = [rest[0], ...rest.flatMap((w, k) => (w === "name" ? [rest[k + 1]] : []))];
    for (const n of names) {
      const m = n === undefined ? null : /^[A-Za-z0-9]+[-_]/.exec(n);
      if (m && !n?.includes("$")) out.add(m[0]);
    }
  }
  const list = [...out];
  prefixesOf.set(sites, list);
  return list;
}

/** A rootlab-style name (`rlz-br0`) whose prefix is none of this lab's: another lab's object. */
export const anotherLabs = (name: string, prefixes: readonly string[]): boolean => ROOTLAB_PREFIX.test(name) && prefixes.length > 0 && !prefixes.some((p) => name.startsWith(p));

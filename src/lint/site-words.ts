// Reading a command site's words: its name, its positional words, and where it runs (for messages).
import { DEFAULT_SESSION } from "../format/types.js";
import type { CommandSite } from "./sites.js";

/** A command word without its path (`/usr/sbin/ip` → `ip`). */
export const nameOf = (w: string | undefined = ""): string => (w.includes("/") ? w.slice(w.lastIndexOf("/") + 1) : w);

/** The command's name without a path (`/usr/sbin/ip` → `ip`): a site's own, computed when it was made. */
export function commandName(site: Pick<CommandSite, "words"> & { name?: string }): string {
  return site.name ?? nameOf(site.words[0]);
}

/** Positional words after the command name: options (and given option values) removed. */
const NO_VALUE_OPTIONS: ReadonlySet<string> = new Set();

export function positionals(words: string[], valueOptions: ReadonlySet<string> = NO_VALUE_OPTIONS): string[] {
  const out: string[] = [];
  for (let k = 1; k < words.length; k++) {
    const w = words[k] ?? "";
    if (w === "--") {
      out.push(...words.slice(k + 1));
      break;
    }
    if (w.startsWith("-") && w !== "-") {
      if (valueOptions.has(w)) k++;
      continue;
    }
    out.push(w);
  }
  return out;
}

/** "in session box" / "inside unshare" — where a command runs, for messages. */
export function whereItRuns(site: CommandSite): string {
  const parts = [site.block.session === DEFAULT_SESSION ? "in the host session" : `in session \`${site.block.session}\``];
  if (site.wrappers.length > 0) parts.push(`via ${site.wrappers.join(" → ")}`);
  return parts.join(" ");
}

// Variables a lab never sets: bash expands them to nothing, so `iptables ${x}-F` is `iptables -F` and
// `dd of=/dev/sd${x}a` writes /dev/sda. The gate reads a variable it cannot resolve as unknown; one that nothing in
// the lab (or the shell, or rootlab) can set is refused where it makes a command unknown. Pure.
import { ROOTLAB_VARS } from "./expand.js";
import type { CommandSite } from "./sites.js";

/** Variables bash, login and rootlab's sessions set themselves. */
const SHELL_VARS = /^(HOME|PATH|PWD|OLDPWD|USER|LOGNAME|SHELL|TERM|LANG|LC_\w+|TZ|HOSTNAME|HOSTTYPE|OSTYPE|MACHTYPE|UID|EUID|PPID|BASHPID|BASH\w*|RANDOM|SRANDOM|SECONDS|EPOCH\w+|LINENO|FUNCNAME|IFS|PS\d|PROMPT_\w+|REPLY|OPTARG|OPTIND|OPTERR|PIPESTATUS|GROUPS|SHLVL|SHELLOPTS|COLUMNS|LINES|HISTFILE|HIST\w+|TMPDIR|MAIL\w*|DISPLAY|EDITOR|VISUAL|PAGER|SUDO_\w+|XDG_\w+|DBUS_\w+|NO_COLOR|ROOTLAB_\w+|COPROC\w*)$/;

/**
 * Every name the lab's code could set: `NAME=`/`NAME+=` anywhere (also in here-documents of scripts it writes),
 * `${NAME:=…}`, and the names after `read`, `for`, `select`, `mapfile`, `printf -v`, `getopts`, `declare` and kin.
 * Generous on purpose: a name listed here is judged as before (unknown), never refused for being unset.
 */
function settableNames(code: string): Set<string> {
  const out = new Set<string>();
  for (const m of code.matchAll(/\b([A-Za-z_]\w*)(\[[^\]]*\])?\+?=/g)) out.add(m[1] as string);
  for (const m of code.matchAll(/\$\{([A-Za-z_]\w*):?=/g)) out.add(m[1] as string);
  for (const m of code.matchAll(/\b(?:read|for|select|mapfile|readarray|getopts|declare|typeset|local|export|readonly|coproc|let|unset|printf\s+-v)\b([^;&|\n]*)/g)) {
    for (const w of (m[1] ?? "").matchAll(/(?:^|\s)-?-?([A-Za-z_]\w*)/g)) out.add(w[1] as string);
  }
  for (const m of code.matchAll(/\(\(\s*([A-Za-z_]\w*)/g)) out.add(m[1] as string);
  return out;
}

const settableOnce = new WeakMap<CommandSite[], Set<string>>();

/** The names of variables a command's unknown words or redirections read that the lab never sets. */
export function unsetVariables(site: CommandSite, sites: CommandSite[]): string[] {
  // Inside a chroot or container the root's own files set what they set (`. /etc/os-release`); a block that
  // sources a file or evals text may set any name.
  if (site.isolation.root || /(^|[\s;&|({])(\.|source|eval)\s/m.test(site.block.code)) return [];
  let settable = settableOnce.get(sites);
  if (!settable) {
    settable = settableNames([...new Set(sites.map((s) => s.block))].map((b) => b.code).join("\n"));
    settableOnce.set(sites, settable);
  }
  // Only where the empty value changes a word into another one: `${x}-F`, `reboot$x`, `/dev/sd${x}a`. A variable
  // that is a whole word or path part (`rm -rf "$W"`, `/proc/$pid/…`) becomes nothing, which other rules judge.
  const texts = [...site.fields.filter((f) => !f.known).map((f) => f.raw ?? f.text), ...site.redirects.map((r) => r.target)];
  const names = texts.flatMap((t) => {
    const text = t.replace(/["']/g, "");
    return [...text.matchAll(/\$\{?([A-Za-z_]\w*)\}?/g)].filter((m) => {
      const before = text[(m.index ?? 0) - 1] ?? "";
      const after = text[(m.index ?? 0) + m[0].length] ?? "";
      return !(/^\/?$/.test(before) && /^\/?$/.test(after));
    }).map((m) => m[1] as string);
  });
  const known = settable;
  return [...new Set(names.filter((n) => !known.has(n) && !SHELL_VARS.test(n) && !ROOTLAB_VARS.test(n)))];
}

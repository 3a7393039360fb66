// Host-wide kernel settings: a lab that writes one (sysctl -w, > /proc/sys/…) restores it in a cleanup.
// net.* settings written inside the lab's own network namespace are that namespace's, not the host's.
import type { Problem } from "../../format/diagnostics.js";
import type { LintRule } from "../types.js";
import { commandName, positionals, whereItRuns, type CommandSite } from "../sites.js";
import { siteIndex } from "../site-index.js";
import { FILE_WRITERS, resolvePath, systemAliases, throughAliases, writtenFiles } from "../host-paths.js";

/** `net.ipv4.ip_forward` for both `sysctl -w net.ipv4.ip_forward=1` and `> /proc/sys/net/ipv4/ip_forward`. */
function keyOfPath(path: string): string {
  return path.replace(/\//g, ".");
}

/**
 * The /proc/sys file a resolved path names: also under another root (`$ROOTFS/proc/sys/…` after proc is mounted
 * there is the same kernel's), and where a `..` through a link the gate cannot follow leaves `proc/sys` in it.
 */
const PROC_SYS = /(?:^|\/)proc\/sys\/(.+)$/;

/** The sysctl keys a command writes (`cwd`: the session's directory after a literal `cd`, if any). */
export function writtenSysctls(site: CommandSite, cwd?: string, aliases: [string, string][] = []): string[] {
  const keys: string[] = [];
  const name = commandName(site);
  if (name === "systemd-sysctl") keys.push("(a sysctl file)");
  if (name === "sysctl") {
    // `-p`, `-f` (the same), `--load=`, `--system`, also among other short options (`-qp`).
    const load = site.words.some((w) => /^(--load|--system)|^-[a-zA-Z]*[pf]/.test(w));
    if (load) keys.push("(a sysctl file)");
    for (const arg of positionals(site.words, new Set(["-p", "-f", "--load"]))) {
      const m = /^([a-z0-9_./-]+)\s*=/i.exec(arg);
      if (m) keys.push((m[1] as string).replace(/\//g, "."));
    }
  }
  for (const file of writtenFiles(site)) {
    const key = PROC_SYS.exec(throughAliases(resolvePath(file, cwd), aliases))?.[1];
    if (key !== undefined) keys.push(keyOfPath(key));
  }
  return keys;
}

/** The literal values the lab's source assigns to a shell variable (`CDPATH=/proc/sys`, `export OLDPWD=…`). */
function assignedValues(lines: string[], name: string): string[] {
  const needle = `${name}=`;
  const out: string[] = [];
  let re: RegExp | undefined;
  for (const l of lines) {
    if (!l.includes(needle)) continue;
    re ??= new RegExp(`(?:^|[\\s;&|(])${name}=(?:'([^']*)'|"([^"$\`]*)"|([^\\s;&|)'"$\`]+))`, "g");
    for (const m of l.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3] ?? "");
  }
  return out;
}

/** Per-network-namespace keys are safe inside the lab's own network namespace. */
const hostWide = (key: string, site: CommandSite) => !(site.isolation.net && key.startsWith("net."));

export const safetySysctl: LintRule = {
  code: "safety/sysctl",
  severity: "error",
  description: "writes a host-wide kernel setting (sysctl -w, > /proc/sys/…) that no cleanup block restores",
  check: ({ sites, lines }) => {
    const index = siteIndex(sites);
    // sysctl and tee by name; `> /proc/sys/…` by its redirection.
    // Every redirection counts here: after `cd /proc/sys/…`, `> ip_forward` is a sysctl.
    const writers = index.select((n) => /^(sysctl|systemd-sysctl|cd|pushd)$/.test(n) || FILE_WRITERS.test(n), index.redirected);
    const aliases = systemAliases(sites);
    const restored = new Set(writers.filter((s) => s.block.role === "cleanup").flatMap((s) => writtenSysctls(s, undefined, aliases)));
    const problems: Problem[] = [];
    // Folders `cd` may reach through the lab's CDPATH, and what `cd -` returns to when the lab sets OLDPWD.
    let cdpath: string[] | undefined;
    let oldpwd: string[] | undefined;
    // Each session's directory after a literal `cd` (sites come in run order); unknown after any other cd.
    const cwdOf = new Map<string, string | undefined>();
    const before = new Map<string, string | undefined>();
    for (const site of writers) {
      const session = site.block.enter ?? site.block.session;
      if (commandName(site) === "cd" || commandName(site) === "pushd") {
        if (site.block.role === "verify") continue;
        const to = site.fields.slice(1).find((f) => !/^-[LPe@]+$/.test(f.text));
        const from = cwdOf.get(session);
        const previous = before.get(session);
        before.set(session, from);
        // Of the places a cd may go (`cd -`, a CDPATH entry), the one in /proc or /sys is the one that matters.
        const candidates = to === undefined || !to.known || site.isolation.root ? [] : to.text === "-" ? [previous, ...(oldpwd ??= assignedValues(lines, "OLDPWD"))].filter((c): c is string => c !== undefined) : [resolvePath(to.text, from), ...(to.text.startsWith("/") || to.text.startsWith(".") ? [] : (cdpath ??= assignedValues(lines, "CDPATH").flatMap((v) => v.split(":"))).map((d) => resolvePath(to.text, d)))];
        cwdOf.set(session, candidates.find((c) => /^\/(proc|sys)(\/|$)/.test(throughAliases(c, aliases))) ?? candidates[0]);
        continue;
      }
      if (site.block.role === "cleanup" || site.block.role === "verify") continue;
      for (const key of writtenSysctls(site, cwdOf.get(session), aliases)) {
        if (!hostWide(key, site) || restored.has(key)) continue;
        problems.push({
          line: site.line,
          column: site.column,
          code: "safety/sysctl",
          message: `this command changes the host-wide setting \`${key}\` (${whereItRuns(site)}) and no cleanup block sets it back`,
          expected: "save the old value and restore it in a ```sh cleanup block, or change the setting inside the lab's own network namespace (net.* keys)",
          example: `\`\`\`sh\ncat /proc/sys/${key.replace(/\./g, "/")} > "$LAB_DIR/old"\nsysctl -w ${key}=1\n\`\`\`\n\n\`\`\`sh cleanup\n[ -f "$LAB_DIR/old" ] && sysctl -w ${key}="$(cat "$LAB_DIR/old")" || true\n\`\`\``,
        });
      }
    }
    return problems;
  },
};

// Host-wide kernel settings: a lab that writes one (sysctl -w, > /proc/sys/…) restores it in a cleanup.
// net.* settings written inside the lab's own network namespace are that namespace's, not the host's.
import type { Problem } from "../../format/diagnostics.js";
import type { LintRule } from "../types.js";
import { commandName, positionals, whereItRuns, type CommandSite } from "../sites.js";
import { siteIndex } from "../site-index.js";

/** `net.ipv4.ip_forward` for both `sysctl -w net.ipv4.ip_forward=1` and `> /proc/sys/net/ipv4/ip_forward`. */
function keyOfPath(path: string): string {
  return path.replace(/^\/proc\/sys\//, "").replace(/\//g, ".");
}

/** The sysctl keys a command writes. */
export function writtenSysctls(site: CommandSite): string[] {
  const keys: string[] = [];
  const name = commandName(site);
  if (name === "sysctl") {
    const load = site.words.some((w) => /^(-p|--load|--system)/.test(w));
    if (load) keys.push("(a sysctl file)");
    for (const arg of positionals(site.words, new Set(["-p", "--load"]))) {
      const m = /^([a-z0-9_./-]+)\s*=/i.exec(arg);
      if (m) keys.push((m[1] as string).replace(/\//g, "."));
    }
  }
  for (const r of site.redirects) if (/^>/.test(r.op) && r.target.startsWith("/proc/sys/")) keys.push(keyOfPath(r.target));
  if (name === "tee") for (const arg of positionals(site.words)) if (arg.startsWith("/proc/sys/")) keys.push(keyOfPath(arg));
  return keys;
}

/** Per-network-namespace keys are safe inside the lab's own network namespace. */
const hostWide = (key: string, site: CommandSite) => !(site.isolation.net && key.startsWith("net."));

export const safetySysctl: LintRule = {
  code: "safety/sysctl",
  severity: "error",
  description: "writes a host-wide kernel setting (sysctl -w, > /proc/sys/…) that no cleanup block restores",
  check: ({ sites }) => {
    const index = siteIndex(sites);
    // sysctl and tee by name; `> /proc/sys/…` by its redirection.
    const writers = index.select(/^(sysctl|tee)$/, index.redirectedToPath);
    const restored = new Set(writers.filter((s) => s.block.role === "cleanup").flatMap(writtenSysctls));
    const problems: Problem[] = [];
    for (const site of writers) {
      if (site.block.role === "cleanup" || site.block.role === "verify") continue;
      for (const key of writtenSysctls(site)) {
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

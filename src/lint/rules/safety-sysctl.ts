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

/** A path as the kernel resolves it (`//`, `/./`, `a/../`), relative ones from `cwd` when it is known. */
function resolvePath(path: string, cwd: string | undefined): string {
  // `~/x` is a home folder, `$X/…` only the run knows: neither is relative to the session's directory.
  const full = path.startsWith("/") ? path : cwd !== undefined && !path.includes("$") && !path.startsWith("~") ? `${cwd}/${path}` : path;
  if (!full.startsWith("/")) return full;
  const parts: string[] = [];
  for (const p of full.split("/")) {
    if (p === "" || p === ".") continue;
    if (p === "..") parts.pop();
    else parts.push(p);
  }
  // `/proc/self/..` is /proc: `self` is a link to a folder of /proc. `/proc/1/root/…` is `/…` (PID 1's root).
  return `/${parts.join("/")}`.replace(/^(\/proc\/(\d+|self|thread-self)\/root)+(?=\/)/, "");
}

/** The files a command writes: redirections, tee's, `dd of=`, the target of cp/install/mv. */
function writtenFiles(site: CommandSite): string[] {
  const name = commandName(site);
  const out = site.redirects.filter((r) => /^>/.test(r.op)).map((r) => r.target);
  if (name === "tee") out.push(...positionals(site.words));
  if (name === "dd") out.push(...site.words.flatMap((w) => (w.startsWith("of=") ? [w.slice(3)] : [])));
  if (/^(cp|install|mv)$/.test(name)) out.push(positionals(site.words, new Set(["-t", "--target-directory", "-m", "--mode", "-o", "-g", "-S"])).at(-1) ?? "");
  return out;
}

/** The sysctl keys a command writes (`cwd`: the session's directory after a literal `cd`, if any). */
export function writtenSysctls(site: CommandSite, cwd?: string): string[] {
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
  for (const file of writtenFiles(site)) {
    const path = resolvePath(file, cwd);
    if (path.startsWith("/proc/sys/")) keys.push(keyOfPath(path));
  }
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
    // Every redirection counts here: after `cd /proc/sys/…`, `> ip_forward` is a sysctl.
    const writers = index.select(/^(sysctl|tee|dd|cp|install|mv|cd)$/, index.redirected);
    const restored = new Set(writers.filter((s) => s.block.role === "cleanup").flatMap((s) => writtenSysctls(s)));
    const problems: Problem[] = [];
    // Each session's directory after a literal `cd` (sites come in run order); unknown after any other cd.
    const cwdOf = new Map<string, string | undefined>();
    for (const site of writers) {
      const session = site.block.enter ?? site.block.session;
      if (commandName(site) === "cd") {
        const to = site.fields[1];
        if (site.block.role !== "verify") cwdOf.set(session, to?.known && !site.isolation.root ? resolvePath(to.text, cwdOf.get(session)) : undefined);
        continue;
      }
      if (site.block.role === "cleanup" || site.block.role === "verify") continue;
      for (const key of writtenSysctls(site, cwdOf.get(session))) {
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

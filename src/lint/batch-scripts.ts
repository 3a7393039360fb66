// Files of commands for one tool, read as that tool's commands: `ip -batch`, `tc -batch`, `nft -f` (and `nft -i`,
// which reads commands from its input), and the rules of `iptables-restore --noflush` (without --noflush the
// restore replaces the host's tables, which safety/host-firewall refuses by itself).
import type { Source } from "./scripts.js";

/** Paths that are the command's standard input. */
export const STDIN_FILE = /^(-|\/dev\/stdin|\/dev\/fd\/0|\/proc\/(self|thread-self)\/fd\/0)$/;

type Stdin = () => Source | undefined;
type FileText = (path: string, via: string) => Source;
type Batch = Source & { prefix?: string };

const fromInput = (stdin: Stdin): Source => stdin() ?? { unknown: "standard input" };

export function batchScripts(name: string, words: string[], stdin: Stdin, file: FileText): Batch[] {
  const out: Batch[] = [];
  // ip, tc and bridge read `-b`/`-batch` (any prefix of it) the same way.
  if (name === "ip" || name === "tc" || name === "bridge") {
    const at = words.findIndex((w) => /^--?b(a(t(ch?)?)?)?$/.test(w));
    if (at > 0) {
      const globals = words.slice(1, at).join(" ");
      const path = words[at + 1] ?? "";
      out.push({ ...(STDIN_FILE.test(path) ? fromInput(stdin) : file(path, `${name} -batch`)), prefix: `${name} ${globals} ` });
    }
  }
  if (name === "nft") {
    const at = words.findIndex((w) => w === "-f" || w === "--file" || /^--file=/.test(w));
    const interactive = words.some((w) => w === "-i" || w === "--interactive");
    if (at > 0 || interactive) {
      const path = at < 0 ? "-" : /^--file=/.test(words[at] ?? "") ? (words[at] ?? "").slice(7) : words[at + 1] ?? "";
      const src = STDIN_FILE.test(path) ? fromInput(stdin) : file(path, "nft -f");
      out.push({ ...("code" in src ? { ...src, code: nftCommands(src.code) } : src), prefix: "nft " });
    }
  }
  const restore = /^((?:ip6?|eb|arp)tables(?:-nft|-legacy)?)-restore$/.exec(name);
  if (restore && words.some((w) => w === "-n" || w === "--noflush" || /^-[a-zA-Z]*n[a-zA-Z]*$/.test(w))) {
    const path = words.slice(1).find((w) => !w.startsWith("-"));
    const src = path === undefined || STDIN_FILE.test(path) ? fromInput(stdin) : file(path, name);
    out.push({ ...("code" in src ? { ...src, code: restoreCommands(src.code) } : src), prefix: `${restore[1]} ` });
  }
  return out;
}

const BUILTIN_CHAINS = /^(INPUT|OUTPUT|FORWARD|PREROUTING|POSTROUTING|BROUTING)$/;

/**
 * An iptables-restore file as one iptables command per line: `*TABLE` picks the table, `:CHAIN POLICY [n:m]` sets
 * a built-in chain's policy (or creates a chain of the lab's own), and each rule line runs in its table.
 */
export function restoreCommands(text: string): string {
  const out: string[] = [];
  let table = "filter";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line === "COMMIT") continue;
    if (line.startsWith("*")) table = line.slice(1).trim() || "filter";
    else if (line.startsWith(":")) {
      const [chain = "", policy = "-"] = line.slice(1).split(/\s+/);
      out.push(BUILTIN_CHAINS.test(chain) ? (policy === "-" ? "" : `-t ${table} -P ${chain} ${policy}`) : `-t ${table} -N ${chain}`);
    } else out.push(`-t ${table} ${line}`);
  }
  return out.filter(Boolean).join("\n");
}

/**
 * An nft script as one command per line, as `nft` would run it: top-level statements as they are, a
 * `table FAMILY NAME { … }` block as `add table FAMILY NAME` (what it creates; its body is that table's own).
 */
export function nftCommands(script: string): string {
  const out: string[] = [];
  let depth = 0;
  let table = "";
  for (const rawLine of script.split("\n")) {
    const line = rawLine.replace(/#.*$/, "").trim();
    if (line === "") continue;
    if (depth === 0) {
      const decl = /^(?:add\s+|create\s+)?table\s+([^{]+?)\s*\{/.exec(line);
      if (decl) out.push(`add table ${(table = decl[1] as string)}`);
      else for (const stmt of line.split(";")) if (stmt.trim() !== "") out.push(stmt.trim().replace(/\s*\{.*$/, ""));
    } else {
      // Inside the table: its chains' policies and rules, so a base chain that drops everything is seen.
      if (/\bpolicy\s+drop\b/.test(line)) out.push(`add chain ${table} - hook policy drop`);
      else if (depth >= 2 && /\b(drop|reject)\b/.test(line)) out.push(`add rule ${table} - ${line.replace(/[;{}]/g, " ")}`);
    }
    depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
    if (depth < 0) depth = 0;
  }
  return out.join("\n");
}

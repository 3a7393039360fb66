// Steps that create resources outside $LAB_DIR have a cleanup that runs even when the lab fails half-way.
// `background` blocks need none for their process: rootlab stops them at lab end (LAB-FORMAT.md).
import type { Problem } from "../../format/diagnostics.js";
import type { LintRule } from "../types.js";
import type { Step as LintStep } from "../../format/types.js";
import { commandName, positionals, type CommandSite } from "../sites.js";
import { ipArgs, ipInOtherNetns } from "../addresses.js";
import { siteIndex } from "../site-index.js";

/** The commands createdResource() judges by name (a wrapped command may be a background container too). */
const CREATING = /^(ip|unshare|systemd-nspawn|mount|ip6?tables|nft|mkdir|losetup)$/;
/** Options that take a value, per command (made once: a set per call showed in lint's allocations). */
const MOUNT_VALUE_OPTIONS = new Set(["-t", "--types", "-o", "--options", "-O", "-L", "-U"]);
const NFT_VALUE_OPTIONS = new Set(["-f", "--file", "-I"]);
const MKDIR_VALUE_OPTIONS = new Set(["-m", "--mode"]);

/** What a command creates that outlives the block (undefined when nothing rootlab would not remove itself). */
export function createdResource(site: CommandSite): string | undefined {
  const name = commandName(site);
  const w = site.words;
  if (site.block.role !== "command" && site.block.role !== "solution" && site.block.role !== "setup") return undefined;
  if (name === "ip") {
    const [object = "", action = ""] = ipArgs(w);
    if (/^netns$/.test(object) && action === "add") return "a network namespace";
    // A link created inside another namespace dies with that namespace.
    if (/^(link|l|tuntap)$/.test(object) && action === "add" && !site.isolation.net && !ipInOtherNetns(w)) return "a network link";
  }
  // A command ended by `&` inside an ordinary block is the lab's own job; a `background` block's is rootlab's.
  const ownJob = site.background && !site.block.background;
  if ((name === "unshare" || name === "systemd-nspawn") && ownJob) return `a background ${name}`;
  if (site.wrappers.some((x) => x === "unshare" || x === "systemd-nspawn") && ownJob) return "a background container";
  // `mount` alone (or `mount -t proc`) lists mounts; creating one needs a source or target.
  if (name === "mount" && positionals(w, MOUNT_VALUE_OPTIONS).length > 0 && !site.isolation.mnt && !w.some((x) => x === "remount" || /^-o.*remount/.test(x) || /^--make-/.test(x))) return "a mount";
  if (/^(ip6?tables)$/.test(name) && !site.isolation.net && w.some((x) => /^(-A|-I|-N|--append|--insert|--new-chain)$/.test(x))) return "a firewall rule";
  if (name === "nft" && !site.isolation.net && positionals(w, NFT_VALUE_OPTIONS).some((x, i, all) => i === 0 && /^(add|create|insert)$/.test(x) && all.length > 1)) return "an nftables table/chain/rule";
  if (name === "mkdir" && positionals(w, MKDIR_VALUE_OPTIONS).some((p) => p.startsWith("/sys/fs/cgroup/"))) return "a cgroup";
  if (name === "losetup" && !w.includes("-d") && !w.includes("-D")) return "a loop device";
  return undefined;
}

export const cleanupMissing: LintRule = {
  code: "cleanup/missing",
  severity: "error",
  description: "a step creates something outside $LAB_DIR (netns, link, mount, firewall rule, cgroup, a process left running with `&`) with no `cleanup` block in the step and no `## Cleanup` (`background` blocks are stopped by rootlab)",
  check: ({ lab, sites }) => {
    if (lab.cleanup.length > 0) return [];
    const problems: Problem[] = [];
    const index = siteIndex(sites);
    // The first site of each step that creates something (sites in document order).
    const firstOf = new Map<LintStep, CommandSite>();
    for (const s of index.select(CREATING, index.wrapped)) if (s.step && !firstOf.has(s.step) && createdResource(s) !== undefined) firstOf.set(s.step, s);
    for (const step of lab.steps) {
      if (step.blocks.some((b) => b.role === "cleanup")) continue;
      const first = firstOf.get(step);
      if (!first) continue;
      const what = createdResource(first) as string;
      problems.push({
        line: first.line,
        column: first.column,
        code: "cleanup/missing",
        message: `this command creates ${what}, but step "${step.title}" has no cleanup block and the lab has no \`## Cleanup\``,
        expected: "a ```sh cleanup block in the step (registered when the step starts, run at lab end even after a failure), idempotent",
        example: "```sh cleanup\nip netns del rl-red 2>/dev/null || true\n```",
      });
    }
    return problems;
  },
};

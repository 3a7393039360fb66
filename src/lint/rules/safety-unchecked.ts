// What the safety gate cannot read before the run, it refuses rather than guesses: a script from a pipe or a
// file the lab does not write, a command name from an expansion, or an interface a host command changes whose
// name only the run knows (`ip link set $(…) down`). Each comes with how to write it so the gate can check it.
import type { Problem } from "../../format/diagnostics.js";
import type { LintRule } from "../types.js";
import { whereItRuns, type CommandSite } from "../sites.js";
import { changedInterfaceAt, INTERFACE_COMMANDS } from "./safety-host.js";
import { NETWORK_COMMANDS, unknownPeer } from "./safety-network.js";
import { siteIndex } from "../site-index.js";
import { labPrefixes, ROOTLAB_PREFIX } from "../lab-names.js";
import { unsetVariables } from "../unset-vars.js";


function uncheckedName(site: CommandSite, prefixes: string[]): string | undefined {
  if (!site.hostNetns) return undefined;
  const at = changedInterfaceAt(site);
  const field = at === undefined ? undefined : site.fields[at];
  if (!field || field.known) return undefined;
  if (ROOTLAB_PREFIX.test(field.head) || prefixes.some((p) => field.head.startsWith(p))) return undefined;
  return `the interface it changes, \`${field.raw ?? field.text}\`, is only known when the command runs`;
}

/**
 * `ip ${x}link set eth0 down`, `ip$IFS$9link …`: what ip, tc or bridge does (its object and action) comes from an
 * expansion the gate cannot resolve — empty at run time, it is `ip link set eth0 down`.
 */
function uncheckedVerb(site: CommandSite): string | undefined {
  if (!site.hostNetns || !/^(ip|tc|bridge)$/.test(site.name)) return undefined;
  let k = 1;
  while (k < site.words.length && (site.words[k] ?? "").startsWith("-")) k += /^-(n|netns|b|batch|f|family|rc|l|loops|cf|conf|o|N)$/.test(site.words[k] ?? "") ? 2 : 1;
  // A word that is only a positional parameter (`ip "$@"` in a function) is read at each call, with its arguments.
  const verb = [site.fields[k], site.fields[k + 1]].find((f) => f !== undefined && !f.known && !/^"?\$(\{)?[@*0-9](\})?"?$/.test(f.raw ?? f.text));
  return verb === undefined ? undefined : `what \`${site.name}\` does, \`${verb.raw ?? verb.text}\`, is only known when the command runs (empty, it may be \`${verb.ifEmpty || "nothing"}\`)`;
}

function uncheckedPeer(site: CommandSite): string | undefined {
  const peer = unknownPeer(site);
  return peer === undefined ? undefined : `the address it reaches, \`${peer}\`, is only known when the command runs (loopback, or the internet?)`;
}

export const safetyUnchecked: LintRule = {
  code: "safety/unchecked",
  severity: "error",
  description: "the safety gate cannot know what a command does before it runs: a script from a pipe or an unknown file, a command name or a host interface from an expansion",
  check: ({ sites }) => {
    const prefixes = labPrefixes(sites);
    const problems: Problem[] = [];
    const index = siteIndex(sites);
    const reported = new Set<CommandSite>();
    // What the gate could not read, interfaces only the run names, peers only the run knows.
    for (const site of index.select((n) => INTERFACE_COMMANDS.test(n) || n in NETWORK_COMMANDS, index.unchecked, index.redirectedToPath)) {
      const why = site.unchecked ?? uncheckedName(site, prefixes) ?? uncheckedVerb(site) ?? uncheckedPeer(site);
      if (!why) continue;
      reported.add(site);
      const name = site.unchecked?.startsWith("it runs") ? "script" : "name";
      problems.push({
        line: site.line,
        column: site.column,
        code: "safety/unchecked",
        message: `the safety gate cannot check \`${site.words.slice(0, 4).join(" ") || site.wrappers.at(-1) || "this command"}\` (${whereItRuns(site)}): ${why}`,
        expected:
          name === "script"
            ? "commands the gate can read: written in the block, or in a file the lab writes itself (`cat > \"$LAB_DIR/x.sh\" <<'EOF'` … `EOF`, then `sh \"$LAB_DIR/x.sh\"`)"
            : "a literal name with the lab's prefix (`rl-br0`) or address the lab assigns (`10.231.3.2`), a variable set to one (`dev=rl-br0`), a `for` list of them, or the command inside the lab's own namespace (`ip netns exec NS …`)",
        example: name === "script" ? "cat > \"$LAB_DIR/up.sh\" <<'EOF'\nip link set rl-h1 up\nEOF\nsh \"$LAB_DIR/up.sh\"" : "for dev in rl-h1 rl-h2; do\n  ip link set \"$dev\" up\ndone",
      });
    }
    // Any command: a variable nothing in the lab sets is empty at run time (`iptables ${x}-F` is `iptables -F`).
    for (const site of sites) {
      const names = reported.has(site) ? [] : unsetVariables(site, sites);
      if (names.length === 0) continue;
      problems.push({
        line: site.line,
        column: site.column,
        code: "safety/unchecked",
        message: `the safety gate cannot check \`${site.words.slice(0, 4).join(" ") || "this command"}\` (${whereItRuns(site)}): \`$${names[0]}\` is never set in this lab, so bash makes it empty — what the command is then, the gate cannot tell`,
        expected: "a variable the lab sets before it uses it (`dev=rl-br0`), or the value written out",
        example: "dev=rl-br0\nip link set \"$dev\" up",
      });
    }
    return problems;
  },
};

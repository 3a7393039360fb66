// For the author of a lab that left something behind: where the lab made it (file:line) and the cleanup line that
// removes it. The leak check names what was left ("netns rl-red"); the lab's text names it as a whole word where
// it is made, so the first such line outside a cleanup block is where to look.
import type { Lab } from "../format/types.js";
import type { Leak } from "../host/types.js";
import type { Detail } from "./details.js";
import { removalCommand } from "./console-format.js";

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The line (1-based) of the lab's text that first names NAME as a whole word outside cleanup blocks. */
function madeAt(lab: Lab, name: string): number | undefined {
  const lines = (lab.source ?? "").split("\n");
  const cleanupLines = new Set<number>();
  for (const b of [...lab.steps.flatMap((s) => s.blocks), ...lab.cleanup]) {
    if (b.role !== "cleanup") continue;
    const count = b.code.split("\n").length;
    for (let i = 0; i < count; i++) cleanupLines.add(b.codeLine + i);
  }
  const word = new RegExp(`(?<![\\w.-])${escape(name)}(?![\\w-])`);
  const at = lines.findIndex((l, i) => !cleanupLines.has(i + 1) && word.test(l));
  return at === -1 ? undefined : at + 1;
}

/** One `fix:` detail per network namespace or link the lab left, when its text shows where it was made. */
export function leakFixes(lab: Lab | undefined, leaks: Leak[]): Detail[] {
  if (!lab) return [];
  return leaks.flatMap((leak): Detail[] => {
    if (leak.kind !== "netns" && leak.kind !== "link") return [];
    const name = leak.name.replace(/ \([^()]*\)$/, "").split("@")[0] ?? leak.name;
    const line = madeAt(lab, name);
    if (line === undefined) return [];
    const step = [...lab.steps].reverse().find((s) => s.line <= line);
    const where = step ? `step ${step.index + 1} "${step.title}"` : "the lab";
    return [{ label: "fix", text: `${leak.kind} ${name} is made at ${lab.file}:${line} and no cleanup removes it: add \`${removalCommand(leak)} 2>/dev/null || true\` to a \`\`\`sh cleanup block of ${where}` }];
  });
}

// Which prose of a step to show when: the intro before anything, the text between commands right before the
// command it leads to, text after the last command but before the checks just before them, and the
// explanation once the step passed. Pure.
import type { Block, Step } from "../format/types.js";

export interface StepText {
  /** Prose written right before each command (after the previous block), in order. */
  beforeCommand: Map<Block, string[]>;
  /** Prose between the last command and the step's last block (e.g. before its checks). */
  beforeChecks: string[];
}

export function stepText(step: Step): StepText {
  const beforeCommand = new Map<Block, string[]>();
  const blockIndexes = step.parts.flatMap((p, i) => (p.kind === "block" ? [i] : []));
  const first = blockIndexes[0] ?? step.parts.length;
  const last = blockIndexes.at(-1) ?? -1;
  let pending: string[] = [];
  step.parts.forEach((part, i) => {
    // Before the first block: the intro; after the last: the explanation. Both are shown elsewhere.
    if (i < first || i > last) return;
    if (part.kind === "prose") pending.push(part.markdown);
    else if (part.kind === "block" && part.block.role === "command") {
      if (pending.length > 0) beforeCommand.set(part.block, pending);
      pending = [];
    }
  });
  return { beforeCommand, beforeChecks: pending };
}

// Which block of a lab a BlockRef (from a RunEvent) points at, for the reports: the collector attaches it to its
// record, the console shows its code. Pure; each lab is indexed once.
import type { Block, Lab } from "../format/types.js";
import type { BlockRef } from "../exec/types.js";

/** Per lab, its blocks by where they are (`s<step>:<line>`, `c:<line>` for ## Cleanup) and by line alone (`g:<line>`). */
const blockIndex = new WeakMap<Lab, Map<string, Block>>();

function indexOf(lab: Lab): Map<string, Block> {
  let index = blockIndex.get(lab);
  if (index) return index;
  const map = new Map<string, Block>();
  const add = (key: string, b: Block) => map.has(key) || map.set(key, b); // the first one, as a search would find
  for (const step of lab.steps) {
    for (const b of [...step.blocks, ...step.wrongAttempts.flatMap((w) => (w.undo ? [w, w.undo] : [w]))]) {
      add(`s${step.index}:${b.line}`, b);
      add(`g:${b.line}`, b);
    }
  }
  for (const b of lab.cleanup) add(`c:${b.line}`, b);
  index = map;
  blockIndex.set(lab, index);
  return index;
}

/**
 * The Block a BlockRef points at, found by its fence line: in its step (or ## Cleanup), else anywhere in the steps.
 * Indexed once per lab (a search per event made a lab of n blocks cost n² in its reports).
 */
export function findBlock(lab: Lab | undefined, ref: BlockRef): Block | undefined {
  if (!lab) return undefined;
  const index = indexOf(lab);
  const local = ref.stepIndex < 0 ? undefined : index.get(`s${ref.stepIndex}:${ref.line}`);
  return local ?? index.get(`c:${ref.line}`) ?? index.get(`g:${ref.line}`);
}

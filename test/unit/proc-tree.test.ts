import { describe, expect, it } from "vitest";
import { killableDescendants, type ProcInfo } from "../../src/exec/proc-tree.js";

/** A process table from [pid, ppid] pairs. */
function table(pairs: [number, number][]): Map<number, ProcInfo> {
  return new Map(pairs.map(([pid, ppid]) => [pid, { pid, ppid, state: "S", start: "1" }]));
}

// host bash 10
//  ├─ 11 sleep (the timed-out block)
//  ├─ 12 bash subshell ─ 13 unshare ─ 14 bash (session c) ─ 15 sleep (a block in c)
//  └─ 16 subshell (background block) ─ 17 sleep
const TREE = table([[10, 1], [11, 10], [12, 10], [13, 12], [14, 13], [15, 14], [16, 10], [17, 16]]);

/** [name, timed-out shell, protected roots (other sessions, background jobs), expected kills] */
const CASES: [string, number, number[], number[]][] = [
  ["host: spares session c, its carriers and the background job", 10, [14, 16], [11]],
  ["c: the host (an ancestor) does not shield c's own block", 14, [10, 16], [15]],
  ["nothing protected: everything below", 10, [], [11, 12, 16, 13, 17, 14, 15]],
  ["a protected root that is gone changes nothing", 14, [99], [15]],
];

describe("killableDescendants", () => {
  it.each(CASES)("%s", (_name, root, spared, kills) => {
    expect(killableDescendants(TREE, root, spared).sort()).toEqual(kills.sort());
  });
});

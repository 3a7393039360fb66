import { describe, expect, it } from "vitest";
import { killableDescendants, waitsForInput, type ProcInfo } from "../../src/exec/proc-tree.js";

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

// /proc/PID/syscall of a shell (x86_64): what counts as waiting for its next line on the terminal.
const WAITS: [string, string, boolean][] = [
  ["bash: read(2) on fd 0", "0 0x0 0x7ffd2a1b3c47 0x1 0x0 0x0 0x0 0x7ffd2a1b3c28 0x7f3c9d2e1992", true],
  ["read(2) on another fd (a block's own read)", "0 0x3 0x7ffd2a1b3c47 0x1 0x0 0x0 0x0 0x7ffd2a1b3c28 0x7f3c9d2e1992", false],
  ["busybox ash's line editor after kill -INT $$: poll(2), one fd, no timeout", "7 0x7ffdf7b80280 0x1 0xffffffff 0x0 0x0 0x0 0x7ffdf7b80258 0x4a2f1b", true],
  ["poll(2) with a timeout (read -t in a block)", "7 0x7ffdf7b80280 0x1 0x1388 0x0 0x0 0x0 0x7ffdf7b80258 0x4a2f1b", false],
  ["poll(2) on several fds", "7 0x7ffdf7b80280 0x2 0xffffffff 0x0 0x0 0x0 0x7ffdf7b80258 0x4a2f1b", false],
  ["ppoll(2), one fd, no timeout", "271 0x7ffdf7b80280 0x1 0x0 0x0 0x8 0x0 0x7ffdf7b80258 0x4a2f1b", true],
  ["ppoll(2) with a timeout", "271 0x7ffdf7b80280 0x1 0x7ffdf7b80300 0x0 0x8 0x0 0x7ffdf7b80258 0x4a2f1b", false],
  ["wait4 (running a command)", "61 0xffffffff 0x7ffd2a1b3a10 0x0 0x0 0x0 0x0 0x7ffd2a1b39f8 0x7f3c9d2b13ea", false],
  ["running", "running", false],
];

describe("waitsForInput", () => {
  it.each(WAITS)("%s", (_name, syscall, want) => {
    expect(waitsForInput(syscall)).toBe(want);
  });
});

import { describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { killableDescendants, waitsForInput, type ProcInfo } from "../../src/exec/proc-tree.js";
import { WAIT_SYSCALLS, waitSyscalls } from "../../src/exec/syscall-numbers.js";

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

// /proc/PID/syscall of a shell on x86_64: what counts as waiting for its next line on the terminal.
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

// The same on arm64 (asm-generic numbers: read 63, no poll, ppoll 73; x86_64's numbers mean other calls there).
const WAITS_ARM64: [string, string, boolean][] = [
  ["bash: read(2) on fd 0", "63 0x0 0xffffd2a1b3c47 0x1 0x0 0x0 0x0 0xffffd2a1b3c20 0xffff9d2e1992", true],
  ["read(2) on another fd", "63 0x3 0xffffd2a1b3c47 0x1 0x0 0x0 0x0 0xffffd2a1b3c20 0xffff9d2e1992", false],
  ["busybox ash's line editor: poll() is ppoll(2), one fd, no timeout", "73 0xffffdf7b80280 0x1 0x0 0x0 0x8 0x0 0xffffdf7b80250 0x4a2f1b", true],
  ["ppoll(2) with a timeout", "73 0xffffdf7b80280 0x1 0xffffdf7b80300 0x0 0x8 0x0 0xffffdf7b80250 0x4a2f1b", false],
  ["x86_64's read number (0) is io_setup on arm64", "0 0x0 0xffffd2a1b3c47 0x1 0x0 0x0 0x0 0xffffd2a1b3c20 0xffff9d2e1992", false],
  ["x86_64's ppoll number (271) is not a wait", "271 0xffffdf7b80280 0x1 0x0 0x0 0x8 0x0 0xffffdf7b80250 0x4a2f1b", false],
  ["wait4 (running a command)", "260 0xffffffffffffffff 0xffffd2a1b3a10 0x0 0x0 0x0 0x0 0xffffd2a1b39f0 0xffff9d2b13ea", false],
  ["running", "running", false],
];

describe("waitsForInput", () => {
  it.each(WAITS)("x64: %s", (_name, syscall, want) => {
    expect(waitsForInput(syscall, "x64")).toBe(want);
  });
  it.each(WAITS_ARM64)("arm64: %s", (_name, syscall, want) => {
    expect(waitsForInput(syscall, "arm64")).toBe(want);
  });
  // No table: no verdict, whatever the numbers (the block then ends at its timeout, never by a wrong guess).
  it.each([...WAITS, ...WAITS_ARM64].filter(([, , want]) => want))("an architecture without a table: never (%s)", (_name, syscall) => {
    expect(waitsForInput(syscall, "mips")).toBe(false);
  });
});

// The table against the kernel's numbers (arch/x86/entry/syscalls/syscall_64.tbl, include/uapi/asm-generic/unistd.h).
describe("WAIT_SYSCALLS", () => {
  it.each([
    ["x64", { read: 0, poll: 7, ppoll: 271 }],
    ["arm64", { read: 63, ppoll: 73 }],
    ["riscv64", { read: 63, ppoll: 73 }],
  ] as const)("%s", (arch, want) => {
    expect(waitSyscalls(arch)).toEqual(want);
  });
  it("knows no numbers for an architecture it has no table for", () => {
    expect(waitSyscalls("mips")).toBeUndefined();
    expect(waitSyscalls("s390x")).toBeUndefined();
  });
  it("no two calls of one architecture share a number", () => {
    for (const [arch, nrs] of Object.entries(WAIT_SYSCALLS)) {
      const values = Object.values(nrs ?? {});
      expect({ arch, unique: new Set(values).size }).toEqual({ arch, unique: values.length });
    }
  });
});

// This machine's own table, on a real process: `cat` blocked reading its stdin (a pipe nothing writes to) waits in
// read(2) on fd 0, as a shell waiting for its next line does.
describe("waitsForInput on this machine", () => {
  it(`${process.arch}: a process blocked reading fd 0 is seen waiting`, async () => {
    if (!waitSyscalls()) return void console.log(`skipped: no syscall table for ${process.arch}`);
    const cat = spawn("cat", [], { stdio: ["pipe", "ignore", "ignore"] });
    try {
      await once(cat, "spawn");
      const pid = cat.pid as number;
      // Blocked: state S (sleeping) in /proc/PID/stat once its read(2) waits; until then it is starting.
      const deadline = Date.now() + 10_000;
      let syscall = "";
      while (Date.now() < deadline) {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        syscall = readFileSync(`/proc/${pid}/syscall`, "utf8");
        if (stat.slice(stat.lastIndexOf(")") + 2).startsWith("S") && /^\d/.test(syscall)) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect({ syscall, waits: waitsForInput(syscall) }).toEqual({ syscall, waits: true });
    } finally {
      cat.kill("SIGKILL");
    }
  });
});

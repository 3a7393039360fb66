import { describe, expect, it } from "vitest";
import { brokenBy, EVAL_GONE, isRestoreLoop, outputFilesError } from "../../src/exec/protocol-breaks.js";

describe("brokenBy: what a block's status line says about the session", () => {
  const CASES: [string, { ran: string; status: number }, string | undefined][] = [
    ["the body ran", { ran: "1", status: 0 }, undefined],
    ["the body ran and failed", { ran: "1", status: 127 }, undefined],
    ["eval is gone", { ran: "0", status: 127 }, EVAL_GONE],
    ["the block's own redirections failed (ulimit -n)", { ran: "0", status: 1 }, undefined],
    ["a check (not known)", { ran: "-", status: 1 }, undefined],
  ];
  it.each(CASES)("%s", (_name, result, expected) => expect(brokenBy(result)).toBe(expected));
});

describe("isRestoreLoop: busybox ash repeating that it cannot put a fd back", () => {
  const loop = "/bin/sh: 10: Bad file descriptor\n".repeat(3000);
  const CASES: [string, string, boolean][] = [
    ["only the complaint, cut anywhere", `r/sh: 10: Bad file descriptor\n${loop}`, true],
    ["the block's own output before it", `hello\n${loop}`, true],
    ["other errors in the last 64 KiB", `${loop}cat: x: No such file\n`, false],
    ["a block that printed it once", "sh: 3: Bad file descriptor\n", false],
  ];
  it.each(CASES)("%s", (_name, stderr, expected) => expect(isRestoreLoop(stderr)).toBe(expected));
});

describe("outputFilesError: the shell could not open a block's output files", () => {
  const files = ["/tmp/.rootlab-x/f2", "/tmp/.rootlab-x/f3"];
  const echo = "{ \\command eval '…' <'/tmp/.rootlab-x/in' >'/tmp/.rootlab-x/f2' 2>'/tmp/.rootlab-x/f3'\r\n";
  const CASES: [string, string, string | undefined][] = [
    ["bash", "bash: /tmp/.rootlab-x/f2: Too many open files\n", "bash: /tmp/.rootlab-x/f2: Too many open files\n"],
    ["busybox ash, after its echo of the block", `${echo}/bin/sh: can't create /tmp/.rootlab-x/f3: Too many open files\r\n`, "/bin/sh: can't create /tmp/.rootlab-x/f3: Too many open files\n"],
    ["only ash's echo of a block that failed on its own (read at end of file)", echo, undefined],
    ["nothing", "", undefined],
  ];
  it.each(CASES)("%s", (_name, before, expected) => expect(outputFilesError(before, files)).toBe(expected));
});

import { describe, expect, it } from "vitest";
import { endsSession, judge } from "../../src/exec/block-run.js";
import type { Block } from "../../src/format/types.js";
import type { BlockResult } from "../../src/exec/types.js";

const block = (code: string, exit = 0): Block => ({ role: "command", lang: "sh", code, line: 1, codeLine: 2, session: "box", exit, timeoutMs: 1000, background: false });
const died: BlockResult = { kind: "session-died", exitCode: null, stdout: "", stderr: "", durationMs: 1, reason: 'session "box" ended' };
const ok = (exitCode: number, failedLine?: number): BlockResult => ({ kind: "ok", exitCode, stdout: "", stderr: "", durationMs: 1, ...(failedLine ? { failedLine } : {}) });

describe("endsSession", () => {
  it.each([
    ["exit", 0],
    ["echo bye\nexit 3", 3],
    ["exit 0;", 0],
    ["exit\n# done", 0],
    ["  exit 42  ", 42],
  ])("%j ends the session with %i", (code, status) => {
    expect(endsSession(code)).toEqual({ status });
  });
  it.each(["echo exit", "exit_code=1", "exit $rc", "exit 1 && true", ""])("%j does not", (code) => {
    expect(endsSession(code)).toBeUndefined();
  });
});

describe("judge", () => {
  it.each<[string, Block, BlockResult, boolean]>([
    ["exit as expected", block("exit"), died, true],
    ["exit 3 with exit=3", block("exit 3", 3), died, true],
    ["exit 3 without exit=", block("exit 3"), died, false],
    ["session died without an exit", block("sleep 1"), died, false],
    ["status 0", block("true"), ok(0), true],
    ["status 2 with exit=2", block("ls /x", 2), ok(2, 2), true],
    ["status 1", block("false"), ok(1, 2), false],
  ])("%s", (_name, b, r, passes) => {
    expect(judge(b, r) === undefined).toBe(passes);
  });
  it("names the line and the status in words", () => {
    expect(judge(block("false"), ok(127, 5))).toMatch(/status 127 at line 5 \(command or program not found\)/);
  });
});

import { describe, expect, it } from "vitest";
import { endsSession, judge } from "../../src/exec/block-run.js";
import { describeEnding, execReplacing } from "../../src/exec/block-result.js";
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

describe("execReplacing: a block that replaces its session's shell", () => {
  it.each<[string, { command: string; line: number } | undefined]>([
    ["exec bash", { command: "bash", line: 0 }],
    ["echo hi\nexec bash -l", { command: "bash -l", line: 1 }],
    ["exec -a myshell sh", { command: "sh", line: 0 }],
    ["exec -c env -i bash", { command: "env -i bash", line: 0 }],
    ["exec unshare --pid --fork bash", { command: "unshare --pid --fork bash", line: 0 }],
    // Redirections only: the shell stays, its file descriptors change.
    ["exec 2>&1", undefined],
    ["exec >/dev/null\necho gone", undefined],
    ["exec 3> file", undefined],
    ["exec 0<&- 3>&-", undefined],
    // Not at the top level of the session's shell, or not the exec builtin.
    ["(exec bash)", undefined],
    ["bash -c 'exec sleep 1'", undefined],
    ["echo exec bash", undefined],
    ["executor run", undefined],
  ])("%j → %j", (code, expected) => {
    expect(execReplacing(code)).toEqual(expected);
  });

  it("names the cause and the fix when the session ends during such a block", () => {
    const ending = { status: null, signal: "SIGHUP" as const, duringBlock: true, errexit: false };
    const reason = describeEnding("host", ending, { command: "bash", line: 12 });
    expect(reason).toContain('session "host" was killed by SIGHUP while running the block: the block replaced the session\'s shell with `exec bash` (line 12)');
    expect(reason).toContain("enter=NAME");
    expect(reason).toContain('docs/lab-format.md, "Sessions: enter= and session="');
    // Without exec in the block, the reason stays what it was.
    expect(describeEnding("host", ending)).not.toContain("exec bash");
  });

  it("says why a shell died of SIGXFSZ in a block that did not lower the limit (ash's history file)", () => {
    const ending = { status: null, signal: "SIGXFSZ" as const, duringBlock: true, errexit: false };
    const reason = describeEnding("box", ending);
    expect(reason).toContain('session "box" was killed by SIGXFSZ');
    expect(reason).toContain("~/.ash_history");
    expect(reason).toContain("( ulimit -f 0; … )");
    // Other signals keep their plain reason.
    expect(describeEnding("box", { ...ending, signal: "SIGKILL" as const })).not.toContain("ash_history");
  });
});

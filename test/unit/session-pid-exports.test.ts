import { describe, expect, it } from "vitest";
import { SessionPidExports } from "../../src/exec/session-pid-exports.js";

describe("SessionPidExports", () => {
  const exports = new SessionPidExports<object>();
  const a = {};

  // Each row (in order, one shell A): the live sessions before one block of shell A, and what A is sent first.
  it.each([
    ["first block: every live session", [["host", 10], ["box", 20]], "export ROOTLAB_SESSION_HOST_PID=10; export ROOTLAB_SESSION_BOX_PID=20"],
    ["nothing changed: nothing sent", [["host", 10], ["box", 20]], ""],
    ["a session re-entered: its new pid", [["host", 10], ["box", 21]], "export ROOTLAB_SESSION_BOX_PID=21"],
    ["a session ended: unset", [["host", 10]], "unset ROOTLAB_SESSION_BOX_PID"],
    ["a name with a dash", [["host", 10], ["net-a", 30]], "export ROOTLAB_SESSION_NET_A_PID=30"],
  ] as const)("%s", (_why, live, sent) => {
    expect(exports.update(a, live as unknown as [string, number][])).toBe(sent);
  });

  it("keeps what each shell was told apart", () => {
    const b = {};
    expect(exports.update(b, [["host", 10]])).toBe("export ROOTLAB_SESSION_HOST_PID=10");
    expect(exports.update(b, [["host", 10]])).toBe("");
  });
});

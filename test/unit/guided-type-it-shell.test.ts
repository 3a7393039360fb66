// Which shell "I'll type it myself" starts inside a session's root: the session's own when that root has it,
// else /bin/sh (after pivot_root into a busybox root, the session's "bash" exists only in memory).
import { describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { shellInSession } from "../../src/guided/type-it.js";

// This test process stands in for a session: its root is the host's /, which has /bin/sh but no rlt17 shell.
const self = (shell: string, PATH = "/usr/local/bin:/usr/bin:/bin") => ({ pid: process.pid, cwd: "/", env: { PATH }, shell });
const bash = ["/usr/bin/bash", "/bin/bash"].find((p) => existsSync(p));

describe("shellInSession", () => {
  it.each<[string, ReturnType<typeof self>, string | undefined]>([
    ["an absolute shell the root has", self("/bin/sh"), "/bin/sh"],
    ["a bare name, found on the session's PATH", self("sh", "/rlt17-nowhere:/bin"), "/bin/sh"],
    ["a shell the root does not have falls back to /bin/sh", self("rlt17-no-such-shell"), "/bin/sh"],
    ["an absolute path the root does not have falls back to /bin/sh", self("/rlt17/bin/bash"), "/bin/sh"],
  ])("%s", async (_name, state, want) => {
    expect(await shellInSession(state)).toBe(want);
  });
  it.runIf(bash !== undefined)("bash by name, when the root has it, stays bash (its prompt and rc file need it)", async () => {
    expect(await shellInSession(self("bash", "/usr/bin:/bin"))).toMatch(/\/bash$/);
  });
  it("a session whose root has no shell at all: undefined (the caller says so and runs nothing)", async () => {
    // PID that cannot exist: /proc/<pid>/root is missing, like a root without any shell.
    expect(await shellInSession({ pid: 2 ** 22 + 1, cwd: "/", env: {}, shell: "bash" })).toBeUndefined();
  });
});

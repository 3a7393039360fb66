// Sessions.end(name) on the real kernel: one session ends now, as close() would
// end it, and its name can be entered again; what it left running is reported and reaped, the host and the other
// sessions go on. Guided mode's "Try the step again" depends on it (a step that opens a session re-opens it).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeAsRoot } from "../helpers/root.js";
import { openSessions, type SessionEnded } from "../../src/exec/sessions.js";
import { pidsWithEnv, readProc } from "../../src/exec/proc-tree.js";
import type { BlockResult, RunRequest } from "../../src/exec/types.js";

function ok(r: BlockResult, stdout?: string): void {
  expect({ kind: r.kind, exitCode: r.exitCode, reason: r.reason, stderr: r.stderr }).toEqual({ kind: "ok", exitCode: 0, reason: undefined, stderr: "" });
  if (stdout !== undefined) expect(r.stdout).toBe(stdout);
}

/** Dead: gone, or a zombie waiting for PID 1 to reap it (this machine's PID 1 does so only every few seconds). */
const dead = (pid: number): string => {
  const state = readProc(pid)?.state;
  return state === undefined || state === "Z" ? "dead" : `running (${state})`;
};

describeAsRoot("Sessions.end: one session ends before the run does", () => {
  let base: string;
  beforeAll(() => {
    base = mkdtempSync("/var/tmp/rlt2e-end-");
  });
  afterAll(() => {
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it("ends a session, then the one it was entered from, reaps what they left, and lets the name be entered again", async () => {
    const runId = `rlt2e-${randomBytes(6).toString("hex")}`;
    const labDir = mkdtempSync(`${base}/lab-`);
    const ends: SessionEnded[] = [];
    const env = { PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin", LC_ALL: "C.UTF-8", LAB_DIR: labDir, ROOTLAB_RUN_ID: runId };
    const sessions = await openSessions({ env, labDir, onEnded: (e) => ends.push(e) });
    const run = (code: string, extra: Partial<RunRequest> = {}): Promise<BlockResult> =>
      sessions.run({ code, codeLine: 100, session: "host", timeoutMs: 20_000, mode: "script", ...extra });
    try {
      ok(await run("unshare --fork --pid --mount bash", { enter: "m" }));
      ok(await run("unshare --fork --pid bash", { session: "m", enter: "s" }));
      ok(await run("bash", { enter: "other" }));
      ok(await run("sleep 2345671 >/dev/null 2>&1 &", { session: "s" })); // left running by the lab: a stray
      ok(await run("sleep 2345672", { session: "m", background: true }));
      expect(sessions.names()).toEqual(["host", "m", "s", "other"]);
      const pids = { m: sessions.pid("m")!, s: sessions.pid("s")!, other: sessions.pid("other")! };
      const sleeps = (await run("pgrep -f '^sleep 234567[12]$'")).stdout.trim().split("\n").map(Number);
      expect(sleeps).toHaveLength(2);

      // Newest first, as guided mode ends a step's sessions: s was entered from m, on a terminal of its own.
      expect((await sessions.end("s")).map((p) => p.replace(/^\d+ /, ""))).toEqual(["sleep"]);
      expect(await sessions.end("m")).toEqual([]);
      expect(sessions.names()).toEqual(["host", "other"]);
      for (const pid of [pids.m, pids.s, ...sleeps]) expect(dead(pid)).toBe("dead");
      expect(["S", "R"]).toContain(readProc(pids.other)?.state);
      // Newest first, both told as rootlab's doing, not as if the learner had typed exit.
      expect(ends.map((e) => [e.session, e.closedBy, e.reason])).toEqual([
        ["s", "rootlab", 'session "s" ended by rootlab before the end of the run'],
        ["m", "rootlab", 'session "m" ended by rootlab before the end of the run'],
      ]);
      ok(await run("echo ${ROOTLAB_SESSION_M_PID:-gone} ${ROOTLAB_SESSION_S_PID:-gone} ${ROOTLAB_SESSION_OTHER_PID:-gone}"), `gone gone ${pids.other}\n`);
      const gone = await run("echo", { session: "m" });
      expect(gone).toMatchObject({ kind: "session-died", reason: expect.stringContaining('no session named "m"') });

      // The name is free: the same enter= opens a new m (before, "already exists and is running").
      ok(await run("unshare --fork --pid --mount bash", { enter: "m" }));
      ok(await run("echo $$", { session: "m" }), "1\n");
      expect(sessions.pid("m")).not.toBe(pids.m);
      expect(sessions.names()).toEqual(["host", "other", "m"]);

      // The host is not a session to end; unknown names are nothing to do.
      expect(await sessions.end("host")).toEqual([]);
      expect(await sessions.end("nope")).toEqual([]);
      ok(await run("echo still"), "still\n");
    } finally {
      expect(await sessions.close()).toEqual([]);
      expect(pidsWithEnv("ROOTLAB_RUN_ID", runId)).toEqual([]);
      expect(execFileSync("find", [labDir, "-type", "p"], { encoding: "utf8" })).toBe("");
    }
  });
});

// Blocks that try to break the session protocol, in every kind of session the labs use: plain bash, unshare …
// bash, chroot DIR /bin/sh (busybox ash), ip netns exec, systemd-nspawn (which passes no extra fds inside).
// Each block must end with its own status and output, and the session must go on (or end, reported, when the
// block ends it as a terminal would). Names: rlt9*.
import { expect, it } from "vitest";
import { describeAsRoot } from "../helpers/root.js";
import { tortureSessions } from "../helpers/torture-sessions.js";

/** [name, code, expected stdout, expected status] — then `echo next` must run in the same session. */
const TORTURE: [string, string, string, number][] = [
  ["break at top level", "echo a; break; echo b", "a\nb\n", 0],
  ["continue at top level", "echo a\ncontinue\necho b", "a\nb\n", 0],
  ["exec 2>&1", "exec 2>&1\necho out; echo err >&2", "out\nerr\n", 0],
  ["exec >file", "exec >/dev/null\necho gone", "", 0],
  ["exec 3>&1", "exec 3>&1\necho via3 >&3", "via3\n", 0],
  ["closing fds 0-9", "exec 0<&- 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-\necho still\nexec 1>&- 2>&-", "still\n", 0],
  ["exit in a subshell", "(exit 7)\necho never", "", 7],
  ["here-document", "cat <<E'O'F\n$HOME\nEOF", "$HOME\n", 0],
  ["a trap on EXIT", "trap 'echo bye' EXIT\necho set", "set\n", 0],
  ["a function that fails", "f() { return 3; }\nf", "", 3],
  ["a syntax error", "echo 'open", "", 2],
  // These stay in force for the rows after them: the protocol's own commands must not be aliases or functions.
  ["aliases over the protocol's commands", "alias printf='echo HIJACK' read=false unset=false eval=false command=false\necho set", "set\n", 0],
  ["functions over the protocol's commands", "unalias printf read\nprintf() { echo HIJACK; }\nread() { return 1; }\necho set", "set\n", 0],
  ["an IFS of digits", "IFS=0123456789\necho set", "set\n", 0],
];

describeAsRoot("the block protocol survives every block, in every kind of session", () => {
  const { kinds: all, withSession } = tortureSessions("ns");
  // The first set runs in the five kinds that differ in how the shell is started (the second set, in
  // engine-torture-more.test.ts, adds CI=true and the Alpine fixture).
  const kinds = all.filter(([name]) => !name.includes("CI=true") && !name.includes("Alpine"));

  it.each(kinds)("%s: each block ends with its own status and output; the session goes on", async (...kind) => {
    await withSession(kind, async (run) => {
      for (const [name, code, stdout, status] of TORTURE) {
        const r = await run(code);
        expect({ name, kind: r.kind, exitCode: r.exitCode, stdout: r.stdout }).toEqual({ name, kind: "ok", exitCode: status, stdout });
        const next = await run("echo next");
        expect({ name, kind: next.kind, stdout: next.stdout, stderr: next.stderr }).toEqual({ name, kind: "ok", stdout: "next\n", stderr: "" });
      }
      // Live output carries both streams, each in its own order. Between the two streams the order is the order
      // in which the kernel reports the two FIFOs readable: usually, not always, the order of the writes.
      for (let i = 0; i < 20; i++) {
        const seen = { stdout: "", stderr: "" };
        await run("false || echo err >&2; echo out; echo err2 >&2", { onOutput: (stream, chunk) => (seen[stream] += chunk) });
        expect(seen).toEqual({ stdout: "out\n", stderr: "err\nerr2\n" });
      }
      // A & job's later output stays with the block that started it.
      expect(await run("(sleep 0.3; echo late) &\necho started")).toMatchObject({ kind: "ok", stdout: "started\n" });
      expect(await run("wait\necho second")).toMatchObject({ kind: "ok", stdout: "second\n" });
      // A check never trips the session's set -e; a failing command then ends the shell, and rootlab says why.
      expect(await run("set -e")).toMatchObject({ kind: "ok", exitCode: 0 });
      expect(await run("false", { mode: "check" })).toMatchObject({ kind: "ok", exitCode: 1 });
      const ended = await run("echo a\nfalse\necho b");
      expect(ended).toMatchObject({ kind: "session-died", stdout: "a\n" });
      expect(ended.reason).toContain("set -e");
    });
  });

  it.each(kinds)("%s: exit at top level ends the session, reported at once", async (...kind) => {
    const enter = kind[2];
    await withSession(kind, async (run, s) => {
      const r = await run("echo bye\nexit 4");
      expect(r).toMatchObject({ kind: "session-died", stdout: "bye\n" });
      expect(r.reason).toMatch(/exited with status 4|ended/);
      expect(s.alive(enter ? "s" : "host")).toBe(false);
      expect(s.names()).toEqual(enter ? ["host"] : []);
    });
  });
});

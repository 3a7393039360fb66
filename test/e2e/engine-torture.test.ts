// Blocks that try to break the session protocol, in every kind of session the labs use: plain bash, unshare …
// bash, chroot DIR /bin/sh (busybox ash), ip netns exec, systemd-nspawn (which passes no extra fds inside).
// Each block must end with its own status and output, and the session must go on (or end, reported, when the
// block ends it as a terminal would). Names: rlt9*.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeAsRoot } from "../helpers/root.js";
import { openSessions } from "../../src/exec/sessions.js";
import { pidsWithEnv } from "../../src/exec/proc-tree.js";
import { shimsDir } from "../../src/host/paths.js";
import type { BlockResult, RunRequest, Sessions } from "../../src/exec/types.js";

const NETNS = "rlt9ns";

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
  let base: string;
  let bbroot: string;
  let nsroot: string;

  beforeAll(() => {
    spawnSync("ip", ["netns", "del", NETNS], { stdio: "ignore" });
    execFileSync("ip", ["netns", "add", NETNS]);
    base = mkdtempSync("/var/tmp/rlt9-torture-");
    bbroot = `${base}/bbroot`;
    for (const d of ["bin", "tmp", "proc", "dev", "usr", "etc"]) mkdirSync(`${bbroot}/${d}`, { recursive: true });
    copyFileSync("/usr/bin/busybox", `${bbroot}/bin/busybox`);
    execFileSync("chmod", ["755", `${bbroot}/bin/busybox`]);
    for (const applet of ["sh", "echo", "cat", "sleep", "false"]) symlinkSync("busybox", `${bbroot}/bin/${applet}`);
    execFileSync("mknod", ["-m", "666", `${bbroot}/dev/null`, "c", "1", "3"]);
    writeFileSync(`${bbroot}/etc/passwd`, "root:x:0:0:root:/root:/bin/sh\n");
    nsroot = `${base}/nsroot`;
    execFileSync("cp", ["-a", bbroot, nsroot]);
  });

  afterAll(() => {
    spawnSync("ip", ["netns", "del", NETNS], { stdio: "ignore" });
    if (base) rmSync(base, { recursive: true, force: true });
  });

  /** How each kind of session is entered from the host session. */
  const kinds: [string, (() => string) | undefined][] = [
    ["host bash", undefined],
    ["unshare … bash", () => "unshare --fork --pid --mount-proc bash"],
    ["chroot DIR /bin/sh (busybox ash)", () => `chroot ${bbroot} /bin/sh`],
    ["ip netns exec", () => `ip netns exec ${NETNS} bash`],
    ["systemd-nspawn", () => `${shimsDir()}/systemd-nspawn -q -D ${nsroot} /bin/sh`],
  ];

  async function withSession(enterCode: (() => string) | undefined, fn: (run: (code: string, extra?: Partial<RunRequest>) => Promise<BlockResult>, s: Sessions) => Promise<void>): Promise<void> {
    const runId = `rlt9-${randomBytes(6).toString("hex")}`;
    const labDir = mkdtempSync(`${base}/lab-`);
    const env = { PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin", LC_ALL: "C.UTF-8", LAB_DIR: labDir, ROOTLAB_RUN_ID: runId, HOME: "/root" };
    const sessions = await openSessions({ env, labDir });
    const enter = enterCode?.();
    const session = enter ? "s" : "host";
    const run = (code: string, extra: Partial<RunRequest> = {}) =>
      sessions.run({ code, codeLine: 10, session, timeoutMs: 20_000, mode: "script", ...extra });
    try {
      if (enter) {
        const entered = await sessions.run({ code: enter, codeLine: 1, session: "host", enter: "s", timeoutMs: 20_000, mode: "script" });
        expect(entered, `${entered.reason} ${entered.stderr}`).toMatchObject({ kind: "ok" });
      }
      await fn(run, sessions);
    } finally {
      await sessions.close();
      expect(pidsWithEnv("ROOTLAB_RUN_ID", runId)).toEqual([]);
    }
  }

  it.each(kinds)("%s: each block ends with its own status and output; the session goes on", async (_kind, enter) => {
    await withSession(enter, async (run) => {
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

  it.each(kinds)("%s: exit at top level ends the session, reported at once", async (_kind, enter) => {
    await withSession(enter, async (run, s) => {
      const r = await run("echo bye\nexit 4");
      expect(r).toMatchObject({ kind: "session-died", stdout: "bye\n" });
      expect(r.reason).toMatch(/exited with status 4|ended/);
      expect(s.alive(enter ? "s" : "host")).toBe(false);
      expect(s.names()).toEqual(enter ? ["host"] : []);
    });
  });
});

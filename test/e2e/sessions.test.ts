// The session engine on the real kernel: host bash, unshare and chroot (busybox ash) sessions, timeouts,
// session death, background blocks, and that close() leaves nothing behind. Names: rlt2*, 10.231.202.0/24.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeAsRoot } from "../helpers/root.js";
import { openSessions } from "../../src/exec/sessions.js";
import { pidsWithEnv } from "../../src/exec/proc-tree.js";
import type { BlockResult, RunRequest, Sessions } from "../../src/exec/types.js";

const LINKS = ["rlt2h", "rlt2c"];

function removeLinks(): void {
  for (const link of LINKS) spawnSync("ip", ["link", "del", link], { stdio: "ignore" });
}

describeAsRoot("sessions (real shells, namespaces, chroot)", () => {
  let base: string;
  let bbroot: string;

  beforeAll(() => {
    removeLinks();
    base = mkdtempSync("/var/tmp/rlt2-sessions-");
    // A tiny static-busybox root with relative applet links (never link busybox onto itself).
    bbroot = `${base}/bbroot`;
    for (const d of ["bin", "tmp", "proc"]) mkdirSync(`${bbroot}/${d}`, { recursive: true });
    copyFileSync("/usr/bin/busybox", `${bbroot}/bin/busybox`);
    execFileSync("chmod", ["755", `${bbroot}/bin/busybox`]);
    for (const applet of ["sh", "ls", "echo", "cat", "mount", "umount", "hostname", "sleep"]) {
      symlinkSync("busybox", `${bbroot}/bin/${applet}`);
    }
  });

  afterAll(() => {
    removeLinks();
    if (base) rmSync(base, { recursive: true, force: true });
  });

  /** Opens sessions with a fresh run id, runs the test, closes, and checks nothing of the run survived. */
  async function withSessions(fn: (s: Sessions, run: Runner) => Promise<void>): Promise<void> {
    const runId = `rlt2-${randomBytes(6).toString("hex")}`;
    const labDir = mkdtempSync(`${base}/lab-`);
    const env = { PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin", LC_ALL: "C.UTF-8", LAB_DIR: labDir, ROOTLAB_RUN_ID: runId };
    const sessions = await openSessions({ env, labDir });
    const run: Runner = (code, extra = {}) =>
      sessions.run({ code, codeLine: 100, session: "host", timeoutMs: 20_000, mode: "script", ...extra });
    try {
      await fn(sessions, run);
    } finally {
      await sessions.close();
      expect(pidsWithEnv("ROOTLAB_RUN_ID", runId)).toEqual([]);
      const fifos = execFileSync("find", [labDir, base, "-type", "p"], { encoding: "utf8" });
      expect(fifos).toBe("");
    }
  }
  type Runner = (code: string, extra?: Partial<RunRequest>) => Promise<BlockResult>;

  function ok(r: BlockResult, stdout?: string): void {
    expect({ kind: r.kind, exitCode: r.exitCode, reason: r.reason, stderr: r.stderr }).toEqual({ kind: "ok", exitCode: 0, reason: undefined, stderr: "" });
    if (stdout !== undefined) expect(r.stdout).toBe(stdout);
  }

  it("keeps variables, cwd and functions in the host session; exit codes and lines are exact", async () => {
    await withSessions(async (_s, run) => {
      ok(await run("X=42\ncd /tmp\ngreet() { echo \"hi $1\"; }"));
      ok(await run("echo $X $PWD; greet you"), "42 /tmp\nhi you\n");
      for (const code of [0, 1, 3, 42]) expect((await run(`(exit ${code})`)).exitCode).toBe(code);
      const missing = await run("echo before\nrootlab-no-such-command");
      expect(missing).toMatchObject({ kind: "ok", exitCode: 127, stdout: "before\n", failedLine: 101 });
      expect(missing.stderr).toMatch(/^bash: (line \d+: )?rootlab-no-such-command: command not found\n$/);
      const split = await run("echo out; echo err >&2");
      expect([split.stdout, split.stderr]).toEqual(["out\n", "err\n"]);
      ok(await run("printf 'no newline'"), "no newline");
      const second = await run("echo one\n\n(exit 7)\necho three");
      expect(second).toMatchObject({ exitCode: 7, stdout: "one\n", failedLine: 102 });
      expect(await run("false && echo yes\necho after")).toMatchObject({ exitCode: 1, stdout: "", failedLine: 100 });
      ok(await run("cat <<EOF\na $X\nEOF\ncat <<'E'\n$X\nE"), "a 42\n$X\n");
      ok(await run("cat\nread -r line || echo eof"), "eof\n");
      ok(await run("cd /; Y=changed; export Z=1", { mode: "check" }));
      ok(await run("echo \"$PWD ${Y:-unset} ${Z:-unset}\""), "/tmp unset unset\n");
      expect(await run("cd /nonexistent-rlt2", { mode: "check" })).toMatchObject({ exitCode: 1, failedLine: 100 });
      const syntax = await run("echo ok\necho \"unterminated");
      expect(syntax).toMatchObject({ kind: "ok", exitCode: 2, failedLine: 101 });
      ok(await run("echo still here"), "still here\n");
    });
  });

  it("streams output without the sentinels", async () => {
    await withSessions(async (_s, run) => {
      const chunks: string[] = [];
      const r = await run("for i in 1 2 3; do echo line$i; sleep 0.05; done; printf tail", {
        onOutput: (stream, chunk) => stream === "stdout" && chunks.push(chunk),
      });
      ok(r, "line1\nline2\nline3\ntail");
      expect(chunks.join("")).toBe(r.stdout);
      expect(chunks.length).toBeGreaterThan(1);
    });
  });

  it("enters an unshare session: own pid/uts/net namespaces, veth to the host, ping both ways", async () => {
    await withSessions(async (s, run) => {
      ok(await run("unshare --fork --pid --mount --uts --net bash", { enter: "c" }));
      expect(s.names()).toEqual(["host", "c"]);
      const inC = (code: string): Promise<BlockResult> => run(code, { session: "c" });
      ok(await inC("echo $$"), "1\n");
      ok(await inC("hostname rlt2-c; hostname; V=kept"), "rlt2-c\n");
      expect((await run("hostname")).stdout).not.toBe("rlt2-c\n");
      const pid = s.pid("c");
      ok(await run("echo $ROOTLAB_SESSION_C_PID"), `${pid}\n`);
      ok(await inC("echo $V $ROOTLAB_SESSION_C_PID"), `kept ${pid}\n`);
      ok(await run("ip link add rlt2h type veth peer name rlt2c netns $ROOTLAB_SESSION_C_PID\nip addr add 10.231.202.1/24 dev rlt2h\nip link set rlt2h up"));
      ok(await inC("ip addr add 10.231.202.2/24 dev rlt2c\nip link set rlt2c up\nip link set lo up"));
      ok(await run("ping -c1 -W2 10.231.202.2 >/dev/null"));
      ok(await inC("ping -c1 -W2 10.231.202.1 >/dev/null"));
      const snap = await s.snapshot("c");
      expect(snap).toMatchObject({ pid, shell: "bash" });
      expect(snap.env.V).toBe("kept");
      await s.restore("c", { ...snap, cwd: "/tmp", env: { ...snap.env, V: "it's restored" } });
      ok(await inC("echo \"$PWD $V\""), "/tmp it's restored\n");
    });
    // The netns died with the session, and the veth pair with it.
    expect(spawnSync("ip", ["link", "show", "rlt2h"]).status).not.toBe(0);
  });

  it("enters a busybox chroot, nested from inside another session, and from a foreign root", async () => {
    await withSessions(async (s, run) => {
      ok(await run(`chroot ${bbroot} /bin/sh`, { enter: "box" }));
      ok(await run("echo $0; ls /; X=1; cd /tmp", { session: "box" }), "/bin/sh\nbin\nproc\ntmp\n");
      ok(await run("echo $PWD $X", { session: "box" }), "/tmp 1\n");
      ok(await run("unshare --fork --pid --mount --uts bash", { enter: "c" }));
      ok(await run(`chroot ${bbroot} /bin/sh`, { enter: "inner", session: "c" }));
      ok(await run("hostname rlt2-nested", { session: "c" }));
      // inner lives in c's namespaces: it sees c's hostname, and its shell is busybox.
      ok(await run("hostname; echo $0", { session: "inner" }), "rlt2-nested\n/bin/sh\n");
      // From a session with its own root, FIFOs live inside that root (here its /tmp).
      ok(await run("sh", { enter: "deeper", session: "box" }));
      ok(await run("echo deeper $X", { session: "deeper" }), "deeper 1\n");
      expect(existsSync(`${bbroot}/tmp`)).toBe(true);
      ok(await run("sleep 2345678", { session: "box", background: true }));
      expect(s.names()).toEqual(["host", "box", "c", "inner", "deeper"]);
    });
  });
});

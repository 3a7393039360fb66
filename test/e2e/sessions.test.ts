// The session engine on the real kernel: host bash, unshare and chroot (busybox ash) sessions, timeouts,
// session death, background blocks, and that close() leaves nothing behind. Names: rlt2*, 10.231.202.0/24.
import { shimsDir } from "../../src/host/paths.js";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeAsRoot } from "../helpers/root.js";
import { openSessions } from "../../src/exec/sessions.js";
import { pidsWithEnv, readProc } from "../../src/exec/proc-tree.js";
import type { BlockResult, RunRequest, Sessions } from "../../src/exec/types.js";

const LINKS = ["rlt2h", "rlt2c"];

function removeLinks(): void {
  for (const link of LINKS) spawnSync("ip", ["link", "del", link], { stdio: "ignore" });
}

describeAsRoot("sessions (real shells, namespaces, chroot)", () => {
  let base: string;
  let bbroot: string;
  let bare: string;

  beforeAll(() => {
    removeLinks();
    base = mkdtempSync("/var/tmp/rlt2-sessions-");
    // A tiny static-busybox root with relative applet links (never link busybox onto itself).
    bbroot = `${base}/bbroot`;
    for (const d of ["bin", "tmp", "proc"]) mkdirSync(`${bbroot}/${d}`, { recursive: true });
    copyFileSync("/usr/bin/busybox", `${bbroot}/bin/busybox`);
    execFileSync("chmod", ["755", `${bbroot}/bin/busybox`]);
    for (const applet of ["sh", "ls", "echo", "cat", "mount", "umount", "hostname", "sleep", "rmdir"]) {
      symlinkSync("busybox", `${bbroot}/bin/${applet}`);
    }
    mkdirSync(`${bbroot}/dev`);
    execFileSync("mknod", ["-m", "666", `${bbroot}/dev/null`, "c", "1", "3"]);
    // A bare root: no /dev at all.
    bare = `${base}/bare`;
    mkdirSync(`${bare}/bin`, { recursive: true });
    copyFileSync(`${bbroot}/bin/busybox`, `${bare}/bin/busybox`);
    execFileSync("chmod", ["755", `${bare}/bin/busybox`]);
    symlinkSync("busybox", `${bare}/bin/sh`);
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

  it("reads a long block's output while it runs, in the order written, and more than a pipe holds", async () => {
    await withSessions(async (_s, run) => {
      // The block waits at two gates that the test opens one by one, each only when it has seen the line before:
      // each line must reach onOutput while the block still runs, and stdout and stderr lines keep the order they
      // were written in.
      const gates = [`${base}/rlt2-gate1`, `${base}/rlt2-gate2`];
      execFileSync("mkfifo", gates);
      try {
        const seen: string[] = [];
        const r = await run(`echo out1; read -r x <${gates[0]}; echo err1 >&2; read -r x <${gates[1]}; echo out2`, {
          onOutput: (stream, chunk) => {
            const gate = gates[seen.push(`${stream}: ${chunk}`) - 1];
            if (gate) spawn("sh", ["-c", `echo go >${gate}`], { stdio: "ignore" });
          },
        });
        expect(r).toMatchObject({ kind: "ok", exitCode: 0, stdout: "out1\nout2\n", stderr: "err1\n" });
        expect(seen).toEqual(["stdout: out1\n", "stderr: err1\n", "stdout: out2\n"]);
      } finally {
        for (const gate of gates) unlinkSync(gate);
      }
      // A short block that writes more than a pipe holds (64 KiB) is read as it writes, never blocked.
      const big = await run("head -c 300000 /dev/zero | tr '\\0' a; echo; echo done >&2");
      expect([big.kind, big.stdout.length, big.stderr]).toEqual(["ok", 300001, "done\n"]);
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
      // Without /dev/null and a writable /tmp (a fresh pivot_root), bash still runs blocks; stdin is still empty.
      ok(await inC("mount -t tmpfs -o mode=755 rlt2dev /dev\nmount -t tmpfs -o ro rlt2tmp /tmp"));
      ok(await inC("ls /dev | wc -l; cat; read -r x || echo eof"), "0\neof\n");
      ok(await inC("umount /dev /tmp"));
      ok(await inC('echo "${BASH_VERSION:+bash}" $V'), "bash kept\n");
    });
    // The netns died with the session, and the veth pair with it.
    expect(spawnSync("ip", ["link", "show", "rlt2h"]).status).not.toBe(0);
  });

  it("enters a busybox chroot, nested from inside another session, and from a foreign root", async () => {
    await withSessions(async (s, run) => {
      ok(await run(`chroot ${bbroot} /bin/sh`, { enter: "box" }));
      ok(await run("echo $0; ls /; X=1; cd /tmp", { session: "box" }), "/bin/sh\nbin\ndev\nproc\ntmp\n");
      ok(await run("echo $PWD $X", { session: "box" }), "/tmp 1\n");
      ok(await run("unshare --fork --pid --mount --uts bash", { enter: "c" }));
      ok(await run(`chroot ${bbroot} /bin/sh`, { enter: "inner", session: "c" }));
      ok(await run("hostname rlt2-nested", { session: "c" }));
      // inner lives in c's namespaces: it sees c's hostname, and its shell is busybox.
      ok(await run("hostname; echo $0", { session: "inner" }), "rlt2-nested\n/bin/sh\n");
      // From a session with its own root, FIFOs live inside that root (here its /tmp).
      ok(await run("sh", { enter: "deeper", session: "box" }));
      ok(await run("echo deeper $X", { session: "deeper" }), "deeper 1\n");
      ok(await run("sleep 2345678", { session: "box", background: true }));
      expect(s.names()).toEqual(["host", "box", "c", "inner", "deeper"]);
      // A root without /dev/null: a shell there cannot start anything in the background; said so, session intact.
      // Entering a new session from it works (rootlab starts it on a terminal of its own, in that root).
      ok(await run(`chroot ${bare} /bin/sh`, { enter: "bare" }));
      ok(await run("sh", { enter: "bare2", session: "bare" }));
      ok(await run("echo $0 $$", { session: "bare2" }), `sh ${s.pid("bare2")}\n`);
      const bg = await run("sleep 3456789", { session: "bare", background: true });
      expect(bg).toMatchObject({ kind: "ok", exitCode: 1 });
      expect(bg.stderr).toContain("no /dev/null");
      ok(await run("echo fine", { session: "bare" }), "fine\n");
    });
    expect(execFileSync("find", [bbroot, bare, "-name", ".rootlab-*"], { encoding: "utf8" })).toBe("");
  });

  it("enters systemd-nspawn and unshare+pivot_root sessions (busybox ash with its own root)", async () => {
    // nspawn wants an OS tree (/usr); without systemd as PID 1 it runs through rootlab's shim, which also gives
    // it its own cgroup (plain --keep-unit from the root cgroup would leave payload/ and supervisor/ behind).
    const nsroot = `${base}/nsroot`;
    execFileSync("cp", ["-a", bbroot, nsroot]);
    mkdirSync(`${nsroot}/usr`);
    mkdirSync(`${nsroot}/etc`);
    writeFileSync(`${nsroot}/etc/passwd`, "root:x:0:0:root:/root:/bin/sh\n");
    const nsp = `${shimsDir()}/systemd-nspawn -q`;
    const pivroot = `${base}/pivroot`;
    execFileSync("cp", ["-a", bbroot, pivroot]);
    const pivotSetup = [
      "mount --make-rprivate /", `mount --bind ${pivroot} ${pivroot}`, `cd ${pivroot}`, "mkdir -p _old",
      "pivot_root . _old", "cd /", "mount -t proc proc /proc", "umount -l /_old", "rmdir /_old", "exec /bin/sh",
    ].join(" && ");
    await withSessions(async (s, run) => {
      ok(await run(`${nsp} -D ${nsroot} /bin/sh`, { enter: "ns", timeoutMs: 20_000 }));
      ok(await run("echo $$ $0; X=ns", { session: "ns" }), "1 /bin/sh\n");
      ok(await run("echo $X; cat /proc/1/comm", { session: "ns" }), "ns\nsh\n");
      const t = await run("sleep 30", { session: "ns", timeoutMs: 700 });
      expect(t.reason).toContain('session "ns" is still usable');
      ok(await run(`unshare --fork --pid --mount --uts sh -c '${pivotSetup}'`, { enter: "piv" }));
      ok(await run("echo $$; ls /; hostname rlt2-piv", { session: "piv" }), "1\nbin\ndev\nproc\ntmp\n");
      // From a session with its own root: FIFOs go into its /tmp, background output to /dev/null.
      ok(await run("sh", { enter: "piv2", session: "piv" }));
      ok(await run("hostname", { session: "piv2" }), "rlt2-piv\n");
      const dropped = await run("sleep 5678912", { session: "piv", background: true });
      ok(dropped);
      expect(dropped.log).toBeUndefined();
      ok(await run('pwd; printf "%s\\n" "${0#-}"', { session: "piv" }), "/\n/bin/sh\n");
    });
    // No pivot_root or FIFO leftovers in the roots.
    expect(execFileSync("find", [pivroot, nsroot, "-name", "_old", "-o", "-name", ".rootlab-*"], { encoding: "utf8" })).toBe("");
  });

  it("times out a block, kills only its processes, and keeps the session", async () => {
    await withSessions(async (s, run) => {
      ok(await run("unshare --fork --pid --mount bash", { enter: "c" }));
      ok(await run("sleep 4567891", { background: true }));
      const r = await run("echo start\nsleep 30\necho never", { timeoutMs: 1000 });
      expect(r).toMatchObject({ kind: "timeout", exitCode: null, stdout: "start\n", failedLine: 101 });
      expect(r.reason).toMatch(/^timed out after 1s; .*still usable/);
      expect(r.durationMs).toBeGreaterThanOrEqual(1000);
      expect(r.durationMs).toBeLessThan(2000);
      ok(await run("echo alive"), "alive\n");
      // Neither the other session nor the background block was touched.
      ok(await run("echo $$", { session: "c" }), "1\n");
      ok(await run("pgrep -x -f 'sleep 4567891' >/dev/null"));
      const check = await run("sleep 30", { timeoutMs: 500, mode: "check" });
      expect(check.kind).toBe("timeout");
      expect(check.reason).toContain("timed out after 500ms");
      ok(await run("echo still"), "still\n");
      expect(s.alive("host")).toBe(true);
      // In an entered session: its block's processes go, the session (a descendant of host) stays.
      const inC = await run("sleep 30", { session: "c", timeoutMs: 700 });
      expect(inC).toMatchObject({ kind: "timeout", failedLine: 100 });
      expect(inC.reason).toContain('session "c" is still usable');
      ok(await run("echo $$", { session: "c" }), "1\n");
    });
  });

  it("kills a session whose shell itself is stuck, and reports it afterwards", async () => {
    await withSessions(async (s, run) => {
      const r = await run("while :; do :; done", { timeoutMs: 500 });
      expect(r.kind).toBe("timeout");
      expect(r.reason).toMatch(/timed out after 500ms; the shell of session "host" .*killed/);
      // The timeout, then 3 s of killing the block's processes before the shell itself goes: no more.
      expect(r.durationMs).toBeLessThan(6000);
      expect(r.durationMs).toBeGreaterThanOrEqual(3500);
      expect(s.alive("host")).toBe(false);
      expect(s.names()).toEqual([]);
      const after = await run("echo hi");
      expect(after.kind).toBe("session-died");
      expect(after.reason).toContain('session "host" is not running any more');
    });
  });

  it("reports a session ended by exit, never hangs", async () => {
    await withSessions(async (s, run) => {
      ok(await run("unshare --fork --pid bash", { enter: "c" }));
      const ended = await run("echo bye\nexit 0", { session: "c", timeoutMs: 10_000 });
      expect(ended).toMatchObject({ kind: "session-died", stdout: "bye\n" });
      expect(ended.reason).toMatch(/^session "c" exited with status 0 while running the block: line \d+ \(`exit 0`\) ran `exit`, which ends the shell it runs in$/);
      expect(ended.durationMs).toBeLessThan(2000);
      const next = await run("echo hi", { session: "c" });
      expect(next.kind).toBe("session-died");
      // `exec bash` in a block replaces the session's shell; the new one reads the block's empty stdin and ends.
      ok(await run("bash", { enter: "d" }));
      const replaced = await run("echo hi\nexec bash", { session: "d" });
      expect(replaced).toMatchObject({ kind: "session-died", stdout: "hi\n" });
      expect(replaced.reason).toMatch(/^session "d" .* while running the block: the block replaced the session's shell with `exec bash` \(line 101\), .* enter=NAME/);
      expect(s.names()).toEqual(["host"]);
      ok(await run("echo ${ROOTLAB_SESSION_C_PID:-gone}"), "gone\n");
      const host = await run("exit 3");
      expect(host).toMatchObject({ kind: "session-died", reason: 'session "host" exited with status 3 while running the block: line 100 (`exit 3`) ran `exit`, which ends the shell it runs in' });
      const unknown = await run("echo", { session: "nope" });
      expect(unknown.kind).toBe("session-died");
      expect(unknown.reason).toContain('no session named "nope"');
    });
  });

  it("reports enters that do not become a shell", async () => {
    await withSessions(async (s, run) => {
      const notShell = await run("false", { enter: "x" });
      expect(notShell.kind).toBe("enter-failed");
      expect(notShell.reason).toContain('"false" did not become session "x"');
      const missing = await run(`chroot ${bare} /bin/nonexistent-shell`, { enter: "y" });
      expect(missing.kind).toBe("enter-failed");
      expect(missing.stderr).toContain("failed to run command");
      expect(missing.reason).toContain("failed to run command");
      const silent = await run("sleep 30", { enter: "z", timeoutMs: 1500 });
      expect(silent.kind).toBe("enter-failed");
      expect(silent.reason).toContain("did not answer as a shell within 1s500ms");
      ok(await run("unshare --fork --pid bash", { enter: "c" }));
      const again = await run("bash", { enter: "c" });
      expect(again.kind).toBe("enter-failed");
      expect(again.reason).toContain('session "c" already exists');
      expect(s.names()).toEqual(["host", "c"]);
      ok(await run("pgrep -f 'sleep 30' -P $$ || true"), "");
    });
  });

  it("stops background blocks on close, even ones that ignore SIGTERM", async () => {
    let runPids: number[] = [];
    await withSessions(async (s, run) => {
      ok(await run("sleep 1234567", { background: true }));
      ok(await run("unshare --fork --pid sleep 1234568", { background: true }));
      const logged = await run("echo to-the-log; echo err >&2", { background: true });
      ok(logged);
      // Named in the result, and there as the result comes back: the job opens its `>log` in a forked child that
      // may run only later (guided mode once said "What it prints is not kept" because it looked too early).
      expect(logged.log).toMatch(/\/\.rootlab\/bg-\d+\.log$/);
      expect(existsSync(logged.log as string)).toBe(true);
      ok(await run("unshare --fork --pid --mount bash", { enter: "c" }));
      ok(await run("sleep 1234569 &\nsleep 1234570", { session: "c", background: true }));
      // A background block is started, not yet exec'd (unshare forks first): wait until all four exist (at most 5 s).
      const pgrep = await run("p='^sleep (123456[789]|1234570)$'; for i in $(seq 100); do [ \"$(pgrep -fc \"$p\")\" -ge 4 ] && break; sleep 0.05; done; pgrep -f \"$p\" | sort -n");
      runPids = pgrep.stdout.trim().split("\n").map(Number);
      expect(runPids).toHaveLength(4);
      expect(s.pid("c")).toBeGreaterThan(0);
    });
    // Dead: gone, or a zombie waiting for PID 1 to reap it (this machine's PID 1 does so only every few seconds).
    for (const pid of runPids) expect(["gone", "Z"]).toContain(readProc(pid)?.state ?? "gone");
  });
});

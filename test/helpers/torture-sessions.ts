// Every kind of session the labs use, for the block-protocol torture tests (test/e2e/engine-torture*.test.ts):
// host bash (also with CI=true), unshare … bash, chroot into a busybox root, chroot into the Alpine fixture
// (skipped, with the reason, without ../shared), ip netns exec, systemd-nspawn (through rootlab's shim). Builds
// the roots and the netns once per test file and removes them afterwards; each session is checked to leave no
// process of its run behind. Names: rlt9*.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect } from "vitest";
import { openSessions } from "../../src/exec/sessions.js";
import { pidsWithEnv } from "../../src/exec/proc-tree.js";
import { shimsDir } from "../../src/host/paths.js";
import type { BlockResult, RunRequest, Sessions } from "../../src/exec/types.js";
import { ALPINE_FIXTURE, ALPINE_MISSING } from "./shared-fixtures.js";

/** The shell, and for bash whether it is alone on its terminal (host) or below a launcher that keeps it open. */
export type Shell = "bash" | "ash" | "host" | "entered";

export type Run = (code: string, extra?: Partial<RunRequest>) => Promise<BlockResult>;

/** A kind of session: its name, its shell's tags, and the block that enters it (none: the host session). */
export type SessionKind = [name: string, shells: Shell[], enter: (() => string | undefined) | undefined];

export interface TortureSessions {
  /** Every kind, in this order: host bash, host bash with CI=true, unshare, busybox chroot, Alpine chroot, netns, nspawn. */
  kinds: SessionKind[];
  /**
   * Opens sessions like a lab run does, enters the kind's session as "s" (or uses "host"), runs `fn`, closes them
   * and checks no process of the run is left. False when the kind cannot run here (the Alpine fixture is absent).
   */
  withSession(kind: SessionKind, fn: (run: Run, sessions: Sessions, session: string) => Promise<void>): Promise<boolean>;
  /** Why a kind was skipped, for the test's output. */
  skipReason: string;
}

/** A root with busybox's sh and a few applets, /dev/null, /dev/zero and root's passwd line. */
function busyboxRoot(dir: string): void {
  for (const d of ["bin", "tmp", "proc", "dev", "usr", "etc"]) mkdirSync(`${dir}/${d}`, { recursive: true });
  copyFileSync("/usr/bin/busybox", `${dir}/bin/busybox`);
  execFileSync("chmod", ["755", `${dir}/bin/busybox`]);
  for (const applet of ["sh", "echo", "cat", "sleep", "false", "true", "mkdir", "rmdir", "rm", "kill", "head", "tr", "od", "dd"]) {
    symlinkSync("busybox", `${dir}/bin/${applet}`);
  }
  execFileSync("mknod", ["-m", "666", `${dir}/dev/null`, "c", "1", "3"]);
  execFileSync("mknod", ["-m", "666", `${dir}/dev/zero`, "c", "1", "5"]);
  writeFileSync(`${dir}/etc/passwd`, "root:x:0:0:root:/root:/bin/sh\n");
}

/** Call at the top of a describe block: sets up in beforeAll, removes in afterAll. `tag` names the netns/dirs. */
export function tortureSessions(tag: string): TortureSessions {
  const netns = `rlt9${tag}`;
  let base = "";
  let bbroot = "";
  let nsroot = "";
  let alpineRoot: string | undefined;

  beforeAll(() => {
    spawnSync("ip", ["netns", "del", netns], { stdio: "ignore" });
    execFileSync("ip", ["netns", "add", netns]);
    base = mkdtempSync(`/var/tmp/rlt9-torture-${tag}-`);
    bbroot = `${base}/bbroot`;
    busyboxRoot(bbroot);
    nsroot = `${base}/nsroot`;
    execFileSync("cp", ["-a", bbroot, nsroot]);
    if (!ALPINE_MISSING) {
      alpineRoot = `${base}/alpine`;
      mkdirSync(alpineRoot);
      execFileSync("tar", ["-xzf", ALPINE_FIXTURE, "-C", alpineRoot]);
      execFileSync("mknod", ["-m", "666", `${alpineRoot}/dev/null`, "c", "1", "3"]);
      execFileSync("mknod", ["-m", "666", `${alpineRoot}/dev/zero`, "c", "1", "5"]);
    }
  });

  afterAll(() => {
    spawnSync("ip", ["netns", "del", netns], { stdio: "ignore" });
    if (base) rmSync(base, { recursive: true, force: true });
  });

  const kinds: SessionKind[] = [
    ["host bash", ["bash", "host"], undefined],
    ["host bash with CI=true", ["bash", "host"], undefined],
    ["unshare … bash", ["bash", "entered"], () => "unshare --fork --pid --mount-proc bash"],
    ["chroot DIR /bin/sh (busybox ash)", ["ash"], () => `chroot ${bbroot} /bin/sh`],
    ["chroot into the Alpine fixture (busybox ash)", ["ash"], () => (alpineRoot ? `chroot ${alpineRoot} /bin/sh` : undefined)],
    ["ip netns exec", ["bash", "entered"], () => `ip netns exec ${netns} bash`],
    ["systemd-nspawn", ["ash"], () => `${shimsDir()}/systemd-nspawn -q -D ${nsroot} /bin/sh`],
  ];

  async function withSession([name, , enterCode]: SessionKind, fn: (run: Run, s: Sessions, session: string) => Promise<void>): Promise<boolean> {
    const enter = enterCode?.();
    if (enterCode && !enter) return false;
    const runId = `rlt9-${randomBytes(6).toString("hex")}`;
    const labDir = mkdtempSync(`${base}/lab-`);
    const env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin", LC_ALL: "C.UTF-8", LAB_DIR: labDir, ROOTLAB_RUN_ID: runId, HOME: "/root" };
    if (name.includes("CI=true")) env.CI = "true";
    const sessions = await openSessions({ env, labDir });
    const session = enter ? "s" : "host";
    const run: Run = (code, extra = {}) => sessions.run({ code, codeLine: 10, session, timeoutMs: 20_000, mode: "script", ...extra });
    try {
      if (enter) {
        const entered = await sessions.run({ code: enter, codeLine: 1, session: "host", enter: "s", timeoutMs: 20_000, mode: "script" });
        expect(entered, `${entered.reason} ${entered.stderr}`).toMatchObject({ kind: "ok" });
      }
      await fn(run, sessions, session);
    } finally {
      await sessions.close();
      expect(pidsWithEnv("ROOTLAB_RUN_ID", runId)).toEqual([]);
    }
    return true;
  }

  return { kinds, withSession, skipReason: ALPINE_MISSING ?? "" };
}

/** What a block does in one shell: its stdout and status (and stderr when given), the session going on. */
export interface Goes {
  stdout: string | RegExp;
  status: number;
  stderr?: string | RegExp;
}
/** [name, block, in bash, in busybox ash (undefined: not run there), a block that puts the session back] */
export type Row = [string, string, Goes | undefined, Goes | undefined, string?];

/** The block prints `stdout`, nothing on stderr, and ends with `status`. */
export const same = (stdout: string, status = 0): Goes => ({ stdout, status, stderr: "" });

/** The shell a kind of session runs: rows say what each does. */
export const shellOf = (kind: SessionKind): "bash" | "ash" => (kind[1].includes("ash") ? "ash" : "bash");
export const like = (want: string | RegExp) => (typeof want === "string" ? want : expect.stringMatching(want));
/** Megabytes would flood the report: their length and a sample say the same. */
const shown = (s: string) => (s.length > 10_000 ? `${s.length} chars, ${JSON.stringify(s.slice(0, 20))}…` : s);

/**
 * A test body that runs ROWS in one session of a kind, one after the other: each does what the row says in that
 * shell (rows without a word for it are passed over), the next block still runs, and the row's undo puts it back.
 */
export function rowRunner({ withSession, skipReason }: Pick<TortureSessions, "withSession" | "skipReason">) {
  return (rows: Row[]) => async (...kind: SessionKind) => {
    const shell = shellOf(kind);
    const ran = await withSession(kind, async (run) => {
      for (const [name, code, inBash, inAsh, undo] of rows) {
        const want: Goes | undefined = shell === "bash" ? inBash : inAsh;
        if (!want) continue;
        const r = await run(code, { timeoutMs: 15_000 });
        const stdout = typeof want.stdout === "string" ? shown(want.stdout) : like(want.stdout);
        expect({ name, kind: r.kind, exitCode: r.exitCode, stdout: shown(r.stdout), reason: r.reason }).toEqual({ name, kind: "ok", exitCode: want.status, stdout, reason: undefined });
        if (want.stderr !== undefined) expect({ name, stderr: r.stderr }).toEqual({ name, stderr: like(want.stderr) });
        const next = await run("echo next\necho two");
        expect({ name, kind: next.kind, stdout: next.stdout, stderr: next.stderr }).toEqual({ name, kind: "ok", stdout: "next\ntwo\n", stderr: "" });
        if (undo) expect({ name, undo: await run(undo) }).toMatchObject({ name, undo: { kind: "ok", exitCode: 0 } });
      }
    });
    if (!ran) console.log(`skipped ${kind[0]}: ${skipReason}`);
  };
}

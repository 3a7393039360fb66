// The run lock across real processes: a second run waits, a stale lock is taken over, contenders never overlap.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { acquireRunLock } from "../../src/host/lock.js";
import { RefusedError } from "../../src/core/errors.js";
import { ROOT } from "../helpers/cli.js";

const LOCK_MODULE = join(ROOT, "dist/host/lock.js");
let dir: string;
let lockPath: string;
const children: ChildProcess[] = [];

/** A separate process that takes the lock, prints "held", and releases it when its stdin closes. */
function holder(path: string): Promise<ChildProcess> {
  const code = `
    const { acquireRunLock } = await import(${JSON.stringify(LOCK_MODULE)});
    const release = await acquireRunLock({ path: ${JSON.stringify(path)}, waitMs: 20000, pollMs: 20 });
    process.stdout.write("held\\n");
    process.stdin.on("end", () => { release(); process.exit(0); });
    process.stdin.resume();`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", code], { stdio: ["pipe", "pipe", "inherit"] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => d.toString().includes("held") && resolve(child));
    child.on("exit", (c) => reject(new Error(`lock holder exited early (${c})`)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null ? Promise.resolve() : new Promise((r) => child.on("exit", () => r()));
}

beforeAll(() => {
  if (!existsSync(LOCK_MODULE)) throw new Error(`build first (npx tsc -p tsconfig.build.json): ${LOCK_MODULE} is missing`);
  dir = mkdtempSync(join(tmpdir(), "rlt3-lock-"));
  lockPath = join(dir, "rootlab.lock");
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  await Promise.all(children.map(exited));
  rmSync(dir, { recursive: true, force: true });
});

describe("acquireRunLock", () => {
  it("writes our PID and start time; release is idempotent", async () => {
    const release = await acquireRunLock({ path: lockPath });
    expect(readFileSync(lockPath, "utf8")).toMatch(new RegExp(`^${process.pid} \\d+\\n$`));
    release();
    release();
    expect(existsSync(lockPath)).toBe(false);
  });

  it("waits for another process, says whom it waits for, and gets the lock when it is released", async () => {
    const other = await holder(lockPath);
    const waitedFor: number[] = [];
    const acquiring = acquireRunLock({ path: lockPath, waitMs: 20_000, pollMs: 20, onWait: (pid) => waitedFor.push(pid) });
    const deadline = Date.now() + 5_000;
    while (waitedFor.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(waitedFor).toEqual([other.pid]);
    other.stdin!.end();
    const release = await acquiring;
    expect(readFileSync(lockPath, "utf8").split(" ")[0]).toBe(String(process.pid));
    release();
    await exited(other);
  });

  it("gives up after waitMs with a RefusedError naming the holder", async () => {
    const other = await holder(lockPath);
    const err = await acquireRunLock({ path: lockPath, waitMs: 300, pollMs: 20 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RefusedError);
    expect((err as Error).message).toContain(`PID ${other.pid}`);
    other.stdin!.end();
    await exited(other);
    expect(existsSync(lockPath)).toBe(false);
  });

  it.each([
    ["a dead holder", "999999999 1\n"],
    ["a reused PID (same PID, other start time)", `${process.ppid} 1\n`],
    ["garbage written long ago", "not a pid"],
  ])("takes over a stale lock: %s", async (_name, content) => {
    writeFileSync(lockPath, content);
    if (content === "not a pid") {
      const old = new Date(Date.now() - 60_000);
      (await import("node:fs")).utimesSync(lockPath, old, old);
    }
    const release = await acquireRunLock({ path: lockPath, waitMs: 2_000 });
    expect(readFileSync(lockPath, "utf8").startsWith(`${process.pid} `)).toBe(true);
    release();
  });

  it("does not remove a lock that another process took over", async () => {
    const release = await acquireRunLock({ path: lockPath });
    writeFileSync(lockPath, "1 1\n"); // as if someone had taken it over
    release();
    expect(readFileSync(lockPath, "utf8")).toBe("1 1\n");
    rmSync(lockPath);
  });

  it("four processes racing for the lock never hold it at the same time", async () => {
    const log = join(dir, "race.log");
    writeFileSync(log, "");
    const code = (i: number) => `
      const { acquireRunLock } = await import(${JSON.stringify(LOCK_MODULE)});
      const { appendFileSync } = await import("node:fs");
      for (let round = 0; round < 3; round++) {
        const release = await acquireRunLock({ path: ${JSON.stringify(lockPath)}, waitMs: 30000, pollMs: 5 });
        appendFileSync(${JSON.stringify(log)}, "in ${i}\\n");
        await new Promise((r) => setTimeout(r, 15));
        appendFileSync(${JSON.stringify(log)}, "out ${i}\\n");
        release();
      }`;
    const racers = [0, 1, 2, 3].map((i) => spawn(process.execPath, ["--input-type=module", "-e", code(i)], { stdio: "inherit" }));
    children.push(...racers);
    const codes = await Promise.all(racers.map((c) => new Promise<number | null>((r) => c.on("exit", (x) => r(x)))));
    expect(codes).toEqual([0, 0, 0, 0]);
    const lines = readFileSync(log, "utf8").trim().split("\n");
    expect(lines).toHaveLength(24);
    for (let i = 0; i < lines.length; i += 2) {
      expect(lines[i]).toMatch(/^in \d$/);
      expect(lines[i + 1]).toBe(lines[i]!.replace("in", "out"));
    }
  });
});

// Spawn the real, built CLI (bin/rootlab.js -> dist/) and collect what it printed.
import { spawn, type ChildProcess, type ChildProcessByStdio } from "node:child_process";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const BIN = fileURLToPath(new URL("../../bin/rootlab.js", import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { env?: Record<string, string>; cwd?: string; input?: string } = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    // npm_command: rootlab names itself `npx rootlab` under npx; the tests expect `node bin/rootlab.js` however
    // vitest was started (npm test, npx vitest).
    env: { ...process.env, NO_COLOR: "1", ROOTLAB_DISPOSABLE: "1", npm_command: "", ...opts.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const result = collectOutput(child);
  child.stdin.end(opts.input ?? "");
  return result;
}

/** What any child process with piped stdout and stderr printed, and how it exited (the CLI wrapped in `unshare`…). */
export function collectOutput(child: ChildProcess): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** A CLI run in progress: its stdout and stderr together as they arrive, and its exit. */
export interface RunningCli {
  child: ChildProcessByStdio<null, Readable, Readable>;
  output(): string;
  exited: Promise<number | null>;
  /** Resolves once the output matches; rejects with the output so far at the deadline or when the CLI exits first. */
  waitFor(pattern: RegExp | string, timeoutMs?: number): Promise<void>;
}

export function startCli(args: string[], opts: { env?: Record<string, string> } = {}): RunningCli {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    // npm_command: rootlab names itself `npx rootlab` under npx; the tests expect `node bin/rootlab.js` however
    // vitest was started (npm test, npx vitest).
    env: { ...process.env, NO_COLOR: "1", ROOTLAB_DISPOSABLE: "1", npm_command: "", ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const l of listeners) l();
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  let done = false;
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  void exited.then(() => {
    done = true;
    for (const l of listeners) l();
  });
  const matches = (p: RegExp | string) => (typeof p === "string" ? out.includes(p) : new RegExp(p.source, p.flags.replace("g", "")).test(out));
  const waitFor = (pattern: RegExp | string, timeoutMs = 60_000) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (matches(pattern)) finish(() => resolve());
        else if (done) finish(() => reject(new Error(`the CLI exited before printing ${pattern}; output:\n${out}`)));
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`timed out waiting for ${pattern}; output so far:\n${out}`))), timeoutMs);
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        listeners.delete(check);
        settle();
      };
      listeners.add(check);
      check();
    });
  return { child, output: () => out, exited, waitFor };
}

// One-shot host commands (ip, nft, unshare, tar …). Never throws: the result says how the command ended,
// so probes can turn a failure into "no" and callers can quote stderr in their own error messages.
import { execFile, type ExecFileOptions } from "node:child_process";

export type CommandResult =
  | { ok: true; stdout: string; stderr: string }
  | { ok: false; stdout: string; stderr: string; code: number | null; reason: string };

export interface RunOptions {
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** In a process group of its own: a Ctrl-C at rootlab's terminal (SIGINT to its group) does not reach it. */
  detached?: boolean;
}

/** Runs FILE with ARGS (no shell). `reason` on failure reads like "exit 1: Cannot find device" or "not installed". */
export function runCommand(file: string, args: string[], opts: RunOptions = {}): Promise<CommandResult> {
  return new Promise((resolve) => {
    // `detached` is passed on to spawn (execFile's type does not list it).
    const options: ExecFileOptions & { detached?: boolean } = { timeout: opts.timeoutMs ?? 30_000, killSignal: "SIGKILL", maxBuffer: 64 * 1024 * 1024, env: opts.env ?? process.env, cwd: opts.cwd, detached: opts.detached };
    execFile(
      file,
      args,
      options,
      (err, stdout, stderr) => {
        const out = String(stdout);
        const errText = String(stderr);
        if (!err) return resolve({ ok: true, stdout: out, stderr: errText });
        const e = err as NodeJS.ErrnoException & { code?: string | number; killed?: boolean; signal?: string };
        const code = typeof e.code === "number" ? e.code : null;
        let reason: string;
        if (e.code === "ENOENT") reason = `${file}: not installed (not found)`;
        else if (e.killed && e.signal) reason = `${file}: killed by ${e.signal} (timed out after ${opts.timeoutMs ?? 30_000} ms?)`;
        else reason = `${file} ${args.join(" ")}: exit ${code ?? e.signal ?? "?"}${firstLine(errText) ? `: ${firstLine(errText)}` : ""}`;
        resolve({ ok: false, stdout: out, stderr: errText, code, reason });
      },
    );
  });
}

function firstLine(text: string): string {
  return text.trim().split("\n")[0]?.trim() ?? "";
}

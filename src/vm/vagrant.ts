// The one place that starts the `vagrant` CLI (through zx). Everything else in src/vm decides what to run
// and what the result means; this file only runs it, in the folder that holds rootlab's Vagrantfile.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { $, which } from "zx";

/** The rootlab package root: the folder with the Vagrantfile (dist/vm/vagrant.js -> ../../). */
export const VAGRANT_DIR = fileURLToPath(new URL("../../", import.meta.url)).replace(/\/$/, "");

/** How a vagrant command's output is handled: shown to the person as it happens, or kept for parsing. */
export type Stdio = "inherit" | "capture";

export interface VagrantOptions {
  stdio: Stdio;
  /** Sets VAGRANT_DEFAULT_PROVIDER (commands like `status` have no --provider flag). */
  provider?: string;
}

/** What running vagrant gave. `stdout`/`stderr` are empty when the output went to the terminal. */
export type VagrantRun =
  | { kind: "exited"; code: number; stdout: string; stderr: string }
  | { kind: "killed"; signal: string; stdout: string; stderr: string };

export type VagrantFound = { kind: "found"; path: string } | { kind: "missing" };

export async function findVagrant(): Promise<VagrantFound> {
  const path = await which("vagrant", { nothrow: true });
  return path ? { kind: "found", path } : { kind: "missing" };
}

export function vagrantfileExists(): boolean {
  return existsSync(`${VAGRANT_DIR}/Vagrantfile`);
}

/** Runs `vagrant ARGS…` with VAGRANT_CWD set, so it works from any directory. Never throws on exit codes. */
export async function runVagrant(args: string[], opts: VagrantOptions): Promise<VagrantRun> {
  // No version checks against HashiCorp's servers: the lab VM works offline.
  const env: NodeJS.ProcessEnv = { ...process.env, VAGRANT_CWD: VAGRANT_DIR, VAGRANT_CHECKPOINT_DISABLE: "1" };
  if (opts.provider) env.VAGRANT_DEFAULT_PROVIDER = opts.provider;
  // Vagrant colours and prompts only for terminals; captured output is parsed, so keep it plain.
  if (opts.stdio === "capture") env.VAGRANT_NO_COLOR = "1";
  const stdio = opts.stdio === "inherit" ? "inherit" : (["ignore", "pipe", "pipe"] as const);
  const out = await $({ env, stdio: stdio as never, nothrow: true, quiet: true, cwd: VAGRANT_DIR })`vagrant ${args}`;
  const stdout = opts.stdio === "capture" ? out.stdout : "";
  const stderr = opts.stdio === "capture" ? out.stderr : "";
  if (out.exitCode === null) return { kind: "killed", signal: out.signal ?? "unknown signal", stdout, stderr };
  return { kind: "exited", code: out.exitCode, stdout, stderr };
}

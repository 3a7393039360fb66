// `rootlab vm verify [labs…]`: boot (or reuse) the lab VM, run `rootlab verify --report junit` inside it, bring
// the JUnit report back over ssh (the default rsync share is one-way) and end with verify's own exit code.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { bootVm, checkVm, exitCodeOfRun, type VmOptions, type VmResult } from "./lifecycle.js";
import { explainVerifyExit } from "./problems.js";
import { runVagrant } from "./vagrant.js";

/** Where provision.sh made room for reports inside the VM, and where rootlab is installed there. */
export const VM_REPORT_DIR = "/var/lib/rootlab/reports";
export const VM_ROOTLAB_HOME = "/opt/rootlab";

/** Lab ids and relative paths only: they are pasted into a remote shell command. */
const LAB_ARG = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;

export function invalidLabArgs(labs: string[]): string[] {
  return labs.filter((l) => !LAB_ARG.test(l) || l.includes(".."));
}

export interface VerifyOptions extends VmOptions {
  labs: string[];
  strict?: boolean;
  /** A .xml file, or a folder for the report; default ./reports/. */
  out?: string;
  now?: Date;
  /** Progress for the person ("starting the VM…"); the caller decides where it goes. */
  onProgress?: (message: string) => void;
}

export function reportName(now: Date): string {
  const stamp = now.toISOString().replace(/\.\d+Z$/, "Z").replace(/[-:]/g, "");
  return `verify-${stamp}.xml`;
}

/** The host path the report is written to. */
export function localReportPath(out: string | undefined, name: string, cwd = process.cwd()): string {
  if (!out) return resolve(cwd, "reports", name);
  return out.endsWith(".xml") ? resolve(cwd, out) : resolve(cwd, out, name);
}

/** The command run in the VM (as the vagrant user, through `bash -l -c`). */
export function verifyCommand(labs: string[], remoteReport: string, strict: boolean): string {
  const targets = labs.length > 0 ? labs.join(" ") : "--all";
  const flags = strict ? " --strict" : "";
  return `cd ${VM_ROOTLAB_HOME} && sudo rootlab verify --report junit --out ${remoteReport}${flags} ${targets}`;
}

export async function verifyInVm(opts: VerifyOptions): Promise<VmResult> {
  const say = opts.onProgress ?? (() => {});
  const providerOpt = opts.provider ? { provider: opts.provider } : {};
  const ready = await checkVm("verify labs in the lab VM", opts);
  if (ready.kind === "failed") return ready.result;
  if (ready.machine.state !== "running") {
    say(`rootlab vm verify: the lab VM is ${ready.machine.stateText}; starting it (a first boot downloads the box and provisions it: minutes).`);
    const up = await bootVm(opts, ready.machine.provider);
    if (up.kind === "failed") return up;
  }

  const name = reportName(opts.now ?? new Date());
  const remoteReport = `${VM_REPORT_DIR}/${name}`;
  const command = verifyCommand(opts.labs, remoteReport, opts.strict ?? false);
  say(`rootlab vm verify: running in the VM: ${command}`);
  // `-- -T`: no pseudo-terminal, so output keeps LF line ends and stderr stays separate (Vagrant's --no-tty is ignored).
  const code = exitCodeOfRun(await runVagrant(["ssh", "-c", command, "--", "-T"], { stdio: "inherit", ...providerOpt }));
  const verdict = `verify in the VM exited with ${code}: ${explainVerifyExit(code)}`;
  if (code === 255) return { kind: "failed", exitCode: code, message: `${verdict}.` };

  const fetched = await runVagrant(["ssh", "-c", `sudo cat ${remoteReport}`, "--", "-T"], { stdio: "capture", ...providerOpt });
  if (fetched.kind !== "exited" || fetched.code !== 0 || fetched.stdout.trim() === "") {
    const why = fetched.kind === "exited" ? `exit ${fetched.code}: ${fetched.stderr.trim() || "empty output"}` : `killed by ${fetched.signal}`;
    return { kind: "failed", exitCode: code === 0 ? 1 : code, message: `${verdict}.\nNo report came back from ${remoteReport} (${why}).` };
  }
  const local = localReportPath(opts.out, name);
  await mkdir(dirname(local), { recursive: true });
  await writeFile(local, fetched.stdout);
  const message = `${verdict}.\nJUnit report: ${local}`;
  return code === 0 ? { kind: "ok", message } : { kind: "failed", exitCode: code, message };
}

// `vagrant status --machine-readable`: parsing (pure) and the query that every `rootlab vm` command starts with,
// because it is also the cheapest way to learn whether Vagrant and a provider are usable at all.
import { diagnoseVagrantFailure, type VagrantProblem } from "./problems.js";
import { findVagrant, runVagrant, vagrantfileExists, VAGRANT_DIR } from "./vagrant.js";

/** Vagrant's machine states that matter here; anything else is kept as reported (e.g. "paused", "shutoff"). */
export type MachineStateName = "running" | "not_created" | "poweroff" | "saved" | "aborted" | (string & {});

export interface MachineStatus {
  name: string;
  state: MachineStateName;
  /** e.g. "not created", "running" */
  stateText: string;
  provider: string;
}

/** Machine-readable lines are `timestamp,target,type,data…`; commas and newlines inside data are escaped. */
export function parseMachineReadable(output: string): MachineStatus[] {
  const machines = new Map<string, MachineStatus>();
  for (const line of output.split("\n")) {
    const fields = line.trim().split(",");
    if (fields.length < 4) continue;
    const [, target, type, ...data] = fields as [string, string, string, ...string[]];
    if (!target) continue;
    const value = unescapeField(data[0] ?? "");
    const m = machines.get(target) ?? { name: target, state: "unknown", stateText: "unknown", provider: "unknown" };
    if (type === "state") m.state = value;
    else if (type === "state-human-short") m.stateText = value;
    else if (type === "provider-name") m.provider = value;
    else continue;
    machines.set(target, m);
  }
  return [...machines.values()];
}

function unescapeField(s: string): string {
  return s.replaceAll("%!(VAGRANT_COMMA)", ",").replaceAll("\\n", "\n").replaceAll("\\r", "\r");
}

export type StatusResult =
  | { kind: "ok"; machine: MachineStatus }
  | { kind: "problem"; problem: VagrantProblem };

/** Asks Vagrant for the state of the lab VM ("default"). */
export async function queryStatus(provider?: string): Promise<StatusResult> {
  if ((await findVagrant()).kind === "missing") return { kind: "problem", problem: { kind: "vagrant-missing" } };
  if (!vagrantfileExists()) return { kind: "problem", problem: { kind: "no-vagrantfile", dir: VAGRANT_DIR } };
  const run = await runVagrant(["status", "--machine-readable"], { stdio: "capture", ...(provider ? { provider } : {}) });
  if (run.kind === "exited" && run.code === 0) {
    const machine = parseMachineReadable(run.stdout).find((m) => m.name === "default") ?? parseMachineReadable(run.stdout)[0];
    if (machine) return { kind: "ok", machine };
  }
  return { kind: "problem", problem: diagnoseVagrantFailure(run) };
}

// `rootlab vm up | ssh | status | destroy`: each asks Vagrant for the VM's state first (which also tells whether
// Vagrant and a provider are usable), then hands the terminal to vagrant. Returns results; never prints.
import { describeProblem, exitCodeForProblem, vagrantExitWords } from "./problems.js";
import { queryStatus, type MachineStatus } from "./status.js";
import { runVagrant, type VagrantRun } from "./vagrant.js";
import { removeLibvirtLeftovers } from "./libvirt-leftovers.js";
import { DEFAULT_BOX, readVmSettings } from "./settings.js";
import { rootlabCommand } from "../core/rootlab-command.js";
import { cachedKvmProbe, probeAndCacheKvm } from "./kvm-probe.js";
import { libvirtReachable, libvirtStartAdvice, libvirtUri } from "./libvirt-host.js";

/** What a `rootlab vm` action ended with; `message` is for the person (stdout when ok, stderr otherwise). */
export type VmResult = { kind: "ok"; message: string } | { kind: "failed"; exitCode: number; message: string };

export interface VmOptions {
  provider?: string;
}

function providerOpt(opts: VmOptions): { provider?: string } {
  return opts.provider ? { provider: opts.provider } : {};
}

/** Exit code of a run whose output went to the terminal (a signal counts as 128+n, like a shell). */
export function exitCodeOfRun(run: VagrantRun): number {
  return run.kind === "exited" ? run.code : 129;
}

export type Ready = { kind: "ready"; machine: MachineStatus } | { kind: "failed"; result: VmResult };

/** Status first: the cheapest check that Vagrant, the Vagrantfile, the settings and a provider are usable. */
export async function checkVm(action: string, opts: VmOptions): Promise<Ready> {
  const status = await queryStatus(opts.provider);
  if (status.kind === "ok") return { kind: "ready", machine: status.machine };
  const result: VmResult = { kind: "failed", exitCode: exitCodeForProblem(status.problem), message: describeProblem(status.problem, action) };
  return { kind: "failed", result };
}

/** `vagrant up`, with its output on the terminal. */
export async function startVm(opts: VmOptions & { provision?: boolean }): Promise<VmResult> {
  const ready = await checkVm("start the lab VM", opts);
  if (ready.kind === "failed") return ready.result;
  return bootVm(opts, ready.machine.provider);
}

/**
 * `vagrant up` without the status check first (for callers that just did it; MACHINE_PROVIDER is the provider
 * that status reported, Vagrant's own choice when neither --provider nor lab-vm.yml names one).
 */
export async function bootVm(opts: VmOptions & { provision?: boolean }, machineProvider?: string): Promise<VmResult> {
  const named = opts.provider ?? readVmSettings().provider;
  // Without libvirtd, vagrant-libvirt fails deep inside `vagrant up` with a socket error and no way forward.
  if ((named ?? machineProvider) === "libvirt" && !(await libvirtReachable())) {
    const self = rootlabCommand();
    const message = `cannot start the lab VM: its provider is libvirt, and libvirt does not answer on ${libvirtUri()}.\nlibvirtd is not running: ${await libvirtStartAdvice()}.\nThen run \`${self} vm up\` again; \`${self} vm doctor\` checks the rest (Vagrant, KVM, disk).`;
    return { kind: "failed", exitCode: 3, message };
  }
  // libvirt's driver (KVM or emulation) comes from a probe the Vagrantfile reads: make it once per machine.
  if (named === "libvirt" && !(await cachedKvmProbe())) await probeAndCacheKvm();
  const args = ["up"];
  if (opts.provider) args.push(`--provider=${opts.provider}`);
  if (opts.provision) args.push("--provision");
  const code = exitCodeOfRun(await runVagrant(args, { stdio: "inherit", ...providerOpt(opts) }));
  if (code !== 0) {
    return { kind: "failed", exitCode: 1, message: `vagrant up failed (exit ${code}: ${vagrantExitWords(code)}). See docs/vm.md, "Troubleshooting".` };
  }
  // Inside the VM rootlab is on the PATH (docs/vm.md), so `sudo rootlab` there is right as it stands.
  return { kind: "ok", message: `The lab VM is running. Open a shell in it with \`${rootlabCommand()} vm ssh\` (or \`vagrant ssh\`), then run \`sudo rootlab\`.` };
}

/** `vagrant ssh [-c COMMAND]`: an interactive shell, or one command whose exit status is passed through. */
export async function sshVm(command: string | undefined, opts: VmOptions): Promise<VmResult> {
  const ready = await checkVm("open a shell in the lab VM", opts);
  if (ready.kind === "failed") return ready.result;
  if (ready.machine.state !== "running") {
    return { kind: "failed", exitCode: 1, message: `the lab VM is ${ready.machine.stateText}: start it with \`${rootlabCommand()} vm up\` first.` };
  }
  const args = command === undefined ? ["ssh"] : ["ssh", "-c", command];
  const code = exitCodeOfRun(await runVagrant(args, { stdio: "inherit", ...providerOpt(opts) }));
  if (code === 0) return { kind: "ok", message: "" };
  if (code === 255) return { kind: "failed", exitCode: code, message: `vagrant ssh: ${vagrantExitWords(code)}.` };
  return { kind: "failed", exitCode: code, message: "" }; // the command's own status: its output said why
}

/**
 * What to do next in the machine's state. BOX is lab-vm.yml's: the default one comes from Vagrant Cloud and
 * provisions from the internet, so an offline machine needs the other way (docs/vm.md, "Offline path").
 */
export function describeMachine(m: MachineStatus, box = readVmSettings().box, self = rootlabCommand()): string {
  const create =
    box === DEFAULT_BOX
      ? `Create it with \`${self} vm up\`: the first boot downloads the box ${box} from Vagrant Cloud and provisions it from the internet (minutes). Offline, build the box here first: \`sudo ${self} vm box build\`, then the \`vagrant box add\` it prints, and \`box: rootlab-lab\` in lab-vm.yml (docs/vm.md, "Offline path").`
      : `Create it with \`${self} vm up\` (the first boot starts the box ${box} — downloaded first unless \`vagrant box list\` has it — and provisions it).`;
  const next: Record<string, string> = {
    running: `Open a shell with \`${self} vm ssh\`; check the labs with \`${self} vm verify\`.`,
    not_created: create,
    poweroff: `Start it with \`${self} vm up\`.`,
    saved: `Resume it with \`${self} vm up\`.`,
  };
  return `lab VM (${m.name}): ${m.stateText} (${m.provider})\n${next[m.state] ?? "Run `vagrant status` in the rootlab folder for details."}`;
}

export async function vmStatus(opts: VmOptions): Promise<VmResult> {
  const ready = await checkVm("show the lab VM's status", opts);
  if (ready.kind === "failed") return ready.result;
  return { kind: "ok", message: describeMachine(ready.machine) };
}

/** `vagrant destroy -f`, then what libvirt keeps after it (base volume, pool, network). Never created: not an error. */
export async function destroyVm(opts: VmOptions): Promise<VmResult> {
  const ready = await checkVm("destroy the lab VM", opts);
  if (ready.kind === "failed") return ready.result;
  let message = "There is no lab VM to destroy (not created).";
  if (ready.machine.state !== "not_created") {
    const code = exitCodeOfRun(await runVagrant(["destroy", "-f"], { stdio: "inherit", ...providerOpt(opts) }));
    if (code !== 0) return { kind: "failed", exitCode: 1, message: `vagrant destroy failed (exit ${code}: ${vagrantExitWords(code)}).` };
    message = `The lab VM is destroyed. \`${rootlabCommand()} vm up\` makes a fresh one.`;
  }
  if (ready.machine.provider === "libvirt") {
    const left = await removeLibvirtLeftovers(readVmSettings().box);
    if (left.removed.length > 0) message += `\nAlso removed from libvirt: ${left.removed.join(", ")}.`;
    if (left.problems.length > 0) return { kind: "failed", exitCode: 1, message: `${message}\nCould not remove everything: ${left.problems.join("; ")}` };
  }
  return { kind: "ok", message };
}

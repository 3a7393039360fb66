// Turns what Vagrant said into what a person should do, and exit codes into words. Pure: tested by table.
import type { VagrantRun } from "./vagrant.js";

export type VagrantProblem =
  | { kind: "vagrant-missing" }
  | { kind: "no-vagrantfile"; dir: string }
  | { kind: "no-provider" }
  | { kind: "provider-unusable"; detail: string }
  | { kind: "provider-not-found"; detail: string }
  | { kind: "settings"; detail: string }
  | { kind: "failed"; code: number; detail: string }
  | { kind: "killed"; signal: string };

const INSTALL_VAGRANT =
  "Install Vagrant: on Debian/Ubuntu `sudo apt-get install --no-install-recommends vagrant`, elsewhere from HashiCorp's site (developer.hashicorp.com/vagrant/install).";
const INSTALL_PROVIDER =
  "Install a provider: VirtualBox (virtualbox.org; Vagrant 2.3.x supports VirtualBox up to 7.0), or on Linux libvirt with the plugin: `sudo apt-get install libvirt-daemon-system vagrant-libvirt` (or `vagrant plugin install vagrant-libvirt`).";

/** Reads Vagrant's machine-readable `error-exit` line (class and message) if there is one. */
function errorExit(output: string): { cls: string; message: string } | undefined {
  for (const line of output.split("\n")) {
    const fields = line.split(",");
    if (fields[2] === "error-exit" && fields[3]) {
      const message = fields.slice(4).join(",").replaceAll("%!(VAGRANT_COMMA)", ",").replaceAll("\\n", "\n");
      return { cls: fields[3], message };
    }
  }
  return undefined;
}

/** What went wrong when a vagrant command did not succeed. */
export function diagnoseVagrantFailure(run: VagrantRun): VagrantProblem {
  if (run.kind === "killed") return { kind: "killed", signal: run.signal };
  const text = `${run.stdout}\n${run.stderr}`;
  const err = errorExit(text);
  const detail = (err?.message ?? text).trim();
  const cls = err?.cls ?? "";
  if (cls.endsWith("NoDefaultProvider") || /No usable default provider could be found/.test(text)) return { kind: "no-provider" };
  if (cls.endsWith("ProviderNotUsable") || /is reporting that it isn't usable/.test(text)) return { kind: "provider-unusable", detail };
  if (cls.endsWith("ProviderNotFound") || /The provider '.*' could not be found/.test(text)) return { kind: "provider-not-found", detail };
  // The Vagrantfile raises its settings errors before anything else: "failed to initialize at a very early stage".
  if (/failed to initialize at a very early stage/.test(text)) {
    return { kind: "settings", detail: text.replace(/^[\s\S]*?failed to initialize at a very early stage:\s*/, "").trim() };
  }
  return { kind: "failed", code: run.code, detail };
}

/** rootlab's exit code for a problem: 3 = cannot run here (install something), 2 = fix your settings, 1 = failed. */
export function exitCodeForProblem(p: VagrantProblem): number {
  switch (p.kind) {
    case "vagrant-missing":
    case "no-vagrantfile":
    case "no-provider":
    case "provider-unusable":
    case "provider-not-found":
      return 3;
    case "settings":
      return 2;
    case "failed":
    case "killed":
      return 1;
  }
}

/** The message for a problem: what failed, then what to do. */
export function describeProblem(p: VagrantProblem, action: string): string {
  switch (p.kind) {
    case "vagrant-missing":
      return `cannot ${action}: the \`vagrant\` command was not found on PATH.\n${INSTALL_VAGRANT}\nThen install a provider: ${INSTALL_PROVIDER.replace(/^Install a provider: /, "")}`;
    case "no-vagrantfile":
      return `cannot ${action}: there is no Vagrantfile in ${p.dir}. Run rootlab from a checkout of the rootlab repository.`;
    case "no-provider":
      return `cannot ${action}: Vagrant found no usable provider (no hypervisor) on this machine.\n${INSTALL_PROVIDER}`;
    case "provider-unusable":
      return `cannot ${action}: the chosen Vagrant provider cannot run here. Vagrant says:\n${indent(p.detail)}\n${INSTALL_PROVIDER}\nOr choose the other provider: \`--provider libvirt|virtualbox\` or \`provider:\` in lab-vm.yml.`;
    case "provider-not-found":
      return `cannot ${action}: Vagrant does not know the requested provider (a plugin is missing). Vagrant says:\n${indent(p.detail)}\n${INSTALL_PROVIDER}`;
    case "settings":
      return `cannot ${action}: the VM settings are not valid:\n${indent(p.detail)}`;
    case "failed":
      return `cannot ${action}: vagrant exited with ${p.code} (${vagrantExitWords(p.code)}). Vagrant says:\n${indent(p.detail || "(nothing)")}`;
    case "killed":
      return `cannot ${action}: vagrant was stopped by ${p.signal}.`;
  }
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
}

/** Vagrant itself only uses 0 and 1; anything else came from a child it ran (ssh, the provider). */
export function vagrantExitWords(code: number): string {
  if (code === 0) return "success";
  if (code === 1) return "Vagrant reported an error; its message is above";
  if (code === 255) return "the ssh connection to the VM failed or was cut";
  if (code === 127) return "a command was not found";
  if (code > 128 && code < 160) return `killed by signal ${code - 128}`;
  return `exit status ${code}`;
}

/** Words for the exit status of `rootlab verify` run inside the VM over `vagrant ssh -c`. */
export function explainVerifyExit(code: number): string {
  switch (code) {
    case 0:
      return "every lab passed";
    case 1:
      return "a step, check, cleanup or leak check failed (see the report)";
    case 2:
      return "a lab is invalid or the verify command line was wrong (see the messages above)";
    case 3:
      return "rootlab refused to run in the VM (not root, not marked disposable, or a lab cannot run there)";
    case 70:
      return "rootlab hit an internal error in the VM (a bug: please report it with the messages above)";
    case 127:
      return "rootlab is not installed in the VM: provisioning did not finish; run `rootlab vm up --provision`";
    case 255:
      return "the ssh connection to the VM failed or was cut, so the labs did not finish and there is no verdict";
    default:
      return vagrantExitWords(code);
  }
}

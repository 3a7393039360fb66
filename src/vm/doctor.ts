// `rootlab vm doctor`: what this host can do before `vagrant up`. Each check tries the real thing where it can
// (KVM is booted, libvirt is asked), and says what to do when it fails. Returns findings; never prints.
import { existsSync } from "node:fs";
import { statfs } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { rootlabCommand } from "../core/rootlab-command.js";
import { runCommand } from "../host/run.js";
import { probeAndCacheKvm } from "./kvm-probe.js";
import { libvirtReachable, libvirtStartAdvice, libvirtUri } from "./libvirt-host.js";
import { readVmSettings } from "./settings.js";
import { findVagrant, runVagrant } from "./vagrant.js";

export interface Finding {
  level: "ok" | "warn" | "fail";
  what: string;
  detail: string;
}

const NEED_GIB = 10;

export function archFinding(arch: string): Finding {
  if (arch === "x64") return { level: "ok", what: "CPU architecture", detail: "x86-64 (the lab box is amd64)" };
  const instead = arch === "arm64"
    ? "The lab box and debian/bookworm64 are amd64 only. On an arm64 host (Apple Silicon, ARM Linux) run the labs in an arm64 Debian 12 VM of your own (UTM, Parallels, a cloud VM): clone rootlab there and run provision/provision.sh as root."
    : "The lab box is amd64 only: use an x86-64 machine, or a Debian 12 VM of your own with provision/provision.sh.";
  return { level: "fail", what: "CPU architecture", detail: `${arch}. ${instead}` };
}

export async function diskFinding(path: string): Promise<Finding> {
  const st = await statfs(path).catch(() => undefined);
  if (!st) return { level: "warn", what: `free disk (${path})`, detail: "could not read it" };
  const gib = (st.bavail * st.bsize) / 2 ** 30;
  const detail = `${gib.toFixed(1)} GiB free (a VM needs about ${NEED_GIB} GiB: box, its copy in libvirt's pool, the VM's disk)`;
  return { level: gib >= NEED_GIB ? "ok" : "fail", what: `free disk (${path})`, detail };
}

export async function vmDoctor(): Promise<Finding[]> {
  const findings: Finding[] = [archFinding(process.arch)];
  const vagrant = await findVagrant();
  if (vagrant.kind === "missing") {
    findings.push({ level: "fail", what: "Vagrant", detail: "not installed: `sudo apt-get install --no-install-recommends vagrant vagrant-libvirt` (Debian/Ubuntu), else developer.hashicorp.com/vagrant/install" });
  } else {
    const v = await runVagrant(["--version"], { stdio: "capture" });
    findings.push({ level: "ok", what: "Vagrant", detail: `${v.stdout.trim() || "installed"} (${vagrant.path})` });
    const plugins = await runVagrant(["plugin", "list"], { stdio: "capture" });
    const libvirtPlugin = /vagrant-libvirt/.test(plugins.stdout) || existsSync("/usr/share/rubygems-integration/all/gems/vagrant-libvirt-0.11.2");
    findings.push(libvirtPlugin
      ? { level: "ok", what: "provider plugin", detail: "vagrant-libvirt" }
      : { level: "fail", what: "provider plugin", detail: "vagrant-libvirt is missing: `sudo apt-get install --no-install-recommends vagrant-libvirt` (or `vagrant plugin install vagrant-libvirt`)" });
    const boxes = await runVagrant(["box", "list"], { stdio: "capture" });
    const box = readVmSettings().box;
    findings.push(boxes.stdout.split("\n").some((l) => l.split(/\s+/)[0] === box)
      ? { level: "ok", what: "box", detail: `${box} is added to Vagrant` }
      : { level: "warn", what: "box", detail: `${box} is not added yet: \`vagrant up\` downloads it (internet), or build one offline: \`sudo ${rootlabCommand()} vm box build\`, then the printed \`vagrant box add\`` });
  }
  findings.push(await libvirtFinding());
  const kvm = await probeAndCacheKvm();
  findings.push(kvm.kvm
    ? { level: "ok", what: "KVM", detail: `works (${kvm.detail}): the VM runs at full speed` }
    : { level: "warn", what: "KVM", detail: `not usable: ${kvm.detail}. The VM runs under QEMU's emulation (TCG): it works, about 25× slower for process and namespace creation.` });
  const vbox = (await runCommand("sh", ["-c", "command -v VBoxManage"])).ok;
  const kvmLoaded = existsSync("/sys/module/kvm_intel") || existsSync("/sys/module/kvm_amd");
  if (vbox && kvmLoaded) {
    findings.push({ level: "warn", what: "VirtualBox and KVM", detail: "both are installed and the kvm module is loaded: they fight over VT-x/AMD-V (VirtualBox VMs fail to start, or run without hardware virtualisation). Use one: for libvirt, keep KVM; for VirtualBox, `sudo modprobe -r kvm_intel kvm_amd`." });
  }
  findings.push(await diskFinding(existsSync("/var/lib/libvirt/images") ? "/var/lib/libvirt/images" : "/var/lib"));
  findings.push(await diskFinding(process.env.VAGRANT_HOME ?? join(homedir(), existsSync(join(homedir(), ".vagrant.d")) ? ".vagrant.d" : "")));
  return findings;
}

async function libvirtFinding(): Promise<Finding> {
  if (!(await runCommand("sh", ["-c", "command -v virsh"])).ok) {
    return { level: "fail", what: "libvirt", detail: "not installed: `sudo apt-get install --no-install-recommends libvirt-daemon-system libvirt-clients qemu-system-x86 dnsmasq-base`" };
  }
  if (await libvirtReachable()) return { level: "ok", what: "libvirt", detail: `libvirtd answers on ${libvirtUri()}` };
  const how = await libvirtStartAdvice();
  return { level: "fail", what: "libvirt", detail: `libvirtd does not answer on ${libvirtUri()}: ${how}` };
}

// `rootlab vm up|ssh|verify|status|destroy`: drive the disposable lab VM through Vagrant (src/vm/*).
import type { Command } from "../command.js";
import { UsageError } from "../../core/errors.js";
import { forTerminal } from "../fit-terminal.js";
import { destroyVm, sshVm, startVm, vmStatus, type VmResult } from "../../vm/lifecycle.js";
import { invalidLabArgs, verifyInVm } from "../../vm/verify.js";
import { runBoxBuild } from "./vm-box.js";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { packagedLabsDir } from "../../host/paths.js";
import { resolveLabArg } from "../../format/load.js";
import { vmDoctor, type Finding } from "../../vm/doctor.js";

const PROVIDERS = ["virtualbox", "libvirt"];
const SUBCOMMANDS = ["up", "ssh", "verify", "status", "destroy", "doctor", "box"];

const help = `Usage: rootlab vm <up|ssh|verify|status|destroy|doctor|box build> [options]

Drive the disposable lab VM (the Vagrantfile in the rootlab folder, configured by lab-vm.yml) with Vagrant.
Works from any directory. Needs Vagrant and a provider (VirtualBox, or libvirt with vagrant-libvirt).

Subcommands:
  up                  Create and start the VM (the first time: add the box if needed and provision it)
  ssh [command...]    Open a shell in the VM, or run one command there (its exit status is passed through)
  verify [labs...]    Start (or reuse) the VM, run \`sudo rootlab verify --report junit\` inside for the named
                      labs (none or --all: every lab), copy the JUnit report back, exit with verify's exit code
  status              Show whether the VM exists and runs, and with which provider
  destroy             Delete the VM and what libvirt keeps of it (box volume, pool, network)
  doctor              Check this host: Vagrant, provider plugin, libvirt, KVM (tried for real), CPU, disk
  box build           Build the lab box offline from Debian packages (root; minutes): NAME.box, SHA256SUMS
                      and the \`vagrant box add\` command to run

Options:
  --provider NAME     virtualbox or libvirt (default: lab-vm.yml's provider, else the first usable one)
  --provision         up: run the provisioning again (idempotent: only what changed is redone)
  --out PATH          verify: where the report goes: a .xml file or a folder (default: ./reports/);
                      box build: the folder for NAME.box and SHA256SUMS (default: .)
  --strict            verify: also require every check to fail before its step (see \`rootlab verify --help\`)
  --all               verify: every lab (the same as naming none)
  --report junit      verify: the report format (JUnit is what comes back from the VM)
  --name NAME         box build: the box's name (default: rootlab-lab)
  -h, --help          Show this help

Examples:
  rootlab vm doctor
  sudo rootlab vm box build --out /srv/boxes
  vagrant box add --name rootlab-lab /srv/boxes/rootlab-lab.box
  rootlab vm up
  rootlab vm ssh                      # then, in the VM: sudo rootlab
  rootlab vm verify --all --strict --report junit --out reports/vm.xml
  rootlab vm verify chroot netns-veth
  rootlab vm destroy

Exit codes: 0 ok; 1 vagrant failed (or, for verify: a lab failed); 2 usage or invalid lab-vm.yml;
3 Vagrant or a provider is not installed (doctor: the host cannot run the VM); verify/ssh pass the remote exit
code through (255 = ssh failed).
More: docs/vm.md`;

function optString(values: Record<string, unknown>, key: string): string | undefined {
  const v = values[key];
  return typeof v === "string" ? v : undefined;
}

function finish(result: VmResult): number {
  if (result.kind === "ok") {
    if (result.message) process.stdout.write(`${forTerminal(process.stdout, result.message)}\n`);
    return 0;
  }
  if (result.message) process.stderr.write(`${forTerminal(process.stderr, `rootlab vm: ${result.message}`)}\n`);
  return result.exitCode;
}

function printFindings(findings: Finding[]): number {
  const mark = { ok: "ok  ", warn: "warn", fail: "FAIL" } as const;
  const failed = findings.filter((f) => f.level === "fail").length;
  const lines = findings.map((f) => `${mark[f.level]}  ${f.what}: ${f.detail}`);
  lines.push(failed === 0 ? "This host can run the lab VM." : `${failed} problem(s) above stop the lab VM here; each says what to do.`);
  process.stdout.write(`${forTerminal(process.stdout, lines.join("\n"))}\n`);
  return failed === 0 ? 0 : 3;
}

export const command: Command = {
  name: "vm",
  summary: "Drive the disposable lab VM with Vagrant (up, ssh, verify, status, destroy, doctor, box build)",
  help,
  options: {
    provider: { type: "string" },
    name: { type: "string" },
    all: { type: "boolean" },
    report: { type: "string" },
    provision: { type: "boolean" },
    out: { type: "string" },
    strict: { type: "boolean" },
  },
  allowPositionals: true,
  async run({ values, positionals }) {
    const [sub, ...rest] = positionals;
    if (!sub || !SUBCOMMANDS.includes(sub)) {
      const got = sub ? `unknown subcommand "${sub}"` : "a subcommand is missing";
      throw new UsageError(`${got}.\nExpected one of: ${SUBCOMMANDS.join(", ")}, e.g. \`rootlab vm up\`.\nRun \`rootlab vm --help\` for details.`);
    }
    const provider = optString(values, "provider");
    if (provider !== undefined && !PROVIDERS.includes(provider)) {
      throw new UsageError(`--provider must be one of ${PROVIDERS.join(", ")}, got "${provider}".`);
    }
    const out = optString(values, "out");
    if (sub === "box") return runBoxBuild(rest, out, optString(values, "name"));
    if (out !== undefined && sub !== "verify") throw new UsageError("--out only applies to `rootlab vm verify` and `rootlab vm box build`.");
    if (values.strict && sub !== "verify") throw new UsageError("--strict only applies to `rootlab vm verify`.");
    if (values.provision && sub !== "up") throw new UsageError("--provision only applies to `rootlab vm up`.");
    if (values.all && sub !== "verify") throw new UsageError("--all only applies to `rootlab vm verify`.");
    const report = optString(values, "report");
    if (report !== undefined && (sub !== "verify" || report !== "junit")) {
      throw new UsageError(`--report: \`rootlab vm verify\` brings back a JUnit report, so only \`--report junit\` is accepted${report !== "junit" ? `, got "${report}"` : ""}.`);
    }
    if (values.name !== undefined && sub !== "box") throw new UsageError("--name only applies to `rootlab vm box build`.");
    if (values.all && rest.length > 0) throw new UsageError(`--all runs every lab: give either --all or lab names, not both (got ${rest.join(" ")}).`);
    if (rest.length > 0 && sub !== "ssh" && sub !== "verify") {
      throw new UsageError(`\`rootlab vm ${sub}\` takes no arguments, got: ${rest.join(" ")}.`);
    }
    const opts = provider ? { provider } : {};

    switch (sub) {
      case "up":
        return finish(await startVm({ ...opts, provision: values.provision === true }));
      case "ssh":
        return finish(await sshVm(rest.length > 0 ? rest.join(" ") : undefined, opts));
      case "status":
        return finish(await vmStatus(opts));
      case "destroy":
        return finish(await destroyVm(opts));
      case "doctor":
        return printFindings(await vmDoctor());
      default: {
        const bad = invalidLabArgs(rest);
        if (bad.length > 0) {
          throw new UsageError(`lab names may hold only letters, digits and . _ / - (no ..), got: ${bad.join(", ")}.\nName labs by id (chroot) or by path inside the rootlab folder (labs/chroot.md).`);
        }
        // The VM runs this project's labs: a misspelt id is said now, not after minutes of booting.
        for (const lab of rest) if (!existsSync(join(dirname(packagedLabsDir()), lab))) await resolveLabArg(lab, packagedLabsDir());
        const onProgress = (m: string) => process.stderr.write(`${m}\n`);
        return finish(await verifyInVm({ ...opts, labs: rest, strict: values.strict === true, ...(out ? { out } : {}), onProgress }));
      }
    }
  },
};

// `rootlab vm …` end to end: the real CLI against a fake `vagrant` on PATH (test/fixtures/vagrant/bin/vagrant)
// that records every call and answers like Vagrant does. Proves which vagrant commands run, in which folder,
// with which arguments, and what the person sees and gets as exit code.
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ROOT, runCli } from "../helpers/cli.js";

const FAKE_BIN = join(ROOT, "test/fixtures/vagrant/bin");
const VAGRANT_DIR = ROOT.replace(/\/$/, "");
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "rlt5-fake-vagrant-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function setFake(files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
}

interface Call {
  cwd: string;
  provider: string;
  args: string[];
}
function calls(): Call[] {
  if (!existsSync(join(dir, "calls"))) return [];
  return readFileSync(join(dir, "calls"), "utf8")
    .trimEnd()
    .split("\n")
    .map((line) => {
      const [cwd = "", provider = "", ...args] = line.split("\t");
      return { cwd, provider, args };
    });
}

/**
 * A libvirt that does not exist. With it (and the fake virsh first on PATH) nothing here can reach a real
 * libvirt: `destroy` removes libvirt's leftovers, and the real lab VM test may be running on this machine.
 */
const NO_LIBVIRT = "qemu+unix:///system?socket=/nonexistent/rootlab-test-no-libvirt.sock";

function vm(args: string[], extraEnv: Record<string, string> = {}) {
  return runCli(["vm", ...args], { cwd: dir, env: { PATH: `${FAKE_BIN}:${process.env.PATH}`, FAKE_VAGRANT_DIR: dir, ROOTLAB_LIBVIRT_URI: NO_LIBVIRT, ...extraEnv } });
}

function virshCalls(): string[][] {
  if (!existsSync(join(dir, "virsh-calls"))) return [];
  return readFileSync(join(dir, "virsh-calls"), "utf8").trimEnd().split("\n").map((l) => l.split("\t"));
}

describe("rootlab vm with a fake vagrant", () => {
  it("status: not created, asks vagrant in the Vagrantfile's folder", async () => {
    const r = await vm(["status"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("lab VM (default): not created (libvirt)");
    // rootlab is named as it was run (here `node …/bin/rootlab.js`), and the offline way to the box is named too.
    expect(r.stdout).toMatch(/`(node )?\S*rootlab(\.js)? vm up`/);
    expect(r.stdout).toMatch(/Offline, build the box here first: `sudo (node )?\S*rootlab(\.js)? vm box build`/);
    expect(calls()).toEqual([{ cwd: VAGRANT_DIR, provider: "", args: ["status", "--machine-readable"] }]);
  });

  it("status: running, with the provider from --provider", async () => {
    setFake({ state: "running" });
    const r = await vm(["status", "--provider", "virtualbox"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("running (virtualbox)");
    expect(r.stdout).toMatch(/Open a shell with `(node )?\S*rootlab(\.js)? vm ssh`/);
    expect(r.stdout).not.toContain("`rootlab vm"); // the e2e runs node …/bin/rootlab.js: named so
    expect(calls()[0]?.provider).toBe("virtualbox");
  });

  it("up: status first, then vagrant up with the provider and --provision", async () => {
    setFake({ "libvirt-answers": "" });
    const r = await vm(["up", "--provider", "libvirt", "--provision"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("(fake) bringing machine up with libvirt"); // vagrant's output is passed through
    expect(r.stdout).toMatch(/Open a shell in it with `(node )?\S*rootlab(\.js)? vm ssh`/);
    expect(r.stdout).not.toContain("`rootlab vm ssh`"); // the e2e runs node …/bin/rootlab.js: named so
    expect(calls().map((c) => c.args)).toEqual([["status", "--machine-readable"], ["up", "--provider=libvirt", "--provision"]]);
  });

  it("up: a failing vagrant up is exit 1 with words", async () => {
    setFake({ "up-exit": "1", "libvirt-answers": "" });
    const r = await vm(["up"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("vagrant up failed (exit 1: Vagrant reported an error");
  });

  it("up: libvirt not running is said before vagrant up, with how to start it (exit 3)", async () => {
    // The provider comes from `vagrant status` (Vagrant's own choice: no --provider, no lab-vm.yml provider).
    const r = await vm(["up"], { ROOTLAB_VM_CONFIG: join(dir, "no-lab-vm.yml"), VAGRANT_DEFAULT_PROVIDER: "" });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain(`cannot start the lab VM: its provider is libvirt, and libvirt does not answer on ${NO_LIBVIRT}`);
    expect(r.stderr).toMatch(/libvirtd is not running: (start it: `sudo systemctl start libvirtd`|no init system runs it here: start it as root with `chgrp kvm \/dev\/kvm; chmod 660 \/dev\/kvm; virtlogd -d; libvirtd -d`)/);
    expect(r.stderr).toMatch(/Then run `(node )?\S*rootlab(\.js)? vm up` again/);
    expect(calls().map((c) => c.args)).toEqual([["status", "--machine-readable"]]); // vagrant up never ran
    // The same for `vm verify`, which boots a VM that is not running.
    const v = await vm(["verify", "chroot"], { ROOTLAB_VM_CONFIG: join(dir, "no-lab-vm.yml"), VAGRANT_DEFAULT_PROVIDER: "" });
    expect(v.code, v.stderr).toBe(3);
    expect(v.stderr).toContain("libvirt does not answer");
    expect(calls().some((c) => c.args[0] === "up")).toBe(false);
  });

  it("destroy: runs vagrant destroy -f on an existing VM, and nothing on a missing one", async () => {
    setFake({ state: "poweroff" });
    const r = await vm(["destroy"]);
    expect(r.code).toBe(0);
    expect(calls().map((c) => c.args)).toEqual([["status", "--machine-readable"], ["destroy", "-f"]]);
    const again = await vm(["destroy"]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("There is no lab VM to destroy");
    expect(calls()).toHaveLength(3);
  });

  it("destroy: libvirt's leftovers are looked for only on the libvirt named by ROOTLAB_LIBVIRT_URI", async () => {
    setFake({ state: "running" });
    const r = await vm(["destroy"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain("Also removed from libvirt");
    // One reachability question, on the unreachable libvirt; then nothing (no volume, pool or network call).
    expect(virshCalls()).toEqual([["--connect", NO_LIBVIRT, "-q", "uri"]]);
  });

  it("ssh: refuses a VM that is not running, passes a command's exit status through", async () => {
    const stopped = await vm(["ssh"]);
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toMatch(/start it with `(node )?\S*rootlab(\.js)? vm up` first/);
    expect(stopped.stderr).not.toContain("`rootlab vm up`");
    setFake({ state: "running", "ssh-exit": "7" });
    const r = await vm(["ssh", "--", "sudo", "rootlab", "list"]);
    expect(r.code).toBe(7);
    expect(calls().at(-1)?.args).toEqual(["ssh", "-c", "sudo rootlab list"]);
  });

  it("verify: boots a VM that is not running, runs the named labs, copies the report back", async () => {
    setFake({ "libvirt-answers": "", report: "<testsuites><testsuite name=\"chroot\"/></testsuites>\n" });
    const r = await vm(["verify", "chroot", "labs/03-netns-veth.md"]);
    expect(r.stderr).toContain("starting it");
    expect(r.code).toBe(0);
    const args = calls().map((c) => c.args);
    expect(args[0]).toEqual(["status", "--machine-readable"]);
    expect(args[1]).toEqual(["up"]);
    const run = args[2]!;
    expect(run.slice(0, 2)).toEqual(["ssh", "-c"]);
    expect(run.slice(3)).toEqual(["--", "-T"]);
    const m = /^cd \/opt\/rootlab && sudo rootlab verify --report junit --out (\/var\/lib\/rootlab\/reports\/verify-\d{8}T\d{6}Z\.xml) chroot labs\/03-netns-veth\.md$/.exec(run[2]!);
    expect(m, run[2]).not.toBeNull();
    const remote = m![1]!;
    expect(args[3]).toEqual(["ssh", "-c", `sudo cat ${remote}`, "--", "-T"]);
    const local = join(dir, "reports", remote.split("/").at(-1)!);
    expect(readFileSync(local, "utf8")).toBe("<testsuites><testsuite name=\"chroot\"/></testsuites>\n");
    expect(r.stdout).toContain(`JUnit report: ${local}`);
    expect(r.stdout).toContain("every lab passed");
  });

  it("verify: reuses a running VM, --all by default, --out names the file", async () => {
    setFake({ state: "running", report: "<testsuites/>\n" });
    const r = await vm(["verify", "--strict", "--out", "out/vm.xml"]);
    expect(r.code).toBe(0);
    const args = calls().map((c) => c.args);
    expect(args.some((a) => a[0] === "up")).toBe(false);
    expect(args[1]![2]).toMatch(/--strict --all$/);
    expect(readFileSync(join(dir, "out/vm.xml"), "utf8")).toBe("<testsuites/>\n");
  });

  it.each([
    [1, "a step, check, cleanup or leak check failed"],
    [2, "a lab is invalid or the verify command line was wrong"],
  ])("verify: exit %i from the VM is passed through, with the report", async (code, words) => {
    setFake({ state: "running", "verify-exit": String(code), report: "<testsuites/>\n" });
    const r = await vm(["verify", "chroot", "--out", "r"]);
    expect(r.code).toBe(code);
    expect(r.stderr).toContain(`verify in the VM exited with ${code}: ${words}`);
    expect(r.stderr).toMatch(/JUnit report: .*\/r\/verify-.*\.xml/);
  });

  it("verify: 255 (ssh failed) is passed through and explained; no report is fetched", async () => {
    setFake({ state: "running", "verify-exit": "255" });
    const r = await vm(["verify", "chroot"]);
    expect(r.code).toBe(255);
    expect(r.stderr).toContain("the ssh connection to the VM failed or was cut");
    expect(calls().filter((c) => c.args[2]?.startsWith("sudo cat"))).toHaveLength(0);
  });

  it("verify: a passing run whose report is missing fails (exit 1)", async () => {
    setFake({ state: "running" });
    const r = await vm(["verify", "chroot"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("No report came back from /var/lib/rootlab/reports/verify-");
  });

  it("verify: lab names that could reach the remote shell are refused (exit 2)", async () => {
    const r = await vm(["verify", "chroot;$(id)"]);
    expect(r.code).toBe(2);
    expect(calls()).toHaveLength(0);
  });

  it("no usable provider: says what to install, exit 3", async () => {
    setFake({ mode: "no-provider" });
    for (const sub of ["up", "status", "verify", "destroy", "ssh"]) {
      const r = await vm([sub]);
      expect(r.code, sub).toBe(3);
      expect(r.stderr).toContain("Vagrant found no usable provider");
      expect(r.stderr).toContain("vagrant-libvirt");
      expect(r.stderr).toContain("VirtualBox");
    }
  });

  it("vagrant missing: says what to install, exit 3", async () => {
    const bin = join(dir, "bin");
    mkdirSync(bin);
    symlinkSync("/bin/bash", join(bin, "bash")); // zx needs a shell; nothing else is on this PATH
    const r = await runCli(["vm", "up"], { cwd: dir, env: { PATH: bin, FAKE_VAGRANT_DIR: dir } });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("the `vagrant` command was not found on PATH");
    expect(r.stderr).toContain("apt-get install --no-install-recommends vagrant");
    expect(r.stderr).toContain("HashiCorp");
  });

  it("usage mistakes are exit 2", async () => {
    expect((await vm([])).code).toBe(2);
    expect((await vm(["launch"])).code).toBe(2);
    expect((await vm(["up", "--provider", "vmware"])).code).toBe(2);
    expect((await vm(["status", "--out", "x.xml"])).code).toBe(2);
    // A misspelt lab is said before minutes of booting, with the closest id.
    const typo = await vm(["verify", "chrot"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('Did you mean "chroot"?');
    expect(calls()).toHaveLength(0);
  });

  it("--help explains the subcommands with examples", async () => {
    const r = await runCli(["vm", "--help"]);
    expect(r.code).toBe(0);
    for (const s of ["up", "ssh", "verify [labs...]", "status", "destroy", "Examples:", "rootlab vm verify"]) expect(r.stdout).toContain(s);
  });
});

// The real Vagrantfile, checked by the real Vagrant offline (no box, no hypervisor): `vagrant validate
// --ignore-provider` for the core config and the lab-vm.yml loader; the provider blocks through vagrant-libvirt
// (no libvirtd needed) and a fake VBoxManage that answers 7.0.x (test/fixtures/vagrant/fake-vbox).
// Needs the Debian packages vagrant and vagrant-libvirt (installed with --no-install-recommends in CI).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";

const CONFIGS = join(ROOT, "test/fixtures/vagrant/configs");
const FAKE_VBOX = join(ROOT, "test/fixtures/vagrant/fake-vbox");
// Vagrant keeps its state (.vagrant/, ~/.vagrant.d) beside the Vagrantfile and in VAGRANT_HOME: keep the
// test's own out of the user's.
const vagrantHome = mkdtempSync(join(tmpdir(), "rlt5-vagrant-home-"));
afterAll(() => rmSync(vagrantHome, { recursive: true, force: true }));

/** Drops unset variables (the caller's VAGRANT_DEFAULT_PROVIDER or ROOTLAB_VM_CONFIG must not leak in). */
function cleanEnv(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

function vagrant(args: string[], env: Record<string, string | undefined> = {}) {
  const r = spawnSync("vagrant", args, {
    cwd: ROOT,
    encoding: "utf8",
    env: cleanEnv({ ...process.env, VAGRANT_HOME: vagrantHome, VAGRANT_NO_COLOR: "1", VAGRANT_DEFAULT_PROVIDER: undefined, ROOTLAB_VM_CONFIG: undefined, ...env }),
    timeout: 60_000,
  });
  if (r.error) throw new Error(`could not run vagrant (install it: apt-get install --no-install-recommends vagrant vagrant-libvirt): ${r.error.message}`);
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

function validateWith(config: string) {
  return vagrant(["validate", "--ignore-provider"], { ROOTLAB_VM_CONFIG: join(CONFIGS, config) });
}

function expectNoRubyTrace(out: string): void {
  expect(out).not.toMatch(/Traceback|\.rb:\d+|from \/usr\/|NoMethodError|\(RuntimeError\)/);
}

describe("the Vagrantfile, validated by Vagrant", () => {
  it("is valid with the defaults (no lab-vm.yml needed)", () => {
    const r = vagrant(["validate", "--ignore-provider"]);
    expect(r.out).toContain("Vagrantfile validated successfully.");
    expect(r.code).toBe(0);
  });

  it.each(["empty.yml", "comment-only.yml", "nulls.yml", "full.yml", "local-box.yml"])("accepts %s", (config) => {
    const r = validateWith(config);
    expect(r.out).toContain("Vagrantfile validated successfully.");
    expect(r.code).toBe(0);
  });

  it("box: and provider: libvirt are enough for the local box (libvirt block checked)", () => {
    const r = vagrant(["validate"], { ROOTLAB_VM_CONFIG: join(CONFIGS, "local-box.yml") });
    expect(r.out).toContain("Vagrantfile validated successfully.");
    expect(r.code).toBe(0);
  });

  it("checks the libvirt provider block (vagrant-libvirt)", () => {
    const r = vagrant(["validate"], { VAGRANT_DEFAULT_PROVIDER: "libvirt", ROOTLAB_VM_CONFIG: join(CONFIGS, "full.yml") });
    expect(r.out).toContain("Vagrantfile validated successfully.");
    expect(r.code).toBe(0);
  });

  it("checks the virtualbox provider block (fake VBoxManage 7.0)", () => {
    const r = vagrant(["validate"], { VAGRANT_DEFAULT_PROVIDER: "virtualbox", PATH: `${FAKE_VBOX}:${process.env.PATH}` });
    expect(r.out).toContain("Vagrantfile validated successfully.");
    expect(r.code).toBe(0);
  });

  it("lets lab-vm.yml choose the provider, and VAGRANT_DEFAULT_PROVIDER override it", () => {
    const fromYaml = vagrant(["status", "--machine-readable"], { ROOTLAB_VM_CONFIG: join(CONFIGS, "full.yml") });
    expect(fromYaml.out).toContain(",default,provider-name,libvirt");
    const fromEnv = vagrant(["status", "--machine-readable"], {
      ROOTLAB_VM_CONFIG: join(CONFIGS, "full.yml"),
      VAGRANT_DEFAULT_PROVIDER: "virtualbox",
      PATH: `${FAKE_VBOX}:${process.env.PATH}`,
    });
    expect(fromEnv.out).toContain(",default,provider-name,virtualbox");
  });

  // Each bad file: exit 1, one message naming the problem, no Ruby stack trace.
  it.each([
    ["bad-indent.yml", "bad-indent.yml is not valid YAML: mapping values are not allowed in this context at line 2 column 7"],
    ["unclosed-quote.yml", "is not valid YAML: found unexpected end of stream while scanning a quoted scalar at line 1 column 6"],
    ["unknown-keys.yml", "unknown key cpu (did you mean cpus?)"],
    ["unknown-keys.yml", "unknown key memroy (did you mean memory?)"],
    ["bad-values.yml", 'cpus must be a whole number from 1 to 64, got "two"'],
    ["bad-values.yml", "line 2: memory must be a whole number of MiB, at least 1024 and at most 1048576 (1 TiB), got 512"],
    ["duplicate-key.yml", "line 2: cpus is given 2 times (lines 2, 4): keep one (YAML would silently use the last)"],
    ["impossible-sizes.yml", "line 2: cpus must be a whole number from 1 to 64, got -1"],
    ["impossible-sizes.yml", "line 3: memory must be a whole number of MiB, at least 1024 and at most 1048576 (1 TiB), got 99999999999"],
    ["bad-values.yml", 'provider must be one of virtualbox|libvirt (or left out to let Vagrant pick), got "vbox"'],
    ["bad-values.yml", 'sync_type must be one of rsync|virtualbox|nfs|9p|virtiofs|disabled, got "smb"'],
    ["bad-values.yml", 'gui must be true or false, got "yes"'],
    ["sync-mismatch.yml", "sync_type virtualbox only works with provider virtualbox (provider is libvirt)"],
    ["sync-9p-on-virtualbox.yml", "sync_type 9p only works with provider libvirt (provider is virtualbox)"],
    ["missing-space.yml", "the top level must be a mapping of key: value pairs, got a single string \"box:debian/bookworm64\" (missing space after ':'? write key: value)"],
    ["top-level-list.yml", "the top level must be a mapping of key: value pairs, got a list"],
    ["alias.yml", "only plain values are allowed (no tags, anchors or aliases): Unknown alias: b"],
    ["ruby-tag.yml", "only plain values are allowed (no tags, anchors or aliases): Tried to load unspecified class: OpenStruct"],
    ["bad-ports.yml", "forwarded_ports[1]: unknown key hots (known: guest, host)"],
    ["bad-ports.yml", "forwarded_ports[2] must be a mapping like {guest: 8080, host: 18080}, got 22"],
    ["bad-box-source.yml", "box_url https://boxes.example/rootlab-lab.box is downloaded: give its sha256 as box_checksum"],
    ["bad-box-source.yml", 'libvirt_driver must be one of auto|kvm|qemu (auto: KVM when it works here, else QEMU emulation), got "kvm2"'],
    ["bad-checksum.yml", 'box_checksum must be the box file\'s sha256 (64 hex digits, as in SHA256SUMS), got "abc123"'],
  ])("rejects %s: %s", (config, message) => {
    const r = validateWith(config);
    expect(r.code).toBe(1);
    expect(r.out).toContain(message);
    expect(r.out).toContain(join(CONFIGS, config)); // names the file
    expectNoRubyTrace(r.out);
  });

  it("reports every bad value at once", () => {
    const r = validateWith("bad-values.yml");
    expect(r.out.match(/^ {2}- /gm)).toHaveLength(5);
  });

  it("says so when ROOTLAB_VM_CONFIG names a file that does not exist", () => {
    const r = vagrant(["validate", "--ignore-provider"], { ROOTLAB_VM_CONFIG: join(CONFIGS, "no-such-file.yml") });
    expect(r.code).toBe(1);
    expect(r.out).toContain("ROOTLAB_VM_CONFIG names");
    expectNoRubyTrace(r.out);
  });

  it("lab-vm.example.yml is itself a valid settings file", () => {
    const r = vagrant(["validate", "--ignore-provider"], { ROOTLAB_VM_CONFIG: join(ROOT, "lab-vm.example.yml") });
    expect(r.out).toContain("Vagrantfile validated successfully.");
    expect(r.code).toBe(0);
  });

  it("provision.sh, box-setup.sh and libvirt-network.sh are shellcheck-clean", () => {
    const r = spawnSync("shellcheck", [join(ROOT, "provision/provision.sh"), join(ROOT, "provision/box-setup.sh"), join(ROOT, "provision/libvirt-network.sh"), join(ROOT, "test/fixtures/vagrant/debian-root.sh"), join(ROOT, "test/fixtures/vagrant/bin/vagrant"), join(ROOT, "test/fixtures/vagrant/bin/virsh")], { encoding: "utf8" });
    if (r.error) throw new Error(`could not run shellcheck (apt-get install shellcheck): ${r.error.message}`);
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});

// The pure parts of `rootlab vm`: Vagrant's machine-readable output, failure diagnosis, exit-code words,
// the remote verify command and where the report lands.
import { describe, expect, it } from "vitest";
import { describeProblem, diagnoseVagrantFailure, explainVerifyExit, exitCodeForProblem } from "../../src/vm/problems.js";
import { parseMachineReadable } from "../../src/vm/status.js";
import { invalidLabArgs, localReportPath, reportName, verifyCommand } from "../../src/vm/verify.js";

const RUNNING = [
  "1795375364,default,metadata,provider,libvirt",
  "1795375364,default,provider-name,libvirt",
  "1795375364,default,state,running",
  "1795375364,default,state-human-short,running",
  "1795375364,default,state-human-long,The Libvirt domain is running. To stop this machine%!(VAGRANT_COMMA) you can run\\n`vagrant halt`.",
  "1795375364,,ui,info,Current machine states:\\n\\ndefault                   running (libvirt)",
].join("\n");

describe("parseMachineReadable", () => {
  it.each([
    [RUNNING, [{ name: "default", state: "running", stateText: "running", provider: "libvirt" }]],
    [
      "1,default,provider-name,virtualbox\n2,default,state,not_created\n3,default,state-human-short,not created\n",
      [{ name: "default", state: "not_created", stateText: "not created", provider: "virtualbox" }],
    ],
    ["1,a,state,poweroff\n1,b,state,running", [
      { name: "a", state: "poweroff", stateText: "unknown", provider: "unknown" },
      { name: "b", state: "running", stateText: "unknown", provider: "unknown" },
    ]],
    ["", []],
    ["Vagrant failed to initialize at a very early stage:", []],
  ])("parses %#", (input, expected) => {
    expect(parseMachineReadable(input)).toEqual(expected);
  });
});

const exited = (stdout: string, stderr = "", code = 1) => ({ kind: "exited" as const, code, stdout, stderr });

describe("diagnoseVagrantFailure", () => {
  it.each([
    [exited("1,,error-exit,Vagrant::Errors::NoDefaultProvider,No usable default provider could be found for your system."), "no-provider", 3],
    [exited("", "No usable default provider could be found for your system.\n"), "no-provider", 3],
    [exited("1,,error-exit,Vagrant::Errors::ProviderNotUsable,The provider 'virtualbox' that was requested to back the machine\\n'default' is reporting that it isn't usable on this system."), "provider-unusable", 3],
    [exited("1,,error-exit,Vagrant::Errors::ProviderNotFound,The provider 'libvirt' could not be found%!(VAGRANT_COMMA) but was requested"), "provider-not-found", 3],
    [exited("", "Vagrant failed to initialize at a very early stage:\n\ninvalid lab VM settings in /x/lab-vm.yml:\n  - cpus must be …\n"), "settings", 2],
    [exited("", "something else broke\n"), "failed", 1],
    [{ kind: "killed" as const, signal: "SIGTERM", stdout: "", stderr: "" }, "killed", 1],
  ])("%# → %s (exit %i)", (run, kind, code) => {
    const p = diagnoseVagrantFailure(run);
    expect(p.kind).toBe(kind);
    expect(exitCodeForProblem(p)).toBe(code);
  });

  it("keeps Vagrant's own message, unescaped, for the person", () => {
    const p = diagnoseVagrantFailure(exited("1,,error-exit,Vagrant::Errors::ProviderNotFound,The provider 'libvirt' could not be found%!(VAGRANT_COMMA) but\\nVagrant knows: virtualbox"));
    const text = describeProblem(p, "start the lab VM");
    expect(text).toContain("The provider 'libvirt' could not be found, but\n  Vagrant knows: virtualbox");
    expect(text).toContain("vagrant-libvirt");
  });

  it("shows only the settings message, not Vagrant's wrapper", () => {
    const p = diagnoseVagrantFailure(exited("", "Vagrant failed to initialize at a very early stage:\n\n/x/lab-vm.yml is not valid YAML: boom\n"));
    expect(describeProblem(p, "start the lab VM")).toBe("cannot start the lab VM: the VM settings are not valid:\n  /x/lab-vm.yml is not valid YAML: boom");
  });
});

describe("explainVerifyExit", () => {
  it.each([
    [0, "every lab passed"],
    [1, "a step, check, cleanup or leak check failed"],
    [2, "a lab is invalid"],
    [3, "refused"],
    [127, "rootlab is not installed in the VM"],
    [255, "the ssh connection to the VM failed or was cut"],
    [137, "killed by signal 9"],
    [42, "exit status 42"],
  ])("%i → %s", (code, words) => {
    expect(explainVerifyExit(code)).toContain(words);
  });
});

describe("verify command and report paths", () => {
  it("runs the named labs, or --all, as root in /opt/rootlab", () => {
    expect(verifyCommand(["chroot", "labs/03-netns-veth.md"], "/var/lib/rootlab/reports/r.xml", false)).toBe(
      "cd /opt/rootlab && sudo rootlab verify --report junit --out /var/lib/rootlab/reports/r.xml chroot labs/03-netns-veth.md",
    );
    expect(verifyCommand([], "/r.xml", true)).toBe("cd /opt/rootlab && sudo rootlab verify --report junit --out /r.xml --strict --all");
  });

  it("names reports by UTC time, safe for any file system", () => {
    expect(reportName(new Date("2026-11-22T19:04:05.678Z"))).toBe("verify-20261122T190405Z.xml");
  });

  it.each([
    [undefined, "/home/i/reports/verify-x.xml"],
    ["out/vm.xml", "/home/i/out/vm.xml"],
    ["ci-reports", "/home/i/ci-reports/verify-x.xml"],
    ["/abs/dir", "/abs/dir/verify-x.xml"],
  ])("--out %s → %s", (out, expected) => {
    expect(localReportPath(out, "verify-x.xml", "/home/i")).toBe(expected);
  });

  it.each([
    [["chroot", "labs/01-chroot.md", "a_b.c-d"], []],
    [["chroot; reboot", "$(id)", "../etc/passwd", "-x", "a b", "labs/../x"], ["chroot; reboot", "$(id)", "../etc/passwd", "-x", "a b", "labs/../x"]],
  ])("lab arguments %j: refused %j", (labs, bad) => {
    expect(invalidLabArgs(labs)).toEqual(bad);
  });
});

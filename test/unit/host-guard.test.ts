import { afterEach, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { assertMayExecute, disposableState, notDisposableMessage } from "../../src/host/guard.js";
import { RefusedError } from "../../src/core/errors.js";
import { findCommand, installFix } from "../../src/host/commands.js";
import { shimsDir } from "../../src/host/paths.js";
import { isRoot } from "../helpers/root.js";

const saved = process.env.ROOTLAB_DISPOSABLE;
afterEach(() => {
  if (saved === undefined) delete process.env.ROOTLAB_DISPOSABLE;
  else process.env.ROOTLAB_DISPOSABLE = saved;
});
const marker = existsSync("/etc/rootlab/disposable");

describe("disposableState", () => {
  it.each([
    { flag: true, env: undefined, want: { disposable: true, via: "flag" } },
    { flag: false, env: "1", want: { disposable: true, via: "env" } },
    { flag: false, env: "0", want: marker ? { disposable: true, via: "marker" } : { disposable: false } },
    { flag: false, env: undefined, want: marker ? { disposable: true, via: "marker" } : { disposable: false } },
  ])("flag=$flag ROOTLAB_DISPOSABLE=$env", ({ flag, env, want }) => {
    if (env === undefined) delete process.env.ROOTLAB_DISPOSABLE;
    else process.env.ROOTLAB_DISPOSABLE = env;
    expect(disposableState(flag)).toEqual(want);
  });
});

describe("assertMayExecute", () => {
  it.runIf(isRoot && !marker)("refuses a machine not marked disposable, saying why and how (exit 3)", () => {
    delete process.env.ROOTLAB_DISPOSABLE;
    let err: unknown;
    try {
      assertMayExecute({ disposableFlag: false });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RefusedError);
    expect((err as RefusedError).exitCode).toBe(3);
    expect((err as Error).message).toBe(notDisposableMessage());
    for (const part of ["change network and mount state", "could leave this machine damaged", "rootlab VM", "sudo mkdir -p /etc/rootlab && sudo touch /etc/rootlab/disposable", "--disposable"]) {
      expect(notDisposableMessage()).toContain(part);
    }
  });
  it("names rootlab as it was run and keeps each command to copy on a line of its own", () => {
    const lines = notDisposableMessage("npx rootlab").split("\n");
    expect(lines).toContain("  npx rootlab vm up && npx rootlab vm ssh");
    expect(lines).toContain("  sudo mkdir -p /etc/rootlab && sudo touch /etc/rootlab/disposable");
    for (const l of lines.filter((x) => x.startsWith("  "))) expect(l.length).toBeLessThanOrEqual(78);
  });
  it.runIf(isRoot)("lets root run on a disposable machine", () => {
    expect(() => assertMayExecute({ disposableFlag: true })).not.toThrow();
  });
  it.runIf(!isRoot)("refuses without root, with the sudo command", () => {
    expect(() => assertMayExecute({ disposableFlag: true })).toThrow(/runs labs as root.*\n.*sudo rootlab/s);
  });
});

describe("commands", () => {
  it("a shim wraps the real program: found through it only when the real one exists", () => {
    const found = findCommand("systemd-nspawn", "");
    if (existsSync("/usr/bin/systemd-nspawn")) expect(found).toEqual({ path: "/usr/bin/systemd-nspawn", shim: `${shimsDir()}/systemd-nspawn` });
    else expect(found).toBeUndefined();
  });
  it("finds sbin tools even with an empty PATH", () => expect(findCommand("ip", "")?.path).toMatch(/\/ip$/));
  it("absolute paths are taken as they are", () => expect(findCommand("/bin/sh")).toEqual({ path: "/bin/sh" }));
  it.each([
    ["busybox", "apt-get install busybox-static"],
    ["systemd-nspawn", "apt-get install systemd-container"],
    ["nft", "apt-get install nftables"],
    ["ip", "apt-get install iproute2"],
  ])("install fix for %s", (cmd, fix) => expect(installFix(cmd)).toBe(fix));
  it("an unknown command gets a way to find its package", () => expect(installFix("frob")).toMatch(/"frob".*apt-cache search frob/));
});

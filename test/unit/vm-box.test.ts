// The pure parts of the lab box and the lab VM's host side: the mirror from apt sources, the package list,
// the cache key, the time scale under emulation, the architecture verdict and libvirt's volume names.
import { describe, expect, it } from "vitest";
import { boxMirror } from "../../src/vm/box/mirror.js";
import { boxKey, labPackages, type BoxInputs } from "../../src/vm/box/inputs.js";
import { boxMetadata } from "../../src/vm/box/pack.js";
import { timeScaleFor, EMULATED_SCALE } from "../../src/exec/time-scale.js";
import { archFinding } from "../../src/vm/doctor.js";
import { baseVolumePrefix } from "../../src/vm/libvirt-leftovers.js";
import { DEB822_BOOKWORM as DEB822 } from "../helpers/apt-sources.js";

describe("boxMirror (the bookworm archive of the apt sources)", () => {
  it.each([
    ["deb822", [{ path: "/etc/apt/sources.list.d/debian.sources", text: DEB822 }], "http://deb.debian.org/debian"],
    ["one-line", [{ path: "/etc/apt/sources.list", text: "# x\ndeb [arch=amd64] http://mirror.example/debian bookworm main\n" }], "http://mirror.example/debian"],
    ["security only", [{ path: "/etc/apt/sources.list", text: "deb http://security.debian.org/debian-security bookworm-security main\n" }], undefined],
    ["disabled stanza", [{ path: "/x/a.sources", text: "Enabled: no\nTypes: deb\nURIs: http://a/debian\nSuites: bookworm\n" }], undefined],
    ["other suite", [{ path: "/etc/apt/sources.list", text: "deb http://a/debian trixie main\n" }], undefined],
    ["deb-src only", [{ path: "/etc/apt/sources.list", text: "deb-src http://a/debian bookworm main\n" }], undefined],
    ["first wins", [{ path: "/etc/apt/sources.list", text: "deb http://first/debian bookworm main\n" }, { path: "/x/b.sources", text: DEB822 }], "http://first/debian"],
  ])("%s", (_name, files, expected) => {
    expect(boxMirror(files)).toBe(expected);
  });
});

describe("labPackages", () => {
  it("keeps the lab lines, drops test lines, comments and blanks", () => {
    expect(labPackages("# c\nbusybox-static lab\ntmux test # pty\n\ncurl   lab   # http\nbad\n")).toEqual(["busybox-static", "curl"]);
  });
});

describe("boxKey", () => {
  const base: BoxInputs = { packages: ["a", "b"], lockfile: "{}", nodeSpec: "node@20", fixturesCode: "x", setupScript: "s" };
  it("is stable and ignores package order", () => {
    expect(boxKey(base)).toBe(boxKey({ ...base, packages: ["b", "a"] }));
    expect(boxKey(base)).toMatch(/^[0-9a-f]{16}$/);
  });
  it.each([
    ["packages", { packages: ["a", "b", "c"] }],
    ["lockfile", { lockfile: "{ }" }],
    ["node", { nodeSpec: "node@22" }],
    ["fixtures", { fixturesCode: "y" }],
    ["setup script", { setupScript: "t" }],
  ])("changes with the %s", (_n, change) => {
    expect(boxKey({ ...base, ...change })).not.toBe(boxKey(base));
  });
});

describe("timeScaleFor", () => {
  it.each([
    [undefined, "model name\t: QEMU Virtual CPU version 2.5+\n", EMULATED_SCALE],
    [undefined, "model name\t: AMD EPYC 7B13\n", 1],
    ["", "model name\t: QEMU Virtual CPU version 2.5+\n", EMULATED_SCALE],
    ["3", "model name\t: QEMU Virtual CPU version 2.5+\n", 3],
    ["1", "model name\t: QEMU Virtual CPU version 2.5+\n", 1],
  ])("env %s", (env, cpuinfo, expected) => {
    expect(timeScaleFor(env, cpuinfo)).toBe(expected);
  });
  it.each(["0", "abc", "500"])("rejects %s with a message naming the variable", (env) => {
    expect(() => timeScaleFor(env, "")).toThrow(/ROOTLAB_TIME_SCALE must be a number from 1 to 100/);
  });
});

describe("archFinding", () => {
  it("accepts x86-64 and says what to do on arm64", () => {
    expect(archFinding("x64").level).toBe("ok");
    const arm = archFinding("arm64");
    expect(arm.level).toBe("fail");
    expect(arm.detail).toMatch(/amd64 only.*provision\.sh/s);
  });
});

describe("libvirt names", () => {
  it("derives the base volume prefix vagrant-libvirt uses", () => {
    expect(baseVolumePrefix("rootlab-lab")).toBe("rootlab-lab_vagrant_box_image_");
    expect(baseVolumePrefix("debian/bookworm64")).toBe("debian-VAGRANTSLASH-bookworm64_vagrant_box_image_");
  });
  it("box metadata is vagrant-libvirt's format", () => {
    expect(JSON.parse(boxMetadata())).toEqual({ provider: "libvirt", format: "qcow2", virtual_size: 20 });
  });
});

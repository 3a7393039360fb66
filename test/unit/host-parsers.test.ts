import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { isAtOrBelow, mountContaining, mountsBelow, parseMountinfo, unescapeMountField } from "../../src/host/mountinfo.js";
import { parseProcStat } from "../../src/host/proc.js";
import { elfLinkKind } from "../../src/host/fixtures/elf.js";

const MOUNTINFO = [
  "22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw",
  "23 22 0:21 / /proc rw,nosuid - proc proc rw",
  "30 22 0:25 / /run rw - tmpfs tmpfs rw",
  "40 22 0:30 / /var/tmp/rootlab/lab-x/merged rw master:5 - overlay overlay rw,lowerdir=/a",
  "41 40 0:31 / /var/tmp/rootlab/lab-x/merged/proc rw - proc proc rw",
  "42 22 0:32 / /var/tmp/rootlab/lab-x/with\\040space rw unbindable - tmpfs tmpfs rw",
  "43 22 0:33 / /var/tmp/rootlab/lab-x/merged rw - tmpfs tmpfs rw",
].join("\n");

describe("parseMountinfo", () => {
  const entries = parseMountinfo(MOUNTINFO);
  it("reads target, type, propagation and decodes escapes", () => {
    expect(entries.map((m) => [m.target, m.fsType, m.propagation])).toEqual([
      ["/", "ext4", "shared"],
      ["/proc", "proc", "private"],
      ["/run", "tmpfs", "private"],
      ["/var/tmp/rootlab/lab-x/merged", "overlay", "slave"],
      ["/var/tmp/rootlab/lab-x/merged/proc", "proc", "private"],
      ["/var/tmp/rootlab/lab-x/with space", "tmpfs", "unbindable"],
      ["/var/tmp/rootlab/lab-x/merged", "tmpfs", "private"],
    ]);
  });
  it("orders mounts below a dir deepest first, later mounts first at the same place", () => {
    expect(mountsBelow(entries, "/var/tmp/rootlab/lab-x").map((m) => `${m.target} ${m.fsType}`)).toEqual([
      "/var/tmp/rootlab/lab-x/merged/proc proc",
      "/var/tmp/rootlab/lab-x/merged tmpfs",
      "/var/tmp/rootlab/lab-x/with space tmpfs",
      "/var/tmp/rootlab/lab-x/merged overlay",
    ]);
  });
  it.each([
    ["/run/systemd", "tmpfs"],
    ["/runner", "ext4"],
    ["/", "ext4"],
  ])("mountContaining(%s) is %s", (path, fs) => expect(mountContaining(entries, path)?.fsType).toBe(fs));
  it("parses this process's real mountinfo", () => {
    const real = parseMountinfo(readFileSync("/proc/self/mountinfo", "utf8"));
    expect(real.some((m) => m.target === "/proc" && m.fsType === "proc")).toBe(true);
  });
});

describe("path helpers", () => {
  it.each([
    ["/a/b", "/a", true],
    ["/a", "/a", true],
    ["/ab", "/a", false],
    ["/a", "/", true],
  ])("isAtOrBelow(%s, %s) = %s", (p, d, want) => expect(isAtOrBelow(p, d)).toBe(want));
  it("unescapes octal fields", () => expect(unescapeMountField("a\\040b\\134c")).toBe("a b\\c"));
});

describe("parseProcStat", () => {
  it.each([
    ["1234 (sleep) S 1 1234 1234 0 -1 4194304 100 0 0 0 0 0 0 0 20 0 1 0 98765 1000 10", { pid: 1234, comm: "sleep", ppid: 1, state: "S", startTime: 98765 }],
    ["77 (a) b (c)) Z 5 77 77 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 42 0 0", { pid: 77, comm: "a) b (c)", ppid: 5, state: "Z", startTime: 42 }],
  ])("%s", (text, want) => expect(parseProcStat(text)).toEqual(want));
  it("reads this process", () => expect(parseProcStat(readFileSync("/proc/self/stat", "utf8"))?.pid).toBeGreaterThan(0));
  it("rejects garbage", () => expect(parseProcStat("nonsense")).toBeUndefined());
});

describe("elfLinkKind", () => {
  it("a dynamically linked program names its loader", () => {
    const k = elfLinkKind(readFileSync(process.execPath));
    expect(k.kind).toBe("dynamic");
    if (k.kind === "dynamic") expect(k.interpreter).toMatch(/ld-linux|ld-musl/);
  });
  it("static busybox is static", () => expect(elfLinkKind(readFileSync("/usr/bin/busybox")).kind).toBe("static"));
  it("a script is not ELF", () => expect(elfLinkKind(Buffer.from("#!/bin/sh\necho hi\n".padEnd(64, " "))).kind).toBe("not-elf"));
});

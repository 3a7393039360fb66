// `rootlab doctor` at 80 columns: every wrapped row goes on under its own column, never back at the margin.
import { describe, expect, test } from "vitest";
import { renderDoctor } from "../../src/cli/commands/doctor.js";
import { fitReport } from "../../src/term/help-wrap.js";
import { plainStyle } from "../../src/term/style.js";
import type { DoctorReport } from "../../src/host/doctor.js";

const report = (systemdBooted: boolean): DoctorReport => ({
  machine: {
    pid1: "process_api",
    systemdBooted,
    runFsType: "ext4",
    rootPropagation: "private",
    cgroupMode: "hybrid",
    kernelRelease: "6.1.0",
    root: true,
    disposable: { marker: false, env: false },
    features: { netns: { state: "yes" } },
    tools: { ip: "ip utility, iproute2-6.1.0, libbpf 1.1.2" },
  },
  disposable: { disposable: true, via: "flag" },
  netGuard: { state: "stale" },
  commands: [
    { need: "command ip", state: "met", detail: "/usr/sbin/ip" },
    { need: "command systemd-nspawn", state: "met", detail: "/usr/bin/systemd-nspawn, through rootlab's shim" },
  ],
  fixtures: [{ need: "fixture alpine-rootfs", state: "met", detail: "cached at /var/cache/rootlab/alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz (sha256 verified)" }],
  labsDir: "/labs",
  labs: [],
  invalid: [],
});

describe("renderDoctor at 80 columns", () => {
  test.each([
    [false, true],
    [true, true],
    [false, false],
  ])("systemd booted: %s, Unicode: %s — every label stands in its column, wrapped text under it", (booted, unicode) => {
    const lines = fitReport(renderDoctor(report(booted), plainStyle(unicode)), 80).split("\n");
    const section = lines.slice(lines.indexOf("Commands the labs use") + 1, lines.indexOf("", lines.indexOf("Commands the labs use") + 1));
    const column = section[0]!.indexOf("/usr/sbin/ip");
    expect(column).toBeGreaterThan(0);
    const systemd = section.findIndex((l) => l.includes("systemd as PID 1"));
    expect(section[systemd]!.slice(column - 2, column)).toBe("  ");
    for (const line of section) {
      expect(line.length, line).toBeLessThanOrEqual(80);
      // A label's row starts with a mark; a continuation starts at the column, not at the margin.
      if (!/^ {2}(?:\S |ok|FAIL)/.test(line)) expect(line.slice(0, column).trim(), line).toBe("");
    }
  });
});

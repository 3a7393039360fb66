// Round 4 of attempts to get a harmful command past the safety gate (test/fixtures/lint/bypasses/round4.md): globs
// over /sys/class/net, ip/tc batch forms and global options, ethtool/nmcli/resolvectl, /proc/sys written by dd,
// cp or after `cd`, iptables-restore --noflush files, interpreters' sockets and backticks, `$0` of `sh -c`,
// /dev/stdin forms, units and udev rules, addresses in every spelling, tunnels and forwards, `mount --move`,
// nsenter into a process found by name, another lab's objects — and the lab idioms that must stay clean.
import { describe, expect, test } from "vitest";
import { fileURLToPath } from "node:url";
import { lintFiles } from "../../src/lint/lint.js";
import { bypassRows } from "./bypass-fixture.js";

const FILE = fileURLToPath(new URL("../fixtures/lint/bypasses/round4.md", import.meta.url));

describe("round 4 bypass attempts (test/fixtures/lint/bypasses/round4.md)", async () => {
  const { diagnostics } = await lintFiles([FILE]);
  const safety = diagnostics.filter((d) => d.code.startsWith("safety/") || d.code.startsWith("internal/"));
  const table = bypassRows(FILE);

  test("the fixture has its rows, each with a reason", () => {
    expect(table.filter((r) => r.expected.length > 0).length).toBeGreaterThanOrEqual(150);
    expect(table.filter((r) => r.expected.length === 0).length).toBeGreaterThanOrEqual(30);
    for (const r of table) expect(r.why.length, r.code).toBeGreaterThan(10);
  });

  test.each(table)("line $first: $code → $expected", (row) => {
    const found = [...new Set(safety.filter((d) => d.line >= row.first && d.line <= row.last).map((d) => d.code))].sort();
    expect(found).toEqual(row.expected);
  });

  test("nothing is reported outside the rows, and every report says where, what, why and how to fix it", () => {
    for (const d of safety) {
      expect(table.some((r) => d.line >= r.first && d.line <= r.last), `${d.line} ${d.code} ${d.message}`).toBe(true);
      expect(d.file.endsWith("round4.md") && d.line > 0 && d.column > 0).toBe(true);
      expect(d.message.length > 20 && d.expected && d.example, d.code).toBeTruthy();
    }
  });
});

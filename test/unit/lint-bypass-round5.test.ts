// Round 5 of attempts to get a harmful command past the safety gate (test/fixtures/lint/bypasses/round5.md): the
// uplink in every quoting and expansion, ways to run ip, routes that are default in disguise, namespaces that are
// the host's, shells fed strings, command substitutions bash expands inside quotes (prompts, arithmetic, array
// subscripts of `[[ -v`, `printf -v`, `read`, `let`), proxies in the environment, `hash -p`, `ip link property`
// altnames, `/dev/tcp` and /proc/sys through variables and `/proc/1/root` — and the lab idioms that must stay clean.
import { describe, expect, test } from "vitest";
import { fileURLToPath } from "node:url";
import { lintFiles } from "../../src/lint/lint.js";
import { bypassRows } from "./bypass-fixture.js";

const FILE = fileURLToPath(new URL("../fixtures/lint/bypasses/round5.md", import.meta.url));

describe("round 5 bypass attempts (test/fixtures/lint/bypasses/round5.md)", async () => {
  const { diagnostics } = await lintFiles([FILE]);
  const safety = diagnostics.filter((d) => d.code.startsWith("safety/") || d.code.startsWith("internal/"));
  const table = bypassRows(FILE);

  test("the fixture has its rows, each with a reason", () => {
    expect(table.filter((r) => r.expected.length > 0).length).toBeGreaterThanOrEqual(190);
    expect(table.filter((r) => r.expected.length === 0).length).toBeGreaterThanOrEqual(20);
    for (const r of table) expect(r.why.length, r.code).toBeGreaterThan(10);
  });

  test.each(table)("line $first: $code → $expected", (row) => {
    const found = [...new Set(safety.filter((d) => d.line >= row.first && d.line <= row.last).map((d) => d.code))].sort();
    expect(found).toEqual(row.expected);
  });

  test("nothing is reported outside the rows, and every report says where, what, why and how to fix it", () => {
    for (const d of safety) {
      expect(table.some((r) => d.line >= r.first && d.line <= r.last), `${d.line} ${d.code} ${d.message}`).toBe(true);
      expect(d.file.endsWith("round5.md") && d.line > 0 && d.column > 0).toBe(true);
      expect(d.message.length > 20 && d.expected && d.example, d.code).toBeTruthy();
    }
  });
});

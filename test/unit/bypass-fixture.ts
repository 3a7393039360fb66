// The bypass fixtures' rows (test/fixtures/lint/bypasses/round*.md): the lines of a code block since the previous
// annotation, and the annotation `#> expect: RULE[, RULE] — why` or `#> clean — why` that ends them.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { lintFiles } from "../../src/lint/lint.js";

export interface BypassRow {
  first: number;
  last: number;
  expected: string[];
  why: string;
  code: string;
}

export function bypassRows(file: string): BypassRow[] {
  const out: BypassRow[] = [];
  const source = readFileSync(file, "utf8").split("\n");
  let first: number | undefined;
  let inCode = false;
  source.forEach((line, i) => {
    const n = i + 1;
    if (/^```/.test(line)) {
      inCode = /^```sh( (enter|session)=\S+)?$/.test(line);
      first = inCode ? n + 1 : undefined;
      return;
    }
    const m = /^#> (?:expect: ([^—]+)|clean) — (.+)$/.exec(line);
    if (!inCode || !m || first === undefined) return;
    out.push({ first, last: n - 1, expected: m[1] ? m[1].split(",").map((c) => c.trim()).sort() : [], why: m[2] as string, code: source.slice(first - 1, n - 1).join("\n") });
    first = n + 1;
  });
  return out;
}

/**
 * The tests of one round's fixture (round 4 on): at least `refused` attempts and `clean` idioms, each with its reason;
 * exactly the expected safety rules on each row's lines; nothing outside the rows; every report says where, what,
 * why and how to fix it.
 */
export function describeBypassRound(round: number, counts: { refused: number; clean: number }): void {
  const name = `round${round}.md`;
  const file = fileURLToPath(new URL(`../fixtures/lint/bypasses/${name}`, import.meta.url));
  describe(`round ${round} bypass attempts (test/fixtures/lint/bypasses/${name})`, async () => {
    const { diagnostics } = await lintFiles([file]);
    const safety = diagnostics.filter((d) => d.code.startsWith("safety/") || d.code.startsWith("internal/"));
    const table = bypassRows(file);

    test("the fixture has its rows, each with a reason", () => {
      expect(table.filter((r) => r.expected.length > 0).length).toBeGreaterThanOrEqual(counts.refused);
      expect(table.filter((r) => r.expected.length === 0).length).toBeGreaterThanOrEqual(counts.clean);
      for (const r of table) expect(r.why.length, r.code).toBeGreaterThan(10);
    });

    test.each(table)("line $first: $code → $expected", (row) => {
      const found = [...new Set(safety.filter((d) => d.line >= row.first && d.line <= row.last).map((d) => d.code))].sort();
      expect(found).toEqual(row.expected);
    });

    test("nothing is reported outside the rows, and every report says where, what, why and how to fix it", () => {
      for (const d of safety) {
        expect(table.some((r) => d.line >= r.first && d.line <= r.last), `${d.line} ${d.code} ${d.message}`).toBe(true);
        expect(d.file.endsWith(name) && d.line > 0 && d.column > 0).toBe(true);
        expect(d.message.length > 20 && d.expected && d.example, d.code).toBeTruthy();
      }
    });
  });
}

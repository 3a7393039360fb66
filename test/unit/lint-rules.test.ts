// Every lint rule against its fixture pair: the bad lab triggers it on the right line, the good lab is clean.
import { describe, expect, test } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { lintFiles, lintLab } from "../../src/lint/lint.js";
import { RULES } from "../../src/lint/rules/index.js";
import { parseLab } from "../../src/format/parse.js";

const DIR = fileURLToPath(new URL("../fixtures/lint/", import.meta.url));
const pairDir = (code: string) => `${DIR}rules/${code.replace("/", "__")}/`;

/** code → the line (and column) of the bad fixture's diagnostic. */
const CASES: { code: string; line: number; column?: number }[] = [
  { code: "lab/no-steps", line: 12 },
  { code: "step/duplicate-title", line: 39 },
  { code: "step/long-title", line: 21 },
  { code: "check/missing", line: 21 },
  { code: "check/unnamed", line: 30 },
  { code: "session/unknown", line: 25, column: 7 },
  { code: "cleanup/missing", line: 27 },
  { code: "hint/missing", line: 21 },
  { code: "hint/answer-first", line: 41 },
  { code: "link/nowhere", line: 26, column: 34 },
  { code: "lab/no-intro", line: 19 },
  { code: "lab/no-closing-step", line: 21 },
  { code: "step/no-intro", line: 21 },
  { code: "step/no-explanation", line: 21 },
  { code: "safety/address", line: 28 },
  { code: "safety/dns-name", line: 26 },
  { code: "safety/uplink", line: 27 },
  { code: "safety/default-route", line: 27 },
  { code: "safety/sysctl", line: 26 },
  { code: "safety/host-mount", line: 27 },
  { code: "safety/iptables-legacy", line: 27 },
  { code: "safety/host-firewall", line: 27 },
  { code: "safety/host-network", line: 27 },
  { code: "safety/host-system", line: 28 },
  { code: "safety/unchecked", line: 27 },
  { code: "lab/title-mismatch", line: 17 },
  { code: "session/env-collision", line: 29, column: 7 },
  { code: "expect/bad-regex", line: 30 },
  { code: "expect/silenced", line: 29 },
  { code: "block/incomplete", line: 27 },
  { code: "prose/expect-without-role", line: 29 },
  { code: "step/cleanup-typo", line: 43 },
  { code: "wrong/missing", line: 21 },
  { code: "wrong/unnamed", line: 54 },
  { code: "wrong/no-checks", line: 46 },
  { code: "present/check-label", line: 44 },
  { code: "present/session-label", line: 85 },
  { code: "present/exit-label", line: 91 },
  { code: "present/setup-label", line: 77 },
  { code: "present/folded", line: 64 },
  { code: "present/expect-regex", line: 30 },
  { code: "present/fence-style", line: 46 },
];

/**
 * The reading-on-GitHub convention (present/…) and wrong attempts (wrong/missing) are warnings that older
 * fixtures predate: their own pairs are judged in full; the other pairs are judged on everything else.
 */
const conventionOnly = (code: string) => code.startsWith("present/") || code === "wrong/missing";

describe("lint rules: fixture pairs", () => {
  test("every rule in the table has a fixture pair", () => {
    expect(RULES.map((r) => r.code).sort()).toEqual(CASES.map((c) => c.code).sort());
  });

  test.each(CASES)("$code: bad.md triggers it at line $line", async ({ code, line, column }) => {
    const { diagnostics } = await lintFiles([`${pairDir(code)}bad.md`]);
    const hits = diagnostics.filter((d) => d.code === code);
    expect(hits.length, JSON.stringify(diagnostics, null, 1)).toBeGreaterThan(0);
    expect(hits[0]).toMatchObject({ line, column: column ?? 1, severity: RULES.find((r) => r.code === code)?.severity });
    // Every diagnostic says how to fix it.
    for (const d of hits) {
      expect(d.expected).toBeTruthy();
      expect(d.example).toBeTruthy();
    }
  });

  test.each(CASES)("$code: good.md is clean (no diagnostics at all)", async ({ code }) => {
    const file = `${pairDir(code)}good.md`;
    expect(existsSync(file)).toBe(true);
    const { diagnostics } = await lintFiles([file]);
    const judged = code.startsWith("present/") || code.startsWith("wrong/") ? diagnostics : diagnostics.filter((d) => !conventionOnly(d.code));
    expect(judged).toEqual([]);
  });
});

describe("lint: cross-file and API", () => {
  test("two labs with one id: front-matter/duplicate-id on the second file's id line", async () => {
    const { files, diagnostics: all } = await lintFiles([`${DIR}duplicate-ids`]);
    const diagnostics = all.filter((d) => !conventionOnly(d.code));
    expect(files).toHaveLength(2);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: "front-matter/duplicate-id", severity: "error", line: 3 });
    expect(diagnostics[0]?.file).toMatch(/02-two\.md$/);
    expect(diagnostics[0]?.message).toContain("01-one.md:3");
  });

  test("lintLab without the source still runs every rule (no-hint comments are then unknown)", () => {
    const file = `${pairDir("hint/missing")}good.md`;
    const source = readFileSync(file, "utf8");
    const parsed = parseLab(source, file);
    if (!parsed.ok) throw new Error("fixture must parse");
    expect(lintLab(parsed.lab, source).filter((d) => !conventionOnly(d.code))).toEqual([]);
    expect(lintLab(parsed.lab).map((d) => d.code).filter((c) => !conventionOnly(c))).toEqual(["hint/missing"]);
  });

  test("a no-hint comment without a reason is reported on the comment's line", () => {
    const source = readFileSync(`${pairDir("hint/missing")}good.md`, "utf8").replace("no-hint: the step only runs the command shown", "no-hint:");
    const parsed = parseLab(source, "x.md");
    if (!parsed.ok) throw new Error("fixture must parse");
    const d = lintLab(parsed.lab, source).filter((x) => !conventionOnly(x.code));
    expect(d.map((x) => [x.code, x.line, x.message])).toEqual([["hint/missing", 25, "this `no-hint` comment gives no reason"]]);
  });

  test("diagnostics are sorted by file, line, column", async () => {
    const { diagnostics } = await lintFiles(CASES.map((c) => `${pairDir(c.code)}bad.md`));
    expect(new Set(diagnostics.map((d) => d.file)).size).toBe(CASES.length);
    const keys = diagnostics.map((d) => [d.file, d.line, d.column] as const);
    const sorted = [...keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1] || a[2] - b[2]));
    expect(keys).toEqual(sorted);
  });
});

import { describe, expect, it } from "vitest";
import { matchExpect, outputLines } from "../../src/check/expect.js";

type Case = [name: string, expected: string[], actual: string, firstDifference?: number];

// firstDifference undefined = must match.
const CASES: Case[] = [
  ["identical lines", ["a", "b"], "a\nb\n"],
  ["no trailing newline", ["a", "b"], "a\nb"],
  ["CRLF output", ["a", "b"], "a\r\nb\r\n"],
  ["trailing whitespace on both sides", ["a  ", "b\t"], "a\t\nb   \n"],
  ["leading whitespace is significant", ["  a"], "a\n", 1],
  ["only one trailing empty line is dropped", ["a"], "a\n\n", 2],
  ["an expected empty line matches an empty line", ["a", "", "b"], "a\n\nb\n"],
  ["empty expected, empty output", [], ""],
  ["empty expected, one empty line", [], "\n", 1],
  ["one empty expected line", [""], "\n"],
  ["empty expected, some output", [], "x\n", 1],
  ["expected line missing", ["a", "b"], "a\n", 2],
  ["extra trailing line", ["a"], "a\nb\n", 2],
  ["different middle line", ["a", "b", "c"], "a\nX\nc\n", 2],
  ["literal is not a regex", ["a.c"], "abc\n", 1],
  ["literal with regex specials", ["[1] $HOME (x) *.txt ^a|b"], "[1] $HOME (x) *.txt ^a|b\n"],
  ["PID via (re)", ["PID \\d+ (re)", "done"], "PID 4242\ndone\n"],
  ["(re) is anchored at the start", ["\\d+ (re)"], "x12\n", 1],
  ["(re) is anchored at the end", ["\\d+ (re)"], "12x\n", 1],
  ["(re) alternation is anchored as a whole", ["a|b (re)"], "ab\n", 1],
  ["(re) alternation matches either", ["a|b (re)", "a|b (re)"], "a\nb\n"],
  ["(re) with escaped specials", ["\\(\\d+\\) \\[ok\\] \\$ (re)"], "(7) [ok] $\n"],
  ["(re) needs the space", ["x(re)"], "x\n", 1],
  ["(re) that does not match", ["inet 10\\.231\\.\\d+\\.\\d+/24 (re)"], "inet 10.232.0.1/24\n", 1],
  ["(re) matching an empty line", ["a", ".* (re)", "b"], "a\n\nb\n"],
  ["invalid regex never matches", ["pid ([ (re)"], "pid ([\n", 1],
  ["invalid regex after good lines", ["a", "(unclosed (re)"], "a\nb\n", 2],
  ["... alone matches nothing", ["..."], ""],
  ["... alone matches anything", ["..."], "a\nb\nc\n"],
  ["... at the start", ["...", "last"], "x\ny\nlast\n"],
  ["... at the start matching none", ["...", "last"], "last\n"],
  ["... at the end", ["first", "..."], "first\nx\ny\n"],
  ["... at the end matching none", ["first", "..."], "first\n"],
  ["... in the middle", ["a", "...", "z"], "a\nb\nc\nz\n"],
  ["... in the middle matching none", ["a", "...", "z"], "a\nz\n"],
  ["consecutive ...", ["a", "...", "...", "z"], "a\nb\nz\n"],
  ["several ... need backtracking", ["...", "x", "...", "x", "y"], "x\nq\nx\nx\ny\n"],
  ["backtracking past a false start", ["...", "foo", "bar"], "foo\nbaz\nfoo\nbar\n"],
  ["... cannot make up a missing line", ["a", "...", "z"], "a\nb\n", 3],
  ["... then a wrong line", ["...", "foo", "bar"], "a\nfoo\nx\n", 3],
  ["extra line after ... match", ["a", "...", "z"], "a\nz\nq\n", 4],
  ["indented ... is literal", ["  ..."], "anything\n", 1],
  ["... with trailing spaces still counts", ["...   "], "a\n"],
  ["... and (re) together", ["Linux ... (re)", "...", "\\s+inet \\S+ (re)"], "Linux ...\nblah\n    inet 10.0.0.1/8\n"],
  ["unicode literal", ["✓ ok — fine"], "✓ ok — fine\n"],
];

describe("matchExpect", () => {
  it.each(CASES)("%s", (_name, expected, actual, firstDifference) => {
    const result = matchExpect(expected, actual);
    if (firstDifference === undefined) {
      expect(result).toEqual({ ok: true });
    } else {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.mismatch.firstDifference).toBe(firstDifference);
    }
  });

  it("never throws on any invalid regex", () => {
    for (const bad of ["(", "[", "a{2,1}", "\\", "*", "(?<n>a)(?<n>b)"]) {
      expect(() => matchExpect([`${bad} (re)`], "x")).not.toThrow();
    }
  });

  it("says an invalid regex is invalid, and which line", () => {
    const r = matchExpect(["ok", "pid ([ (re)"], "ok\npid 1\n");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.mismatch.report[0]).toBe("expected line 2 is an invalid regular expression (Unterminated character class): pid ([");
  });

  it("renders an aligned report with the first difference marked", () => {
    const r = matchExpect(["a", "...", "PID \\d+ (re)", "done"], "a\nb\nc\nPID abc\ndone\n");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.mismatch.firstDifference).toBe(3);
    expect(r.mismatch.report).toEqual([
      "expected line 3 does not match output line 4 (marked >)",
      "   exp  expected                    |  act  actual",
      "     1  a                           |    1  a",
      "     2  ...                         |    2  b",
      "        ...                         |    3  c",
      ">    3  PID \\d+ (re)                |    4  PID abc",
      "     4  done                        |    5  done",
    ]);
  });

  it("reports a missing last line after ... as missing", () => {
    const r = matchExpect(["a", "...", "z"], "a\nb\nc\n");
    if (r.ok) throw new Error("should not match");
    expect(r.mismatch.report[0]).toBe("expected line 3 is missing from the output (marked >)");
    expect(r.mismatch.report.at(-1)).toBe(">    3  z");
  });

  it("pairs the rest of the lines after a clash and marks other differences", () => {
    const r = matchExpect(["a", "b", "c"], "a\nX\nY\n");
    if (r.ok) throw new Error("should not match");
    expect(r.mismatch.report.slice(2)).toEqual([
      "     1  a                           |    1  a",
      ">    2  b                           |    2  X",
      "!    3  c                           |    3  Y",
    ]);
  });

  it("elides long matching runs and long tails, staying within 80 columns", () => {
    const lines = Array.from({ length: 60 }, (_, k) => `line ${k + 1} ${"x".repeat(k)}`);
    const actual = lines.map((l, k) => (k === 40 ? "oops" : l)).join("\n");
    const r = matchExpect(lines, actual);
    if (r.ok) throw new Error("should not match");
    expect(r.mismatch.firstDifference).toBe(41);
    const report = r.mismatch.report;
    expect(report).toContain("        (37 matching lines above)");
    expect(report.find((l) => l.startsWith(">"))).toMatch(/^> {3}41 {2}line 41 x+\.\.\. \| {3}41 {2}oops$/);
    expect(report.at(-1)).toBe("        (8 more lines not shown)");
    expect(report.length).toBeLessThan(25);
    for (const line of report.slice(1)) expect([...line].length).toBeLessThanOrEqual(80);
  });

  it("summarises a long run matched by ...", () => {
    const actual = ["start", ...Array.from({ length: 30 }, (_, k) => `noise ${k}`), "end"].join("\n");
    const r = matchExpect(["start", "...", "the end"], actual);
    if (r.ok) throw new Error("should not match");
    expect(r.mismatch.report).toContain("        (27 more lines matched by ...)");
    expect(r.mismatch.report.at(-1)).toBe(">    3  the end");
  });

  it("shows tabs and control characters visibly", () => {
    const r = matchExpect(["a b"], "a\tb\x1b[0m\n");
    if (r.ok) throw new Error("should not match");
    expect(r.mismatch.report.at(-1)).toBe(">    1  a b                         |    1  a\\tb\\x1b[0m");
  });

  it("reports no output as such", () => {
    const r = matchExpect(["hello"], "");
    if (r.ok) throw new Error("should not match");
    expect(r.mismatch.report[0]).toBe("expected line 1 is missing from the output (no output; marked >)");
  });

  it("stays fast with many ... lines and long output", () => {
    const expected = Array.from({ length: 200 }, (_, k) => (k % 2 === 0 ? "..." : "never"));
    const actual = Array.from({ length: 5000 }, (_, k) => `l${k}`).join("\n");
    const start = performance.now();
    expect(matchExpect(expected, actual).ok).toBe(false);
    expect(performance.now() - start).toBeLessThan(2000);
  });
});

describe("outputLines", () => {
  it.each([
    ["", []],
    ["\n", [""]],
    ["a", ["a"]],
    ["a\n", ["a"]],
    ["a\n\n", ["a", ""]],
    ["a \r\nb\t\r\n", ["a", "b"]],
  ] as [string, string[]][])("%j", (input, lines) => {
    expect(outputLines(input)).toEqual(lines);
  });
});

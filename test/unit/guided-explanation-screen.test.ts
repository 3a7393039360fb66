// The explanation laid out beside the output it talks about: rows a text takes, screenfuls ending at paragraphs,
// and what the step's commands printed, shown again (cut to fit).
import { describe, expect, it } from "vitest";
import type { Block, Step } from "../../src/format/types.js";
import { outputRecap, rowsOf, screenfuls } from "../../src/guided/explanation-screen.js";
import { plainStyle } from "../../src/term/style.js";

const view = { style: plainStyle(true), width: 80 };

describe("rowsOf", () => {
  it.each<[string, string, number, number]>([
    ["one short line", "abc", 80, 1],
    ["an empty line still takes a row", "a\n\nb", 80, 3],
    ["a line wider than the terminal wraps", "x".repeat(81), 80, 2],
    ["exactly the width", "x".repeat(80), 80, 1],
    ["colours take no columns", "\x1b[31mred\x1b[39m", 3, 1],
  ])("%s", (_name, text, cols, rows) => {
    expect(rowsOf(text, cols)).toBe(rows);
  });
});

describe("screenfuls", () => {
  const para = (name: string, n: number) => Array.from({ length: n }, (_, i) => `${name}${i + 1}`);
  it.each<[string, string[], string[], number, string[][]]>([
    ["everything fits: one page", ["R"], [...para("a", 2), "", ...para("b", 2)], 10, [["R", "a1", "a2", "", "b1", "b2"]]],
    ["a page ends at a paragraph", ["R"], [...para("a", 3), "", ...para("b", 3)], 6, [["R", "a1", "a2", "a3", ""], ["b1", "b2", "b3"]]],
    ["a paragraph taller than a page is cut at the page", [], para("a", 5), 3, [["a1", "a2", "a3"], ["a4", "a5"]]],
    ["what comes first stays whole on the first page, with at least a line after it", ["R1", "R2", "R3"], [...para("a", 3)], 3, [["R1", "R2", "R3"], ["a1", "a2", "a3"]]],
  ])("%s", (_name, first, lines, budget, pages) => {
    expect(screenfuls(first, lines, budget, 80)).toEqual(pages);
  });
});

describe("outputRecap", () => {
  const command = (line: number): Block => ({ role: "command", lang: "sh", code: "true", line, codeLine: line + 1, session: "host", exit: 0, timeoutMs: 1000, background: false });
  const step = { index: 5, blocks: [command(10), command(20), command(30)] } as unknown as Step;
  const printed = (outputs: Record<number, string>) => ({ outputOf: (line: number) => outputs[line] ?? "" });

  it("labels each command that printed something, in order, and leaves out the silent ones", () => {
    expect(outputRecap(step, printed({ 10: "one\ntwo\n", 30: "three\n" }), view, 20)).toEqual([
      "What your commands printed (the explanation below is about it):",
      "Command 1/3 printed:",
      "  one",
      "  two",
      "Command 3/3 printed:",
      "  three",
    ]);
  });
  it("nothing printed: no recap", () => {
    expect(outputRecap(step, printed({}), view, 20)).toEqual([]);
  });
  it("too long: each command's output is cut to its first lines, saying where the rest is", () => {
    const long = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join("\n");
    const recap = outputRecap(step, printed({ 10: long, 20: long }), view, 12);
    expect(recap.length).toBeLessThanOrEqual(12);
    expect(recap).toContain("  line 1");
    expect(recap.join("\n")).toMatch(/… \(\d+ more lines: "Read step 6 again" shows them\)/);
  });
});

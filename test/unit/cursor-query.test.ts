// BusyBox ash's cursor-position query (ESC[6n after each prompt) is taken out of a typed turn's output, so the
// learner's terminal never answers it (its late answer was echoed as "^[[30;17R"); src/exec/cursor-query.ts.
import { describe, expect, it } from "vitest";
import { CursorQueries } from "../../src/exec/cursor-query.js";

/** The chunks through one filter, then what it held at the end. */
function through(chunks: string[]): string {
  const q = new CursorQueries();
  return chunks.map((c) => q.filter(c)).join("") + q.flush();
}

describe("CursorQueries: a typed turn's output without ash's cursor-position queries", () => {
  it.each([
    { name: "after a prompt", chunks: ["(rootlab box) $ \x1b[6n"], want: "(rootlab box) $ " },
    { name: "one per prompt", chunks: ["$ \x1b[6nls\r\nbin\r\n$ \x1b[6n"], want: "$ ls\r\nbin\r\n$ " },
    { name: "cut after ESC", chunks: ["$ \x1b", "[6n"], want: "$ " },
    { name: "cut after ESC [", chunks: ["$ \x1b[", "6n"], want: "$ " },
    { name: "cut after ESC [ 6", chunks: ["$ \x1b[6", "n"], want: "$ " },
    { name: "other sequences kept, also when cut", chunks: ["a\x1b[3", "1mred\x1b[0m\x1b[K"], want: "a\x1b[31mred\x1b[0m\x1b[K" },
    { name: "a lone ESC at the end is given back", chunks: ["x\x1b"], want: "x\x1b" },
    { name: "not the answer's shape (ESC[16n)", chunks: ["\x1b[16n"], want: "\x1b[16n" },
    {
      name: "a full-screen program on the other screen keeps its own; the shell's after it are taken out",
      chunks: ["\x1b[?1049h\x1b[6n vim", "\x1b[?1049l$ \x1b[6n"],
      want: "\x1b[?1049h\x1b[6n vim\x1b[?1049l$ ",
    },
  ])("$name", ({ chunks, want }) => {
    expect(through(chunks)).toBe(want);
  });
});

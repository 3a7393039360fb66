// The width stdout is laid out for: a terminal's own; a pipe's COLUMNS or 80 (it was unbounded, and `rootlab list |
// head` printed lines the terminal then wrapped mid-word).
import { describe, expect, it } from "vitest";
import { outputColumns } from "../../src/term/columns.js";

describe("outputColumns", () => {
  it.each<[string, { isTTY?: boolean; columns?: number }, NodeJS.ProcessEnv, number]>([
    ["a terminal: its width", { isTTY: true, columns: 120 }, { COLUMNS: "60" }, 120],
    ["a pipe: COLUMNS", { isTTY: false }, { COLUMNS: "100" }, 100],
    ["a pipe without COLUMNS: 80", {}, {}, 80],
    ["a pipe with a nonsense COLUMNS: 80", {}, { COLUMNS: "x" }, 80],
    ["a terminal that does not say: 80", { isTTY: true, columns: 0 }, {}, 80],
  ])("%s", (_name, stream, env, want) => {
    expect(outputColumns(stream, env)).toBe(want);
  });
});

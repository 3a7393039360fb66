// `rootlab list` on an 80-column terminal: titles too long for a column of their own go on a line under their lab
// (wrapped at words when longer than it), instead of being cut to a dozen characters; and no line of the table is wider than the terminal.
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { renderTranscript, Screen } from "./guided-driver.js";

const LABS = join(import.meta.dirname, "../../labs");
const titles = readdirSync(LABS)
  .filter((f) => f.endsWith(".md"))
  .map((f) => /^# (.+)$/m.exec(readFileSync(join(LABS, f), "utf8"))?.[1] ?? "")
  .filter((t) => t !== "");

describe("rootlab list on a terminal", () => {
  it.each([80, 200])("at %i columns shows every title whole and keeps every line within the width", async (cols) => {
    const s = new Screen(["list"], { PAGER: "cat" }, cols, undefined, 30);
    expect((await s.exited).exitCode).toBe(0);
    const lines = renderTranscript(s.output, cols).split("\n");
    const words = lines.map((l) => l.trim()).join(" "); // a title longer than the line wraps at its words
    for (const t of titles) expect(words, `title "${t}" whole`).toContain(t);
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(cols);
    // The commands to go on are each whole on a line (at 80 columns `… show` / `<lab>` was broken apart).
    expect(lines.some((l) => /start <lab>/.test(l) && /rootlab(\.js)? start/.test(l))).toBe(true);
    expect(lines.some((l) => /rootlab(\.js)? show <lab>/.test(l))).toBe(true);
    const head = lines.find((l) => l.includes("LAB"));
    expect(head?.includes("TITLE")).toBe(cols === 200);
  });
});

describe("rootlab list into a pipe", () => {
  it("is laid out for 80 columns (COLUMNS unset), not as wide as its longest line", async () => {
    const { spawnSync } = await import("node:child_process");
    const env = { ...process.env };
    delete env.COLUMNS;
    const r = spawnSync(process.execPath, [join(import.meta.dirname, "../../bin/rootlab.js"), "list"], { encoding: "utf8", env });
    expect(r.status, r.stderr).toBe(0);
    for (const l of r.stdout.split("\n")) expect([...l].length, l).toBeLessThanOrEqual(80);
  });
});

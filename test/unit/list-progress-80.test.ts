// `rootlab list` at 80 columns, titles on their own lines: a lab's progress ("3/6 steps, 1 hint") goes after its
// title when the row would be wider than the terminal — the new-user trial saw "(3/6 steps, 1" / "hint)".
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { table, type LabRow } from "../../src/cli/commands/list.js";
import { plainStyle } from "../../src/term/style.js";
import { fitReport } from "../../src/term/help-wrap.js";

const row = (id: string, title: string, progress: string): LabRow => ({
  id,
  title,
  level: "beginner",
  duration: "25m",
  file: `${id}.md`,
  canRun: true,
  unmet: [],
  progress: { mark: progress ? "▶" : "·", text: progress, state: progress ? "in-progress" : "not-started" },
});

// Long enough that titles cannot have a column of their own at 80 columns.
const rows = [
  row("one-ip-many-containers", "One IPv4 address for many containers, routed by name without decrypting", "7/9 steps, 3 hints"),
  row("nspawn", "Namespaces with systemd-nspawn", "3/6 steps, 1 hint"),
  row("chroot", "chroot: a different root directory", ""),
];

let columns: string | undefined;
beforeEach(() => {
  columns = process.env.COLUMNS;
});
afterEach(() => {
  if (columns === undefined) delete process.env.COLUMNS;
  else process.env.COLUMNS = columns;
});

describe("list's progress at 80 columns", () => {
  test("progress that would overflow the row follows the title; no line is wider than 80", () => {
    process.env.COLUMNS = "80";
    const lines = table(rows, plainStyle(true), false);
    // As list prints it: each line fitted to the terminal at words.
    for (const l of fitReport(lines.join("\n"), 80).split("\n")) expect(l.length, l).toBeLessThanOrEqual(80);
    expect(lines).toContain("     Namespaces with systemd-nspawn  (3/6 steps, 1 hint)");
    expect(lines.some((l) => l.startsWith(" ▶ nspawn") && !l.includes("steps"))).toBe(true);
    expect(lines.some((l) => l.startsWith(" ▶ one-ip-many-containers") && !l.includes("steps"))).toBe(true);
  });

  test("on a wide terminal it stays on the row", () => {
    process.env.COLUMNS = "200";
    const lines = table(rows, plainStyle(true), false);
    expect(lines.some((l) => l.startsWith(" ▶ nspawn") && l.endsWith("(3/6 steps, 1 hint)"))).toBe(true);
  });
});

// A diagnostic on a terminal: message and "expected" wrap at words under their indent; the example stays as written.
import { describe, expect, it } from "vitest";
import { diagnosticText } from "../../src/term/diagnostic-text.js";
import type { Diagnostic } from "../../src/format/types.js";

const d: Diagnostic = {
  file: "/tmp/lt/my.md",
  line: 6,
  column: 1,
  severity: "error",
  code: "front-matter/unknown-key",
  message: "unknown key `levle` in the front matter (did you mean `level`?)",
  expected: "one of: format, id, title, summary, level, duration, requires, uses, and nothing else at all here",
  example: "ip link add rl-h1 type veth peer name rl-c1 && ip link set rl-h1 up && ip link set rl-c1 up && true",
};

describe("diagnosticText", () => {
  it.each([
    [undefined, "no terminal: the lines as they are"],
    [30, "too narrow to wrap usefully: as they are"],
  ])("width %s: %s", (width, _why) => {
    expect(diagnosticText(d, width)).toBe(`${d.file}:6:1  error  front-matter/unknown-key  ${d.message}\n    expected: ${d.expected}\n    example:  ${d.example}`);
  });

  it("at 80 columns breaks only between words, under the indents, and leaves the example whole", () => {
    const lines = diagnosticText(d, 80).split("\n");
    // The first line starts with file:line:col at column 1, as without a terminal; only what follows is indented.
    expect(lines[0]?.startsWith(`${d.file}:6:1  error  front-matter/unknown-key `)).toBe(true);
    const example = lines.find((l) => l.startsWith("    example:  "));
    expect(example).toBe(`    example:  ${d.example}`);
    for (const l of lines.filter((x) => x !== example)) expect(l.length, l).toBeLessThanOrEqual(80);
    expect(lines.join(" ").replace(/\s+/g, " ")).toContain(d.message);
    expect(lines.some((l) => l.startsWith("    front matter") || l.startsWith("    (did") || /^ {4}\S/.test(l))).toBe(true);
    expect(lines.filter((l) => l.startsWith("              ")).length).toBeGreaterThan(0); // "expected" went on
  });
});

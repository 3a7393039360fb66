// Whole fixture labs: the good ones parse into the expected model, each broken one yields exactly its diagnostics.
import { describe, expect, test } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseLab } from "../../src/format/parse.js";
import type { Lab } from "../../src/format/types.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/labs/", import.meta.url));
const read = (name: string) => readFileSync(`${FIXTURES}${name}`, "utf8");

function good(name: string): Lab {
  const r = parseLab(read(`good/${name}`), name);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`).join("\n"));
  return r.lab;
}

describe("good labs", () => {
  test.each(readdirSync(`${FIXTURES}good`))("%s parses without errors", (name) => {
    expect(parseLab(read(`good/${name}`), name).ok).toBe(true);
  });

  test("namespaces-tour: front matter, title, intro", () => {
    const lab = good("namespaces-tour.md");
    expect(lab.meta).toMatchObject({ id: "namespaces-tour", level: "intermediate", durationSeconds: 5400, uses: ["busybox-rootfs", "alpine-rootfs"] });
    expect(lab.meta.requires.kernel).toEqual(["pidns", "netns", "veth"]);
    expect(lab.title).toBe("A tour of namespaces");
    // The HTML comment is a note for authors and is not part of the intro.
    expect(lab.intro).toBe("Namespaces give a process its own view of the machine.");
    expect(lab.steps.map((s) => [s.index, s.slug, s.line])).toEqual([
      [0, "make-a-scratch-namespace", 23],
      [1, "enter-a-pid-namespace", 69],
      [2, "start-a-daemon", 94],
    ]);
  });

  test("namespaces-tour step 1: roles, expect, check name, hints, intro and explanation", () => {
    const step = good("namespaces-tour.md").steps[0];
    expect(step?.blocks.map((b) => [b.role, b.line, b.codeLine])).toEqual([
      ["setup", 27, 28],
      ["cleanup", 31, 32],
      ["command", 35, 36],
      ["verify", 47, 48],
    ]);
    expect(step?.blocks[0]?.timeoutMs).toBe(5000);
    expect(step?.blocks[2]).toMatchObject({ code: "ip netns add rl-tour\nip netns list", expect: { lines: ["rl-tour", "..."], line: 42 } });
    expect(step?.blocks[3]).toMatchObject({ name: "the namespace rl-tour exists", retryMs: 10_000, timeoutMs: 20_000 });
    expect(step?.hints).toEqual([
      { markdown: "List namespaces with `ip netns list`.", line: 54 },
      { markdown: "Run `ip netns add rl-tour`.", line: 57 },
    ]);
    expect(step?.intro).toBe("A network namespace is a separate network stack.");
    expect(step?.explanation).toContain("> [!NOTE]");
    expect(step?.explanation).toContain("### Why a file?");
    expect(step?.explanation).not.toContain("[!TIP]");
    expect(step?.parts.map((p) => p.kind)).toEqual(["prose", "block", "block", "block", "prose", "block", "hint", "hint", "prose"]);
    // Prose between a command and its expected output is in neither intro nor explanation, but in parts.
    expect(step?.parts[4]).toEqual({ kind: "prose", markdown: "The list now shows it:", line: 40 });
  });

  test("namespaces-tour step 2: sessions, enter, exit", () => {
    const step = good("namespaces-tour.md").steps[1];
    expect(step?.blocks.map((b) => [b.role, b.session, b.enter, b.exit])).toEqual([
      ["command", "host", "pid", 0],
      ["command", "pid", undefined, 0],
      ["command", "pid", undefined, 1],
      ["verify", "pid", undefined, 0],
    ]);
    expect(step?.blocks[0]?.timeoutMs).toBe(30_000);
    expect(step?.blocks[1]?.expect).toEqual({ lines: ["1"], line: 79, lang: "console" });
    expect(step?.intro).toBe("");
    expect(step?.explanation).toBe("Inside, the shell believes it is the first process.");
  });

  test("namespaces-tour step 3: background, solution, display-only fences", () => {
    const step = good("namespaces-tour.md").steps[2];
    expect(step?.blocks.map((b) => [b.role, b.lang, b.background, b.session])).toEqual([
      ["command", "sh", true, "host"],
      ["solution", "bash", false, "pid"],
      ["verify", "sh", false, "host"],
    ]);
    expect(step?.blocks[2]?.name).toBeUndefined();
    const prose = step?.parts.find((p) => p.kind === "prose");
    expect(prose).toEqual({ kind: "prose", markdown: "```text\nthis block is only shown\n```\n\n```yaml\nkey: value\n```", line: 104 });
  });

  test("namespaces-tour: ## Cleanup blocks", () => {
    const lab = good("namespaces-tour.md");
    expect(lab.cleanupLine).toBe(116);
    expect(lab.cleanup.map((b) => [b.role, b.lang, b.line, b.timeoutMs, b.code])).toEqual([
      ["cleanup", "sh", 120, 60_000, "ip netns del rl-tour 2>/dev/null || true"],
      ["cleanup", "shell", 124, 10_000, 'rm -rf "$LAB_DIR/state"'],
    ]);
  });

  test("minimal: title falls back to the front matter, slugs are unique, prose-only step", () => {
    const lab = good("minimal.md");
    expect(lab.title).toBe("The smallest lab");
    expect(lab.intro).toBe("No `# Title` here: the front matter title is used.");
    expect(lab.steps.map((s) => s.slug)).toEqual(["say-hello", "say-hello-2", "read-only"]);
    expect(lab.steps[2]).toMatchObject({ intro: "Only prose here.", explanation: "", blocks: [] });
    expect(lab.cleanup).toEqual([]);
    expect(lab.cleanupLine).toBeUndefined();
  });

  test("CRLF and LF versions of a lab parse to the same model", () => {
    const crlf = read("good/crlf.md");
    expect(crlf).toContain("\r\n");
    const fromCrlf = parseLab(crlf, "x.md");
    const fromLf = parseLab(crlf.replace(/\r\n/g, "\n"), "x.md");
    expect(fromCrlf).toEqual(fromLf);
    expect(fromCrlf.ok && fromCrlf.lab.steps[0]?.blocks[0]).toMatchObject({ code: "echo one", line: 13, expect: { lines: ["one"], line: 17 } });
    expect(fromCrlf.ok && fromCrlf.lab.steps[0]?.explanation).toBe("Done.");
  });

  test("a BOM is ignored and tabs are kept", () => {
    const source = read("good/bom-tabs.md");
    expect(source.charCodeAt(0)).toBe(0xfeff);
    const lab = good("bom-tabs.md");
    expect(lab.meta.id).toBe("bom-lab");
    expect(lab.steps[0]?.blocks[0]).toMatchObject({ code: 'printf "a\\tb\\n"\n\techo indented', line: 11 });
    expect(lab.steps[0]?.intro).toBe("Tabs\tin prose are fine.");
  });

  test("warnings.md: soft problems are warnings and the lab still parses", () => {
    const r = parseLab(read("good/warnings.md"), "warnings.md");
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.warnings.map((d) => [d.code, d.line, d.severity])).toEqual([
      ["front-matter/format-string", 2, "warning"],
      ["hint/outside-step", 7, "warning"],
      ["step/empty", 10, "warning"],
      ["cleanup/not-last", 18, "warning"],
    ]);
    expect(r.lab.intro).toContain("[!TIP]");
    expect(r.lab.steps.map((s) => s.title)).toEqual(["Empty step", "After cleanup"]);
    expect(r.lab.cleanup).toHaveLength(1);
  });
});

/** Each broken fixture and exactly the diagnostics it must produce: [code, line, column]. */
const BROKEN: Record<string, [string, number, number][]> = {
  "no-front-matter.md": [["front-matter/missing", 1, 1]],
  "unclosed-front-matter.md": [["front-matter/unclosed", 1, 1]],
  "format-too-new.md": [["front-matter/format-too-new", 2, 9]],
  "yaml-syntax.md": [["front-matter/yaml", 4, 1]],
  "yaml-tabs.md": [["front-matter/yaml", 6, 1]],
  "yaml-tab-cascade.md": [["front-matter/yaml", 6, 1]],
  "missing-keys.md": [["front-matter/missing-key", 1, 1]],
  "front-matter-keys.md": [
    ["front-matter/bad-id", 3, 5],
    ["front-matter/wrong-type", 5, 10],
    ["front-matter/bad-level", 6, 8],
    ["front-matter/bad-duration", 7, 11],
    ["front-matter/unknown-key", 8, 1],
    ["front-matter/wrong-type", 11, 9],
    ["front-matter/unknown-key", 12, 3],
    ["front-matter/wrong-type", 13, 13],
    ["front-matter/unknown-kernel", 14, 19],
    ["front-matter/wrong-type", 15, 12],
    ["front-matter/unknown-uses", 16, 24],
  ],
  "fence-attributes.md": [
    ["fence/unknown-word", 9, 7],
    ["fence/malformed-attribute", 13, 7],
    ["fence/duplicate-attribute", 17, 17],
    ["fence/bad-exit", 21, 7],
    ["fence/attribute-not-allowed", 25, 14],
    ["fence/attribute-not-allowed", 29, 7],
    ["fence/attribute-not-allowed", 37, 16],
    ["fence/background-enter", 40, 18],
    ["fence/bad-session-name", 44, 7],
    ["fence/enter-host", 44, 24],
    ["fence/bad-timeout", 48, 7],
    ["fence/bad-retry", 52, 14],
    ["fence/bad-lang", 56, 4],
    ["fence/bad-lang", 64, 4],
    ["fence/not-runnable", 67, 4],
    ["fence/two-roles", 71, 14],
    ["fence/missing-value", 75, 7],
    ["fence/malformed-attribute", 75, 19],
  ],
  "expect-problems.md": [
    ["step/empty", 7, 1],
    ["expect/no-command", 9, 1],
    ["expect/no-command", 20, 1],
    ["expect/duplicate", 34, 1],
    ["expect/background", 44, 1],
  ],
  "outside-step.md": [
    ["block/outside-step", 9, 1],
    ["hint/outside-step", 13, 1],
  ],
  "cleanup-problems.md": [
    ["cleanup/bad-role", 9, 7],
    ["fence/attribute-not-allowed", 13, 7],
    ["cleanup/duplicate", 17, 1],
  ],
  "unclosed-fence.md": [["fence/unclosed", 9, 1]],
  "fence-not-closed.md": [
    ["fence/not-closed", 13, 1],
    ["wrong/undo-without-attempt", 22, 1],
  ],
  "nested.md": [
    ["fence/nested", 11, 4],
    ["fence/nested-command", 17, 4],
  ],
};

describe("broken labs", () => {
  test("every broken fixture has an entry in the table", () => {
    expect(readdirSync(`${FIXTURES}broken`).sort()).toEqual(Object.keys(BROKEN).sort());
  });

  test.each(Object.entries(BROKEN))("%s", (name, expected) => {
    const r = parseLab(read(`broken/${name}`), `broken/${name}`);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual(expected);
    for (const d of r.diagnostics) {
      expect(d.file).toBe(`broken/${name}`);
      expect(d.message, d.code).toMatch(/\w{3}/);
      expect(d.expected, d.code).toBeTruthy();
      expect(d.example, d.code).toBeTruthy();
    }
  });
});

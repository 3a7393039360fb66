// Every example lab in the instructor docs parses; complete labs also lint exactly as the docs say.
import { describe, expect, test } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseLab } from "../../src/format/parse.js";
import { lintLab } from "../../src/lint/lint.js";
import { docExamples, markdownFences } from "../../src/authoring/doc-examples.js";
import { RULES } from "../../src/lint/rules/index.js";

const DOCS = ["lab-format.md", "authoring.md"];
const read = (name: string) => readFileSync(fileURLToPath(new URL(`../../docs/${name}`, import.meta.url)), "utf8");

const cases = DOCS.flatMap((doc) => docExamples(read(doc)).map((ex) => ({ ...ex, doc, name: `${doc}:${ex.line} (${ex.kind}${ex.runnable ? ", runnable" : ""})` })));

describe("docs examples", () => {
  test("the docs have examples, every ````markdown fence is one, and each doc has a runnable lab", () => {
    for (const doc of DOCS) {
      expect(markdownFences(read(doc)).length).toBe(docExamples(read(doc)).length);
      expect(cases.filter((c) => c.doc === doc && c.runnable).length, doc).toBeGreaterThan(0);
    }
    expect(cases.length).toBeGreaterThan(10);
  });

  test.each(cases)("$name parses without errors or warnings", ({ lab, offset, line, doc }) => {
    const r = parseLab(lab, doc);
    const problems = r.ok ? r.warnings : r.diagnostics;
    const where = problems.map((d) => `${doc}:${line + d.line - offset} ${d.code} ${d.message}`).join("\n");
    expect(problems, where).toEqual([]);
  });

  test.each(cases.filter((c) => c.kind === "lab"))("$name lints as the docs say", ({ lab, text, lint, doc, line }) => {
    const r = parseLab(lab, doc);
    if (!r.ok) throw new Error("must parse");
    const found = lintLab(r.lab, text);
    const where = found.map((d) => `${doc}:${line + d.line} ${d.code} ${d.message}`).join("\n");
    expect([...new Set(found.map((d) => d.code))].sort(), where).toEqual([...lint].sort());
  });
});

test("authoring.md's lint rules table lists exactly the rules, with their severities", () => {
  const rows = [...read("authoring.md").matchAll(/^\| `([a-z-]+\/[a-z-]+)` \| (error|warning) \|/gm)].map((m) => [m[1], m[2]]);
  const expected = [...RULES.map((r) => [r.code, r.severity]), ["lab/next-link", "warning"], ["front-matter/duplicate-id", "error"]];
  expect(rows.sort()).toEqual(expected.sort());
});

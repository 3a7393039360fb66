// The students' path is the labs folder's file order: each lab's closing "Next:" must name the lab after it
// (lint: lab/next-link), and README's lab table lists the bundled labs in that order.
import { describe, expect, test } from "vitest";
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { findLabFiles } from "../../src/format/load.js";
import { parseLab } from "../../src/format/parse.js";
import { lintFiles } from "../../src/lint/lint.js";
import { nextLink, nextLinkDiagnostics, type PathLab } from "../../src/lint/path-order.js";

const lab = (id: string, closing: string): PathLab => ({ file: `${id}.md`, id, source: `# ${id}\n\n## What you learned\n\n- things\n\n${closing}\n` });

describe("nextLink", () => {
  test.each([
    ["Next: **`b`** — more.", 7, ["b"]],
    ["Next: the `b` lab, and later `c`.", 7, ["b", "c"]],
    ["Next: **`b`** — the bridge\nof `c`, on two lines.", 7, ["b", "c"]],
    ["No link here.", undefined, undefined],
  ])("%j", (closing, line, ids) => {
    const found = nextLink(lab("a", closing).source);
    expect(found?.line).toBe(line);
    expect(found?.ids).toEqual(ids);
  });
});

describe("nextLinkDiagnostics", () => {
  test.each([
    { name: "each lab names the next one; the last names none", labs: [lab("a", "Next: **`b`**."), lab("b", "Next: the `c` lab."), lab("c", "The end.")], bad: [] },
    { name: "a link to a lab further on", labs: [lab("a", "Next: **`c`**."), lab("b", "Next: `c`."), lab("c", "")], bad: ["a.md"] },
    { name: "no Next: line", labs: [lab("a", "Go on."), lab("b", "")], bad: ["a.md"] },
    { name: "a Next: that names no lab of the folder, then the right one", labs: [lab("a", "Next: see `ip` in `b`."), lab("b", "")], bad: [] },
    { name: "a Next: that names no lab of the folder at all", labs: [lab("a", "Next: `zz`."), lab("b", "")], bad: ["a.md"] },
    { name: "the finale may name a lab that is not written yet", labs: [lab("a", "Next: `b`."), lab("b", "Next: `later`.")], bad: [] },
  ])("$name", ({ labs, bad }) => {
    const found = nextLinkDiagnostics(labs);
    expect(found.map((d) => d.file)).toEqual(bad);
    for (const d of found) expect(d).toMatchObject({ code: "lab/next-link", severity: "warning" });
  });

  test("the message names the expected lab and the example fixes it", () => {
    const [d] = nextLinkDiagnostics([lab("a", "Next: **`c`**."), lab("b", ""), lab("c", "")]);
    expect(d?.message).toContain('the lab after "a" in the folder\'s order is "b"');
    expect(d?.example).toContain("`b`");
    expect(d?.line).toBe(7);
  });
});

describe("the bundled labs", () => {
  const LABS = fileURLToPath(new URL("../../labs/", import.meta.url));
  const README = fileURLToPath(new URL("../../README.md", import.meta.url));

  test("every closing Next: follows the folder's order", async () => {
    const { diagnostics } = await lintFiles([LABS]);
    expect(diagnostics.filter((d) => d.code === "lab/next-link")).toEqual([]);
  });

  test("README's lab table lists the labs in the folder's order", async () => {
    const ids: string[] = [];
    for (const file of await findLabFiles(LABS)) {
      const parsed = parseLab(readFileSync(file, "utf8"), basename(file));
      if (parsed.ok) ids.push(parsed.lab.meta.id);
    }
    const readme = readFileSync(README, "utf8");
    const table = readme.slice(readme.indexOf("## The labs"), readme.indexOf("## How it is built"));
    const rows = [...table.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]);
    expect(rows).toEqual(ids);
  });
});

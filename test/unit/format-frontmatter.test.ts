// Front matter: values and defaults, and the diagnostics (code, line, column) for every kind of mistake.
import { describe, expect, test } from "vitest";
import { parseLab } from "../../src/format/parse.js";
import { unclosedOpener } from "../../src/format/frontmatter.js";
import type { Diagnostic, FrontMatter } from "../../src/format/types.js";

const BODY = "\n## Step\n\n```sh\ntrue\n```\n";
const BASE = ["format: 1", "id: demo", "title: Demo"];

/** A lab whose front matter is `lines` (line 1 is `---`, so lines[0] is on line 2). */
function lab(lines: string[]): string {
  return `---\n${lines.join("\n")}\n---\n${BODY}`;
}

function meta(lines: string[]): FrontMatter {
  const r = parseLab(lab(lines), "lab.md");
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.line}: ${d.message}`).join("\n"));
  return r.lab.meta;
}

function problems(lines: string[]): Diagnostic[] {
  const r = parseLab(lab(lines), "lab.md");
  return r.ok ? r.warnings : r.diagnostics;
}

describe("values and defaults", () => {
  test("only the required keys: everything else has its default", () => {
    expect(meta(BASE)).toEqual({
      format: 1,
      id: "demo",
      title: "Demo",
      summary: "",
      level: "beginner",
      duration: "",
      durationSeconds: 0,
      requires: { root: true, commands: [], kernel: [], systemd: false, network: false },
      uses: [],
    });
  });

  test("every key given", () => {
    const m = meta([
      ...BASE,
      "summary: One sentence.",
      "level: advanced",
      "duration: 1h30m",
      "requires:",
      "  root: false",
      "  commands: [ip, unshare]",
      "  kernel:",
      "    - netns",
      "    - cgroup2",
      "  systemd: true",
      "  network: true",
      "uses: [busybox-rootfs, alpine-rootfs]",
    ]);
    expect(m).toMatchObject({ summary: "One sentence.", level: "advanced", duration: "1h30m", durationSeconds: 5400, uses: ["busybox-rootfs", "alpine-rootfs"] });
    expect(m.requires).toEqual({ root: false, commands: ["ip", "unshare"], kernel: ["netns", "cgroup2"], systemd: true, network: true });
  });

  test("empty optional values mean the default", () => {
    expect(meta([...BASE, "summary:", "requires:", "uses:"])).toMatchObject({ summary: "", uses: [], requires: { root: true } });
  });

  test("`format` written as text is accepted with a warning", () => {
    const r = parseLab(lab(["format: \"1\"", "id: demo", "title: Demo"]), "lab.md");
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.warnings.map((d) => [d.code, d.line, d.severity])).toEqual([["front-matter/format-string", 2, "warning"]]);
  });

  test("anchors and aliases are followed", () => {
    expect(meta(["format: 1", "id: &name demo", "title: *name", "requires:", "  commands: &cmds [ip]", "  kernel: [netns]"])).toMatchObject({ id: "demo", title: "demo", requires: { commands: ["ip"] } });
  });

  test("comments and quoted strings are fine", () => {
    expect(meta(["format: 1  # the version", "id: 'demo'", 'title: "Demo: with a colon"'])).toMatchObject({ id: "demo", title: "Demo: with a colon" });
  });
});

describe("title is optional", () => {
  const withBody = (front: string[], body: string) => parseLab(`---\n${front.join("\n")}\n---\n${body}`, "lab.md");
  test.each<[string, string[], string, string, string]>([
    ["front matter and H1: the front matter names the lab", BASE, "\n# The heading\n", "Demo", "Demo"],
    ["no title: the H1 names the lab", ["format: 1", "id: demo"], "\n# The heading\n", "", "The heading"],
    ["empty title: the H1 names the lab", ["format: 1", "id: demo", "title:"], "\n# The heading\n", "", "The heading"],
    ["blank title: the H1 names the lab", ["format: 1", "id: demo", "title: '  '"], "\n# The heading\n", "", "The heading"],
    ["neither: the id names the lab", ["format: 1", "id: demo"], "\nJust prose.\n", "", "demo"],
  ])("%s", (_name, front, body, metaTitle, labTitle) => {
    const r = withBody(front, body);
    if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
    expect(r.warnings).toEqual([]);
    expect([r.lab.meta.title, r.lab.title]).toEqual([metaTitle, labTitle]);
  });
});

describe("mistakes", () => {
  // [front matter lines, [code, line, column] ...]
  test.each<[string, string[], [string, number, number][]]>([
    ["unknown top-level key", [...BASE, "requries: {}"], [["front-matter/unknown-key", 5, 1]]],
    ["unknown nested key", [...BASE, "requires:", "  comands: [ip]"], [["front-matter/unknown-key", 6, 3]]],
    ["format missing", ["id: demo", "title: Demo"], [["front-matter/missing-key", 1, 1]]],
    ["id missing", ["format: 1", "title: Demo"], [["front-matter/missing-key", 1, 1]]],
    ["id blank", ["format: 1", "id: \"\"", "title: Demo"], [["front-matter/missing-key", 3, 1]]],
    ["format too new", ["format: 2", "id: demo", "title: Demo"], [["front-matter/format-too-new", 2, 9]]],
    ["format zero", ["format: 0", "id: demo", "title: Demo"], [["front-matter/bad-format", 2, 9]]],
    ["format a fraction", ["format: 1.5", "id: demo", "title: Demo"], [["front-matter/bad-format", 2, 9]]],
    ["format a word", ["format: one", "id: demo", "title: Demo"], [["front-matter/bad-format", 2, 9]]],
    ["id with capitals", ["format: 1", "id: My_Lab", "title: Demo"], [["front-matter/bad-id", 3, 5]]],
    ["id a number", ["format: 1", "id: 42", "title: Demo"], [["front-matter/wrong-type", 3, 5]]],
    ["title a list", ["format: 1", "id: demo", "title: [a]"], [["front-matter/wrong-type", 4, 8]]],
    ["summary a map", [...BASE, "summary: {a: 1}"], [["front-matter/wrong-type", 5, 10]]],
    ["level unknown", [...BASE, "level: expert"], [["front-matter/bad-level", 5, 8]]],
    ["duration without unit", [...BASE, "duration: 15"], [["front-matter/bad-duration", 5, 11]]],
    ["duration nonsense", [...BASE, "duration: soon"], [["front-matter/bad-duration", 5, 11]]],
    ["requires a list", [...BASE, "requires: [root]"], [["front-matter/wrong-type", 5, 11]]],
    ["root not a boolean", [...BASE, "requires:", "  root: yes please"], [["front-matter/wrong-type", 6, 9]]],
    ["commands a string", [...BASE, "requires:", "  commands: ip"], [["front-matter/wrong-type", 6, 13]]],
    ["commands with a number", [...BASE, "requires:", "  commands: [ip, 3]"], [["front-matter/wrong-type", 6, 18]]],
    ["unknown kernel feature", [...BASE, "requires:", "  kernel: [netns, vethh]"], [["front-matter/unknown-kernel", 6, 19]]],
    ["systemd a number", [...BASE, "requires:", "  systemd: 1"], [["front-matter/wrong-type", 6, 12]]],
    ["unknown fixture", [...BASE, "uses: [alpine]"], [["front-matter/unknown-uses", 5, 8]]],
    ["uses a string", [...BASE, "uses: busybox-rootfs"], [["front-matter/wrong-type", 5, 7]]],
    ["duplicate key", [...BASE, "id: again"], [["front-matter/duplicate-key", 5, 1]]],
    ["YAML syntax error", ["format: 1", "id: [demo", "title: Demo"], [["front-matter/yaml", 3, 1]]],
    ["unclosed map in the middle", [...BASE, "requires: {root: true", "level: beginner"], [["front-matter/yaml", 5, 1]]],
    ["unclosed list as the last line", [...BASE, "uses: [busybox-rootfs"], [["front-matter/yaml", 5, 1]]],
    ["unterminated quote", [...BASE, 'summary: "open'], [["front-matter/yaml", 5, 1]]],
    ["tab indentation", [...BASE, "requires:", "\troot: true"], [["front-matter/yaml", 6, 1]]],
    ["a list, not a map", ["- format: 1"], [["front-matter/not-a-map", 2, 1]]],
    ["a plain string", ["just words"], [["front-matter/not-a-map", 2, 1]]],
  ])("%s", (_name, lines, expected) => {
    const found = problems(lines).filter((d) => d.severity === "error");
    expect(found.map((d) => [d.code, d.line, d.column])).toEqual(expected);
    for (const d of found) {
      expect(d.expected, d.code).toBeTruthy();
      expect(d.example, d.code).toBeTruthy();
    }
  });

  test("every problem is reported, not only the first", () => {
    const found = problems(["format: 3", "id: BAD", "title: Demo", "level: hard", "colour: red", "uses: [x, y]"]);
    expect(found.map((d) => d.code)).toEqual([
      "front-matter/format-too-new",
      "front-matter/bad-id",
      "front-matter/bad-level",
      "front-matter/unknown-key",
      "front-matter/unknown-uses",
      "front-matter/unknown-uses",
    ]);
  });

  test("a newer format says to upgrade rootlab", () => {
    const [d] = problems(["format: 2", "id: demo", "title: Demo"]);
    expect(d?.message).toMatch(/format 2/);
    expect(d?.message).toMatch(/upgrade rootlab/);
  });

  test("typos get a suggestion", () => {
    expect(problems([...BASE, "requries: {}"])[0]?.message).toContain("did you mean `requires`?");
    expect(problems([...BASE, "sumary: x"])[0]?.message).toContain("did you mean `summary`?");
    expect(problems([...BASE, "level: beginer"])[0]?.message).toContain("did you mean `beginner`?");
    expect(problems([...BASE, "uses: [busybox]"])[0]?.message).toContain("did you mean `busybox-rootfs`?");
  });

  test.each<[string, string, number]>([
    ["no front matter", "# Title\n\n## Step\n", 1],
    ["front matter not at the top", "\n---\nformat: 1\n---\n", 1],
    ["empty file", "", 1],
  ])("%s → front-matter/missing on line 1, with an example", (_name, source) => {
    const r = parseLab(source, "lab.md");
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.diagnostics[0]).toMatchObject({ code: "front-matter/missing", line: 1, column: 1 });
      expect(r.diagnostics[0]?.example).toContain("format: 1");
    }
  });

  test("front matter never closed", () => {
    const r = parseLab("---\nformat: 1\nid: x\ntitle: y\n\n# Title\n", "lab.md");
    expect(r.ok ? [] : r.diagnostics.map((d) => [d.code, d.line])).toEqual([["front-matter/unclosed", 1]]);
  });

  test("empty front matter", () => {
    const r = parseLab("---\n---\n## Step\n\nRead this.\n", "lab.md");
    expect(r.ok ? [] : r.diagnostics.map((d) => [d.code, d.line])).toEqual([["front-matter/not-a-map", 1]]);
  });
});

describe("YAML syntax errors, said for a person", () => {
  test.each<[string, string, string | undefined]>([
    ["an open list", "title: [unclosed\n", "["],
    ["an open map inside a list", "a: [b, {c: d\n", "{"],
    ["an open double quote", 'title: "half\n', '"'],
    ["an escaped quote does not close", 'title: "a \\" b\n', '"'],
    ["a doubled single quote does not close", "title: 'it''s\n", "'"],
    ["closed brackets and quotes", "a: [b, {c: d}]\nt: 'x'\n", undefined],
    ["an apostrophe inside plain text is text", "title: Don't panic\n", undefined],
    ["a bracket inside plain text is text", "title: a [draft\n", undefined],
    ["a bracket in a comment is a comment", "title: x # [note\n", undefined],
  ])("%s", (_name, yaml, char) => {
    expect(unclosedOpener(yaml, yaml.length)?.char).toBe(char);
  });

  test("an unclosed list is reported where it opens, with the library's words kept as a detail", () => {
    const [d] = problems([...BASE, "summary: [unclosed", "level: beginner"]);
    expect(d).toMatchObject({ code: "front-matter/yaml", line: 5, column: 1 });
    expect(d?.message).toMatch(/^the list opened with `\[` on line 5 is never closed \(YAML parser: .+\)$/);
    expect(d?.expected).toContain("`]`");
  });

  test("an unterminated quote names the quote", () => {
    const [d] = problems([...BASE, 'summary: "open']);
    expect(d?.message).toMatch(/^the quoted text opened with " on line 5 is never closed/);
  });
});

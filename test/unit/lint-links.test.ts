// link/nowhere: GitHub's heading anchors, which links the one-pass reader finds (and which it must skip), and
// what the rule says about each kind of target. The fixture pair (lint-rules.test.ts) covers a whole lab.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { githubSlug, linksAndAnchors } from "../../src/lint/markdown-links.js";
import { lintFiles, lintLab } from "../../src/lint/lint.js";
import { parseLab } from "../../src/format/parse.js";

describe("githubSlug: the anchor GitHub gives a heading", () => {
  test.each([
    ["Hints", "hints"],
    ["Sessions: `enter=` and `session=`", "sessions-enter-and-session"],
    ["The body: title, intro, steps", "the-body-title-intro-steps"],
    ["Expected output (`expect`)", "expected-output-expect"],
    ["Create the `veth` pair!", "create-the-veth-pair"],
    ["Mount /proc — and look", "mount-proc--and-look"],
    ["Read [the notes](notes.md) first", "read-the-notes-first"],
    ["**Bold** and _emphasis_ but snake_case", "bold-and-emphasis-but-snake_case"],
    ["Über größe", "über-größe"],
    ["Step 2.1: cgroup v2", "step-21-cgroup-v2"],
  ])("%s → %s", (heading, slug) => {
    expect(githubSlug(heading)).toBe(slug);
  });
});

const at = (body: string) => linksAndAnchors(body.split("\n"));

describe("linksAndAnchors: one pass over the lines", () => {
  test.each<{ name: string; body: string; links: [string, number, number][] }>([
    { name: "an inline link and an image", body: "See [the docs](a.md) and ![a picture](img/b.png).", links: [["a.md", 1, 5], ["img/b.png", 1, 26]] },
    { name: "a title and angle brackets", body: '[a](a.md "title") [b](<my b.md>)', links: [["a.md", 1, 1], ["my b.md", 1, 19]] },
    { name: "a reference definition", body: "text [x][r]\n\n[r]: notes.md", links: [["notes.md", 3, 1]] },
    { name: "code spans are not links", body: "run `[x](y.md)` and ``a ` [b](c.md)``", links: [] },
    { name: "an escaped bracket is text", body: "\\[x](y.md)", links: [] },
    { name: "fenced code (also quoted in a hint) is not read", body: "```sh\n[x](y.md)\n```\n> ```sh\n> [z](w.md)\n> ```\n[after](ok.md)", links: [["ok.md", 7, 1]] },
    { name: "a longer fence holds a shorter one", body: "````markdown\n```\n[x](y.md)\n```\n````\n[after](ok.md)", links: [["ok.md", 6, 1]] },
    { name: "comments are not read, also across lines", body: "<!-- [x](y.md)\n[z](w.md) -->[after](ok.md)", links: [["ok.md", 2, 14]] },
    { name: "front matter is not read, lines still count", body: "---\nid: x\nsummary: '[x](y.md)'\n---\n[a](a.md)", links: [["a.md", 5, 1]] },
    { name: "parentheses inside a target", body: "[w](page_(x).md)", links: [["page_(x).md", 1, 1]] },
  ])("$name", ({ body, links }) => {
    expect(at(body).links.map((l) => [l.target, l.line, l.column])).toEqual(links);
  });

  test("anchors: ATX and setext headings, repeats numbered, HTML ids; headings in code are none", () => {
    const body = "# Title\n\n## Setup\n\n## Setup\n\nA setext one\n---\n\n```\n## Not a heading\n```\n\n<a id=\"here\"></a>\n\n### Closed ###";
    expect(at(body).anchors).toEqual(["title", "setup", "setup-1", "a-setext-one", "closed", "here"]);
  });

  test("a thematic break after a blank line is no heading", () => {
    expect(at("Text\n\n---\n\n# T").anchors).toEqual(["t"]);
  });
});

const FRONT = "---\nformat: 1\nid: links-unit\n---\n\n# Links\n\nIntro.\n\n";
const STEP = "## Step one\n\nDo it.\n\n```sh\ntrue\n```\n\n```sh verify\n# ok\ntrue\n```\n\n> [!TIP]\n> `true`\n\nDone.\n";

function linkProblems(body: string, exists?: (p: string) => boolean): [number, string][] {
  const source = FRONT + body + "\n" + STEP;
  const parsed = parseLab(source, "labs/x.md");
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
  return lintLab(parsed.lab, source, exists ? { fileExists: exists } : undefined).filter((d) => d.code === "link/nowhere").map((d) => [d.line, d.message]);
}

describe("link/nowhere: what is checked", () => {
  const none = () => false;
  test.each<{ name: string; body: string; exists?: (p: string) => boolean; hits: number }>([
    { name: "an anchor of a step", body: "Go to [step one](#step-one).", hits: 0 },
    { name: "an anchor no heading makes", body: "Go to [step one](#step-1).", hits: 1 },
    { name: "a bare # (the top)", body: "Back to [the top](#).", hits: 0 },
    { name: "a percent-encoded anchor", body: "[x](#step%2Done)", hits: 0 },
    { name: "https, mailto and // are not checked", body: "[a](https://nowhere.invalid/x) [b](mailto:a@b.c) [c](//host/x)", exists: none, hits: 0 },
    { name: "a repository-root path is not checked", body: "[a](/docs/x.md)", exists: none, hits: 0 },
    { name: "a missing file", body: "[a](notes.md)", exists: none, hits: 1 },
    { name: "a missing file with an anchor", body: "[a](notes.md#part)", exists: none, hits: 1 },
    { name: "a file that exists (looked for beside the lab)", body: "[a](../docs/x.md)", exists: (p) => p === join("docs", "x.md"), hits: 0 },
    { name: "without fileExists (lintLab alone) files are not checked", body: "[a](notes.md)", hits: 0 },
  ])("$name", ({ body, exists, hits }) => {
    expect(linkProblems(body, exists)).toHaveLength(hits);
  });

  test("the message names the link, where it was looked for and a near anchor", () => {
    expect(linkProblems("[a](notes.md) [b](#step-on)", () => false)).toEqual([
      [10, 'the link "[a](notes.md)" points to notes.md, which does not exist beside the lab (looked for labs/notes.md)'],
      [10, 'the link "[b](#step-on)" points to #step-on, but no heading of this lab makes that anchor (did you mean #step-one?)'],
    ]);
  });
});

describe("link/nowhere through lintFiles: the disk is read", () => {
  const dir = mkdtempSync(join(tmpdir(), "rootlab-links-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("a file created beside the lab silences the warning", async () => {
    const lab = join(dir, "01-links.md");
    writeFileSync(lab, FRONT + "Read [the notes](notes.txt).\n\n" + STEP);
    const before = (await lintFiles([lab])).diagnostics.filter((d) => d.code === "link/nowhere");
    expect(before.map((d) => [d.line, d.column])).toEqual([[10, 6]]);
    writeFileSync(join(dir, "notes.txt"), "notes\n");
    expect((await lintFiles([lab])).diagnostics.filter((d) => d.code === "link/nowhere")).toEqual([]);
  });
});

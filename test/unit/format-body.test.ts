// The Markdown body: steps, prose placement, hints, alerts, slugs, and the small helpers behind them.
import { describe, expect, test } from "vitest";
import { parseLab } from "../../src/format/parse.js";
import { readAlert } from "../../src/format/alerts.js";
import { slugify, SlugRegistry } from "../../src/format/slug.js";
import { closest } from "../../src/format/suggest.js";
import { LineIndex, normaliseSource } from "../../src/format/source.js";
import type { Lab } from "../../src/format/types.js";

const FRONT = "---\nformat: 1\nid: demo\ntitle: Demo\n---\n"; // 5 lines: the body starts on line 6

function lab(body: string): Lab {
  const r = parseLab(FRONT + body, "lab.md");
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`).join("\n"));
  return r.lab;
}

function codes(body: string): [string, number][] {
  const r = parseLab(FRONT + body, "lab.md");
  return (r.ok ? r.warnings : r.diagnostics).map((d) => [d.code, d.line]);
}

describe("steps and prose", () => {
  test("intro before the first command, explanation after the last check; hints in neither", () => {
    const step = lab("## S\n\nBefore.\n\n> [!TIP]\n> Early hint.\n\n```sh\na\n```\n\nBetween.\n\n```sh verify\n# ok\ntrue\n```\n\nAfter.\n\n> [!TIP]\n> Late hint.\n\nMore after.\n").steps[0];
    expect(step?.intro).toBe("Before.");
    expect(step?.explanation).toBe("After.\n\nMore after.");
    expect(step?.hints.map((h) => [h.markdown, h.line])).toEqual([["Early hint.", 10], ["Late hint.", 26]]);
    expect(step?.parts.map((p) => p.kind)).toEqual(["prose", "hint", "block", "prose", "block", "prose", "hint", "prose"]);
  });

  test("setup and cleanup blocks do not split intro and explanation", () => {
    const step = lab("## S\n\n```sh setup\nprep\n```\n\nIntro.\n\n```sh\nwork\n```\n\nExplained.\n\n```sh cleanup\nundo\n```\n").steps[0];
    expect(step?.intro).toBe("Intro.");
    expect(step?.explanation).toBe("Explained.");
  });

  test("expected output belongs to the work: prose before it is not the explanation", () => {
    const step = lab("## S\n\n```sh\necho hi\n```\n\nYou should see:\n\n```text expect\nhi\n```\n\nExplained.\n").steps[0];
    expect(step?.blocks[0]?.expect).toEqual({ lines: ["hi"], line: 14, lang: "text" });
    expect(step?.explanation).toBe("Explained.");
    expect(step?.parts.map((p) => p.kind)).toEqual(["block", "prose", "prose"]);
  });

  test("a solution can have expected output", () => {
    const step = lab("## S\n\n```sh solution\necho hi\n```\n\n```text expect\nhi\n```\n").steps[0];
    expect(step?.blocks[0]).toMatchObject({ role: "solution", expect: { lines: ["hi"] } });
  });

  test("### headings and display-only fences are prose of the step", () => {
    const step = lab("## S\n\n### Sub\n\n~~~yaml\na: 1\n~~~\n\n    indented code\n").steps[0];
    expect(step?.parts).toEqual([{ kind: "prose", markdown: "### Sub\n\n~~~yaml\na: 1\n~~~\n\n    indented code", line: 8 }]);
    expect(step?.blocks).toEqual([]);
  });

  test("tilde fences and longer fences run, and may contain ``` lines", () => {
    const step = lab("## S\n\n~~~sh\necho a\n~~~\n\n````sh\ncat <<'EOF'\n```\nEOF\n````\n").steps[0];
    expect(step?.blocks.map((b) => [b.code, b.line])).toEqual([["echo a", 8], ["cat <<'EOF'\n```\nEOF", 12]]);
  });

  test("headings: setext ## works, the first # is the title, later # headings are prose", () => {
    const source = "# Real title\n\nIntro.\n\nStep one\n--------\n\n# Not a title\n\ntext\n";
    const l = lab(source);
    // The front matter's `title: Demo` names the lab; without it the first # heading does.
    expect(l.title).toBe("Demo");
    const untitled = parseLab(FRONT.replace("title: Demo\n", "") + source, "lab.md");
    expect(untitled.ok && untitled.lab.title).toBe("Real title");
    expect(l.steps.map((s) => [s.title, s.line])).toEqual([["Step one", 10]]);
    expect(l.steps[0]?.intro).toBe("# Not a title\n\ntext");
  });

  test("## Cleanup is matched case-insensitively and only exactly", () => {
    expect(lab("## CLEANUP\n\n```sh\ntrue\n```\n").cleanupLine).toBe(6);
    expect(lab("## Cleanup steps\n\n```sh\ntrue\n```\n").steps.map((s) => s.slug)).toEqual(["cleanup-steps"]);
  });

  test("prose in ## Cleanup is allowed and not kept", () => {
    const l = lab("## S\n\nx\n\n## Cleanup\n\nWhy we clean.\n\n```sh\ntrue\n```\n");
    expect(l.cleanup.map((b) => [b.role, b.line])).toEqual([["cleanup", 14]]);
  });

  test("HTML comments are dropped, <details> folds are presentation, other HTML is prose", () => {
    const l = lab("<!-- hidden -->\n\n<details><summary>more</summary>\n\nx\n\n</details>\n\n<p align=center>hi</p>\n\n## S\n\ny\n");
    expect(l.intro).not.toContain("hidden");
    expect(l.intro).not.toContain("<details>");
    expect(l.intro).toContain("x");
    expect(l.intro).toContain("<p align=center>hi</p>");
  });

  test("a hint may show commands: fences inside quotes are never run and not flagged", () => {
    const step = lab("## S\n\n> [!TIP]\n> Try:\n>\n> ```sh\n> ip link\n> ```\n").steps[0];
    expect(step?.blocks).toEqual([]);
    expect(step?.hints[0]?.markdown).toBe("Try:\n\n```sh\nip link\n```");
  });

  test("a role inside a quote is an error at the fence's line", () => {
    expect(codes("## S\n\n> note\n>\n> ```sh verify\n> true\n> ```\n")).toEqual([["fence/nested", 10]]);
  });

  test("a runnable block before the first step is an error, display fences are fine", () => {
    expect(codes("Intro.\n\n```yaml\na: 1\n```\n\n```sh\ntrue\n```\n\n```text expect\n```\n\n## S\n\nx\n")).toEqual([
      ["block/outside-step", 12],
      ["block/outside-step", 16],
    ]);
  });

  test("a body with no steps parses (lint decides whether that is acceptable)", () => {
    expect(lab("# Only a title\n\nAnd words.\n").steps).toEqual([]);
  });
});

describe("alerts", () => {
  test.each<[string, string | undefined, string]>([
    ["> [!TIP]\n> Use `ip`.", "TIP", "Use `ip`."],
    ["> [!tip]\n> lower case", "TIP", "lower case"],
    ["> [!TIP] on the same line\n> and more", "TIP", "on the same line\nand more"],
    ["> [!TIP]\n>\n> para 1\n>\n> para 2\n", "TIP", "para 1\n\npara 2"],
    ["> [!TIP]\n> lazy\ncontinuation", "TIP", "lazy\ncontinuation"],
    [">[!NOTE]\n>no space", "NOTE", "no space"],
    ["> [!WARNING]\n> careful", "WARNING", "careful"],
    ["> [!IMPORTANT]\n> x", "IMPORTANT", "x"],
    ["> [!CAUTION]\n> x", "CAUTION", "x"],
    ["> [!HINT]\n> unknown kind", undefined, ""],
    ["> plain quote", undefined, ""],
  ])("%j", (raw, kind, markdown) => {
    const alert = readAlert(raw);
    expect(alert?.kind).toBe(kind);
    if (kind) expect(alert?.markdown).toBe(markdown);
  });
});

describe("slugs", () => {
  test.each([
    ["Create the `veth` pair!", "create-the-veth-pair"],
    ["  Über-cool Namespaces  ", "uber-cool-namespaces"],
    ["Step 2: chroot & pivot_root", "step-2-chroot-pivot-root"],
    ["[Links](http://x) stay text", "links-stay-text"],
    ["<em>html</em> tags", "html-tags"],
    ["!!!", "step"],
    ["日本語", "step"],
  ])("%j → %j", (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });

  test("duplicates get -2, -3, and never collide with a real title", () => {
    const reg = new SlugRegistry();
    expect(["Setup", "Setup", "Setup-2", "Setup"].map((t) => reg.claim(t))).toEqual(["setup", "setup-2", "setup-2-2", "setup-3"]);
  });
});

describe("helpers", () => {
  test.each<[string, string[], string | undefined]>([
    ["requries", ["requires", "uses"], "requires"],
    ["verfy", ["verify", "expect"], "verify"],
    ["busybox", ["busybox-rootfs", "alpine-rootfs"], "busybox-rootfs"],
    ["zzzzzz", ["requires", "uses"], undefined],
    ["x", ["id", "uses"], undefined],
  ])("closest(%j) = %j", (word, candidates, result) => {
    expect(closest(word, candidates)).toBe(result);
  });

  test("normaliseSource keeps one line per line break", () => {
    expect(normaliseSource("\uFEFFa\r\nb\rc\n")).toBe("a\nb\nc\n");
  });

  test("LineIndex maps offsets to lines and columns", () => {
    const idx = new LineIndex("ab\ncd\n\nef");
    expect([0, 1, 2, 3, 6, 7, 8].map((o) => [idx.line(o), idx.column(o)])).toEqual([[1, 1], [1, 2], [1, 3], [2, 1], [3, 1], [4, 1], [4, 2]]);
    expect(idx.lineCount).toBe(4);
  });
});

describe("reading on GitHub: labels, folds, wrong attempts", () => {
  const src = [
    "## S", "", "Do it:", "",
    "**In the `box` shell:**", "", "```sh", "true", "```", "",
    "**Expected output** (a line ending in `(re)` is a pattern):", "", "```text expect", "x.* (re)", "```", "",
    "**Check:**", "", "```sh verify", "# it worked", "true", "```", "",
    "<details><summary>Wrong attempt (for rootlab verify --strict)</summary>", "",
    "```sh wrong", "# without the flag", "false || true", "```", "",
    "```sh undo", "true", "```", "",
    "</details>", "",
    "<details>", "<summary>Hint 1</summary>", "", "> [!TIP]", "> Try it.", "", "</details>", "",
    "**Bold:** prose that no fence follows.", "",
    "Done.", "",
  ].join("\n");

  test("a bold label line ending in a colon right before a fence is the block's label, not prose", () => {
    const step = lab(src).steps[0]!;
    expect(step.blocks.map((b) => [b.role, b.label])).toEqual([["command", "**In the `box` shell:**"], ["verify", "**Check:**"]]);
    expect(step.blocks[0]?.expect?.label).toBe("**Expected output** (a line ending in `(re)` is a pattern):");
    expect(step.intro).toBe("Do it:");
    expect(step.explanation).toBe("**Bold:** prose that no fence follows.\n\nDone.");
  });

  test("wrong attempts and their undo are not blocks or parts: only Step.wrongAttempts holds them", () => {
    const step = lab(src).steps[0]!;
    expect(step.wrongAttempts.map((w) => [w.role, w.name, w.undo?.role, w.fold?.summary])).toEqual([["wrong", "without the flag", "undo", "Wrong attempt (for rootlab verify --strict)"]]);
    expect(step.parts.some((p) => p.kind === "block" && (p.block.role === "wrong" || p.block.role === "undo"))).toBe(false);
  });

  test("hints and blocks inside <details> know their fold; <details open> is open", () => {
    const step = lab(src).steps[0]!;
    expect(step.hints[0]?.fold).toMatchObject({ summary: "Hint 1", open: false });
    expect(step.blocks[1]?.fold).toBeUndefined();
    expect(lab("## S\n\n<details open><summary>H</summary>\n\n> [!TIP]\n> x\n\n</details>\n").steps[0]?.hints[0]?.fold?.open).toBe(true);
  });

  test("an undo without a wrong attempt right before it is an error; expect after a wrong attempt too", () => {
    expect(codes("## S\n\n```sh\ntrue\n```\n\n```sh undo\ntrue\n```\n")).toEqual([["wrong/undo-without-attempt", 12]]);
    expect(codes("## S\n\n```sh wrong\n# w\ntrue\n```\n\n```sh undo\ntrue\n```\n\n```sh undo\ntrue\n```\n")).toEqual([["step/empty", 6], ["wrong/undo-without-attempt", 17]]);
    expect(codes("## S\n\n```sh\ntrue\n```\n\n```sh wrong\n# w\ntrue\n```\n\n```text expect\nx\n```\n")).toEqual([["expect/no-command", 17]]);
  });
});

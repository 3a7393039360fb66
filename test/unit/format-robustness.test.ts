// Malformed input of every kind: parseLab never throws, always says what is wrong, and points at a real line.
import { describe, expect, test } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseLab } from "../../src/format/parse.js";
import type { ParseResult } from "../../src/format/types.js";
import { random } from "../helpers/random.js";
import { nestingOf, MAX_NESTING } from "../../src/format/nesting.js";
import { lintLab } from "../../src/lint/lint.js";

const GOOD = readFileSync(fileURLToPath(new URL("../fixtures/labs/good/namespaces-tour.md", import.meta.url)), "utf8");

/** Parse and check the invariants every result must satisfy. */
function parseChecked(source: string): ParseResult {
  let result: ParseResult | undefined;
  expect(() => (result = parseLab(source, "in.md"))).not.toThrow();
  const r = result as ParseResult;
  const lines = source.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/).length;
  const diagnostics = r.ok ? r.warnings : r.diagnostics;
  if (!r.ok) expect(diagnostics.some((d) => d.severity === "error")).toBe(true);
  for (const d of diagnostics) {
    expect(d.code).not.toBe("internal/parser");
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.line).toBeLessThanOrEqual(lines);
    expect(d.column).toBeGreaterThanOrEqual(1);
    expect(d.message).toBeTruthy();
  }
  return r;
}


describe("malformed corpus", () => {
  test("what is wrong with an id names the character, visible or not", () => {
    const message = (id: string) => {
      const r = parseChecked(`---\nformat: 1\nid: ${id}\ntitle: y\n---\n# T\n`);
      return (r.ok ? r.warnings : r.diagnostics).find((d) => d.code === "front-matter/bad-id")?.message ?? "";
    };
    expect(message("veth\u200bpair")).toMatch(/character 5 is U\+200B, which is invisible/);
    expect(message("v\u0435th")).toMatch(/character 2 is "\u0435", U\+0435/);
    expect(message("a".repeat(65))).toMatch(/65 characters long/);
    expect(message("a".repeat(64))).toBe("");
  });

  test.each<[string, string, string, number]>([
    ["empty file", "", "front-matter/missing", 1],
    ["only a newline", "\n", "front-matter/missing", 1],
    ["only a BOM", "\uFEFF", "front-matter/missing", 1],
    ["only ---", "---", "front-matter/unclosed", 1],
    ["only --- and a newline", "---\n", "front-matter/unclosed", 1],
    ["empty front matter", "---\n---\n", "front-matter/not-a-map", 1],
    ["NUL bytes", "---\nformat: 1\n\0\0\0garbage", "file/binary", 3],
    ["binary garbage", "\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0", "file/binary", 1],
    ["truncated in the front matter", "---\nformat: 1\nid: x\ntit", "front-matter/unclosed", 1],
    ["truncated mid-fence", "---\nformat: 1\nid: x\ntitle: y\n---\n## S\n\n```sh\necho", "fence/unclosed", 8],
    ["truncated after the fence opening", "---\nformat: 1\nid: x\ntitle: y\n---\n## S\n\n```sh verify", "fence/unclosed", 8],
    ["YAML syntax error", "---\nformat: 1\nid: [x\n---\n", "front-matter/yaml", 3],
    ["tabs in YAML", "---\nformat: 1\nrequires:\n\troot: true\n---\n", "front-matter/yaml", 4],
    ["CRLF with an error", "---\r\nformat: 1\r\nid: x\r\ntitle: y\r\nbad: 1\r\n---\r\n", "front-matter/unknown-key", 5],
    ["lone CRs", "---\rformat: 1\rid: x\rtitle: y\rbad: 1\r---\r", "front-matter/unknown-key", 5],
    ["BOM and CRLF", "\uFEFF---\r\nformat: 1\r\nid: x\r\ntitle: y\r\n---\r\n```sh\r\ntrue\r\n```\r\n", "block/outside-step", 6],
    ["YAML anchors, aliases and tags", "---\nformat: !!str 1\nid: &a x\ntitle: *a\nuses: &u [nope]\n---\n", "front-matter/unknown-uses", 5],
    ["a list nested 2000 levels deep (marked would take minutes)", "---\nformat: 1\nid: x\ntitle: y\n---\n## S\n\n" + Array.from({ length: 2000 }, (_, i) => "  ".repeat(i) + "- a").join("\n"), "markdown/too-deep", 48],
    ["2000 list markers on one line (marked's stack would overflow)", "---\nformat: 1\nid: x\ntitle: y\n---\n## S\n\n" + "1. ".repeat(2000) + "x", "markdown/too-deep", 8],
    ["quotes nested 2000 levels deep", "---\nformat: 1\nid: x\ntitle: y\n---\n## S\n\n" + "> ".repeat(2000) + "deep", "markdown/too-deep", 8],
    ["a required command that is shell code", "---\nformat: 1\nid: x\ntitle: y\nrequires:\n  commands: [ip, \"$(touch /tmp/x)\", \"a;b\"]\n---\n", "front-matter/bad-command", 6],
    ["invalid UTF-8 (decoded as U+FFFD)", "---\nformat: 1\nid: x\ntitle: y\n---\n# T\n\nbad \uFFFD\uFFFD here\n", "file/encoding", 8],
    ["a front matter of 2000 keys", "---\nformat: 1\nid: x\n" + Array.from({ length: 2000 }, (_, i) => `k${i}: v`).join("\n") + "\n---\n# T\n", "front-matter/too-long", 1],
    ["a YAML flow list nested 50000 levels deep (more than a front matter ever needs)", "---\nformat: 1\nid: x\nk: " + "[".repeat(50000) + "]".repeat(50000) + "\n---\n# T\n", "front-matter/too-long", 1],
    ["a YAML flow list nested 20000 levels deep", "---\nformat: 1\nid: x\nk: " + "[".repeat(20000) + "]".repeat(20000) + "\n---\n# T\n", "front-matter/yaml", 4],
    ["a duplicate key", "---\nformat: 1\nid: x\nid: y\n---\n# T\n", "front-matter/duplicate-key", 4],
    ["an alias to no anchor (the library leaves the value empty, silently)", "---\nformat: 1\nid: x\ntitle: *nope\n---\n# T\n", "front-matter/yaml", 4],
    ["an HTML comment never closed (it would hide the rest of the file)", "---\nformat: 1\nid: x\ntitle: y\n---\n## S\n\n<!-- note\n\n```sh\ntrue\n```\n", "markdown/unclosed-comment", 8],
    ["UTF-16 read as UTF-8", Buffer.from("---\nformat: 1\nid: x\n---\n", "utf16le").toString("utf8"), "file/binary", 1],
    ["a recursive alias", "---\nformat: 1\nid: x\nrequires: &r\n  root: true\n  x: *r\n---\n# T\n", "front-matter/unknown-key", 6],
    ["every key of the wrong type", "---\nformat: [1]\nid: {a: 1}\ntitle: [t]\nsummary: {}\nlevel: 7\nduration: []\nrequires: yes\nuses: 3\n---\n# T\n", "front-matter/bad-format", 2],
    ["a YAML bomb is refused", "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n---\n", "front-matter/unknown-key", 2],
    // Round 5 of malformed files.
    ["an id with a zero-width space", "---\nformat: 1\nid: veth\u200bpair\ntitle: y\n---\n# T\n", "front-matter/bad-id", 3],
    ["an id with a Cyrillic look-alike letter", "---\nformat: 1\nid: v\u0435th\ntitle: y\n---\n# T\n", "front-matter/bad-id", 3],
    ["an id of 5000 characters", "---\nformat: 1\nid: " + "a".repeat(5000) + "\ntitle: y\n---\n# T\n", "front-matter/bad-id", 3],
    ["a byte order mark in the middle (two files joined)", "---\nformat: 1\nid: x\ntitle: y\n---\n## S\n\n\uFEFF```sh\ntrue\n```\n", "file/control-character", 8],
    ["a LINE SEPARATOR inside a heading", "---\nformat: 1\nid: x\ntitle: y\n---\n## S\u2028ip link\n\nText.\n", "file/control-character", 6],
    ["a zero-width joiner inside a command", "---\nformat: 1\nid: x\ntitle: y\n---\n## S\n\n```sh\nip link set rl-v0\u200d up\n```\n", "block/invisible-character", 9],
    ["format: 1e400 (Infinity to the YAML library)", "---\nformat: 1e400\nid: x\ntitle: y\n---\n# T\n", "front-matter/bad-format", 2],
    ["BOM, CRLF, LF and lone CR mixed", "\uFEFF---\r\nformat: 1\nid: x\rtitle: y\r\nbad: 1\n---\r\n", "front-matter/unknown-key", 5],
    ["a billion-laughs bomb nine levels deep", "---\nformat: 1\nid: x\n" + "abcdefghi".split("").map((k, i) => `${k}: &${k} [${i === 0 ? '"lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"' : Array(9).fill(`*${"abcdefghi"[i - 1]}`).join(", ")}]`).join("\n") + "\n---\n# T\n", "front-matter/unknown-key", 4],
    ["a __proto__ key", "---\nformat: 1\nid: x\ntitle: y\nrequires:\n  __proto__: {root: true}\n---\n# T\n", "front-matter/unknown-key", 6],
    ["a YAML merge key", "---\nformat: 1\nid: x\nbase: &b {title: y}\n<<: *b\n---\n# T\n", "front-matter/unknown-key", 5],
    ["a duplicate key inside requires", "---\nformat: 1\nid: x\ntitle: y\nrequires:\n  root: true\n  root: false\n---\n# T\n", "front-matter/duplicate-key", 7],
    ["a tab among space-indented keys", "---\nformat: 1\nid: x\nrequires:\n  root: true\n\tcommands: [ip]\n---\n# T\n", "front-matter/yaml", 6],
    ["a title of binary data", "---\nformat: 1\nid: x\ntitle: !!binary aGVsbG8=\n---\n# T\n", "front-matter/wrong-type", 4],
    ["quotes nested 100 000 levels on one line", "---\nformat: 1\nid: x\ntitle: y\n---\n## S\n\n" + "> ".repeat(100_000) + "deep\n", "markdown/too-deep", 8],
    ["list markers 100 000 deep on one line", "---\nformat: 1\nid: x\ntitle: y\n---\n## S\n\n" + "- ".repeat(100_000) + "deep\n", "markdown/too-deep", 8],
    ["a fence unterminated at the end of a file with no last newline", "---\nformat: 1\nid: x\ntitle: y\n---\n## S\n\n```sh\ntrue", "fence/unclosed", 8],
    ["a four-backtick fence closed by three", "---\nformat: 1\nid: x\ntitle: y\n---\n## S\n\n````sh\ntrue\n```\n", "fence/unclosed", 8],
    ["an expect block before any command", "---\nformat: 1\nid: x\ntitle: y\n---\n## S\n\n```expect\nhello\n```\n\n```sh\necho hello\n```\n", "expect/no-command", 8],
  ])("%s", (_name, source, code, line) => {
    const r = parseChecked(source);
    const all = r.ok ? r.warnings : r.diagnostics;
    expect(all.map((d) => [d.code, d.line])).toContainEqual([code, line]);
  });

  test.each<[string, number]>([
    ["plain text", 0],
    ["- item", 1],
    ["  - nested item", 2],
    ["> > - quoted list", 3],
    ["1. 2) - x", 3],
    ["- - -", 0],
    ["* * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * *", 0],
    ["-not a marker", 0],
    ["\t\t- tab-indented", 5],
  ])("nesting of %j is %i", (line, depth) => expect(nestingOf(line)).toBe(depth));

  test("steps of one title get the next free slug, also after a title that takes a numbered one", async () => {
    // The registry keeps the next number per title (80 000 steps of one title made it quadratic: minutes).
    const titles = ["Same", "Same 2", ...Array.from({ length: 3000 }, () => "Same"), "Sa\u200bme"];
    const source = "---\nformat: 1\nid: x\ntitle: y\n---\n# y\n\n" + titles.map((t) => `## ${t}\n\nText.\n`).join("\n");
    const r = parseChecked(source);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const slugs = r.lab.steps.map((s) => s.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    expect(slugs.slice(0, 4)).toEqual(["same", "same-2", "same-3", "same-4"]);
    // A zero-width space does not make a title another one to the student: the last step is a duplicate too.
    const duplicates = (await lintLab(r.lab, source)).filter((d) => d.code === "step/duplicate-title");
    expect(duplicates).toHaveLength(3001);
    expect(duplicates.at(-1)?.message).toMatch(/same title as step 1 /);
  });

  test("a step title of 10 000 characters is read, and lint says the menu cuts it off", async () => {
    const source = "---\nformat: 1\nid: x\ntitle: y\n---\n# y\n\n## " + "word ".repeat(2000) + "\n\nText.\n";
    const r = parseChecked(source);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const long = (await lintLab(r.lab, source)).filter((d) => d.code === "step/long-title");
    expect(long.map((d) => d.line)).toEqual([8]);
    expect(long[0]?.message).toMatch(/step 1's title is 9999 characters long/);
  });

  test("the deepest nesting rootlab reads is still read", () => {
    const head = "---\nformat: 1\nid: x\ntitle: y\n---\n## S\n\nText.\n\n";
    const r = parseChecked(head + Array.from({ length: MAX_NESTING }, (_, i) => "  ".repeat(i) + "- a").join("\n") + "\n");
    expect((r.ok ? r.warnings : r.diagnostics).map((d) => d.code)).not.toContain("markdown/too-deep");
  });

  test("huge and deeply nested input", () => {
    const head = "---\nformat: 1\nid: x\ntitle: y\n---\n## S\n\n";
    parseChecked(head + "> ".repeat(2000) + "deep\n");
    parseChecked(head + "[".repeat(20_000) + "\n");
    parseChecked(head + "- ".repeat(500) + "list\n");
    parseChecked(head + "x".repeat(1_000_000) + "\n");
    parseChecked(head + "```sh\n".repeat(5000));
    parseChecked("---\n" + "k: v\n".repeat(5000));
  });

  test("every truncation of a good lab", () => {
    // Cut at every line end and in the middle of lines: each prefix is a different kind of broken file.
    const cuts = new Set<number>();
    for (let i = 0; i < GOOD.length; i += 7) cuts.add(i);
    for (let i = GOOD.indexOf("\n"); i !== -1; i = GOOD.indexOf("\n", i + 1)) cuts.add(i);
    for (const cut of cuts) parseChecked(GOOD.slice(0, cut));
  });

  test("random mutations of a good lab", () => {
    const next = random(20240601);
    const specials = ["`", "```", "-", "---", "#", "## ", ">", "> [!TIP]", "\n", "=", ":", " ", "\t", "\r", "\0", "[", "~~~", "\uFEFF", "é"];
    for (let round = 0; round < 300; round++) {
      let text = GOOD;
      for (let edit = 0; edit < 5; edit++) {
        const at = Math.floor(next() * text.length);
        const insert = next() < 0.5 ? (specials[Math.floor(next() * specials.length)] ?? "") : "";
        const remove = Math.floor(next() * 4);
        text = text.slice(0, at) + insert + text.slice(at + remove);
      }
      parseChecked(text);
    }
  });

  test("random bytes", () => {
    const next = random(7);
    for (let round = 0; round < 200; round++) {
      const bytes = Buffer.from(Array.from({ length: 1 + Math.floor(next() * 400) }, () => Math.floor(next() * 256)));
      parseChecked(bytes.toString("utf8"));
      parseChecked(bytes.toString("latin1").replace(/\0/g, ""));
    }
  });
});
// Parse speed is measured by `npm run bench` (500 labs < 1 s), never in a timed test: a loaded CI machine would fail it.

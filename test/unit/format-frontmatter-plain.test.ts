// The front matter reader for plain shapes must build what the YAML library builds (kind, value and start offset of
// every node) for every front matter it accepts, and leave every other shape to the library. Checked on the real
// labs' front matter, on hand-written shapes, and on seeded mutations of them.
import { describe, expect, test } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { isMap, isScalar, isSeq, parseDocument } from "yaml";
import { readPlainFrontMatter } from "../../src/format/frontmatter-plain.js";
import { random } from "../helpers/random.js";

/** A node as kind, value and where it starts: all the schema check reads of it. */
function shape(node: unknown): unknown {
  if (isMap(node)) return { map: node.range?.[0], items: node.items.map((p) => [shape(p.key), shape(p.value)]) };
  if (isSeq(node)) return { seq: node.range?.[0], items: node.items.map(shape) };
  if (isScalar(node)) return { scalar: node.value, at: node.range?.[0] };
  return { other: String(node) };
}

/** The library's reading, when it reads the text without errors. */
function library(yaml: string): unknown {
  const doc = parseDocument(yaml, { prettyErrors: false, uniqueKeys: true });
  return doc.errors.length > 0 ? "errors" : shape(doc.contents);
}

const LABS = fileURLToPath(new URL("../../labs/", import.meta.url));
const labFronts = readdirSync(LABS)
  .filter((f) => f.endsWith(".md"))
  .map((f) => {
    const text = readFileSync(LABS + f, "utf8");
    return text.slice(0, text.indexOf("\n---\n") + 1);
  });

describe("plain front matter reader", () => {
  test.each(labFronts.map((t, i) => [i, t]))("real lab %i: read without the library, as the library reads it", (_, yaml) => {
    const plain = readPlainFrontMatter(yaml as string);
    expect(plain).toBeDefined();
    expect(shape(plain)).toEqual(library(yaml as string));
  });

  test.each<[string, boolean]>([
    ["format: 1\nid: x\ntitle: Don't panic [draft]\n", true],
    ['title: "a: b"\nlevel: beginner\n', true],
    ["requires:\n  root: true\n  commands: [ip,ping , /usr/sbin/nft]\n\n  kernel: []\nuses: [busybox-rootfs]\n", true],
    ["format: 0\nid: a-b\nduration: 1h30m\n", true],
    ["title: say \"hi\" — twice\n", true],
    ["id: x # a comment\n", false],
    ["id: 'x'\n", false],
    ["id: &a x\ntitle: *a\n", false],
    ["id: x\nid: y\n", false],
    ["requires:\n  root: true\n  root: false\n", false],
    ["requires:\n", false],
    ["requires:\n    root: true\n", false],
    ["title: a\n  continued\n", false],
    ["format: 01\n", false],
    ["format: 1.0\n", false],
    ["format: 1e3\n", false],
    ["duration: 0x1F\n", false],
    ["root: True\n", false],
    ["root: null\n", false],
    ["id: ~\n", false],
    ["uses: [true]\n", false],
    ["uses: [a, 'b']\n", false],
    ["uses: [a,]\n", false],
    ["uses: [a\u000b]\n", false],
    ["uses: [a\f, b]\n", false],
    ["uses: [\u00a0a]\n", false],
    ["uses: [a\ufeff]\n", false],
    ["title: a\u000bb\n", true],
    ["uses:\n  - a\n", false],
    ["title: a: b\n", false],
    ["title: ends:\n", false],
    ["title: trailing \n", false],
    ["\ttitle: x\n", false],
    ["id:x\n", false],
    ['title: "a \\" b"\n', false],
    ["id: -x\n", false],
    ["", false],
  ])("%j read by the plain reader: %s", (lines, plain) => {
    const yaml = `---\n${lines}`;
    const read = readPlainFrontMatter(yaml);
    expect(read !== undefined).toBe(plain);
    if (read) expect(shape(read)).toEqual(library(yaml));
  });

  test("seeded mutations: whatever the plain reader accepts, the library reads the same", () => {
    const next = random(424242);
    const pieces = ["#", "'", '"', ":", ": ", " ", "  ", "\t", "-", "- ", "[", "]", ",", "{", "}", "&a", "*a", "!", "|", ">", "~", "null", "True", "1", "0x", ".5", "e3", "\n", "\n  ", "—", "\u000b", "\f", "\u00a0", "\ufeff", "\u2028", "\u0085"];
    let accepted = 0;
    for (let n = 0; n < 3000; n++) {
      const lines = (labFronts[n % labFronts.length] as string).split("\n");
      for (let e = 1 + Math.floor(next() * 3); e > 0; e--) {
        const i = 1 + Math.floor(next() * (lines.length - 2));
        const line = lines[i] ?? "";
        const p = Math.floor(next() * (line.length + 1));
        lines[i] = next() < 0.2 ? "" : line.slice(0, p) + (pieces[Math.floor(next() * pieces.length)] ?? "") + line.slice(p + (next() < 0.3 ? 1 : 0));
      }
      const yaml = lines.join("\n");
      const read = readPlainFrontMatter(yaml);
      if (!read) continue;
      accepted++;
      expect(shape(read), yaml).toEqual(library(yaml));
    }
    expect(accepted).toBeGreaterThan(500);
  });
});

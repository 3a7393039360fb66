// The block lexer with its cheap setext test must give exactly marked's own tokens: on every Markdown file of the
// project, on hand-written paragraphs around underlines, and on seeded mutations of the labs.
import { describe, expect, test } from "vitest";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Lexer } from "marked";
import { blockLexer } from "../../src/format/block-lexer.js";
import { findTooDeep } from "../../src/format/nesting.js";
import { random } from "../helpers/random.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const markdown = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? markdown(path) : name.endsWith(".md") ? [path] : [];
  });
const FILES = [...markdown(join(ROOT, "labs")), ...markdown(join(ROOT, "docs")), ...markdown(join(ROOT, "test/fixtures"))];

/** Both lexers give the same tokens, or both fail (a file nested deeper than marked's stack: the parser refuses those first). */
function same(text: string): void {
  const read = (lexer: Lexer) => {
    try {
      return JSON.stringify(lexer.blockTokens(text, []));
    } catch (err) {
      return `throws ${(err as Error).name}`;
    }
  };
  expect(read(blockLexer())).toBe(read(new Lexer({ gfm: true })));
}

describe("block lexer", () => {
  test("every Markdown file of the project: marked's tokens", () => {
    // Files nested too deep for marked (minutes, or its stack) are refused by the parser before it lexes them.
    for (const text of FILES.map((f) => readFileSync(f, "utf8")).filter((t) => findTooDeep(t) === undefined)) same(text);
    expect(FILES.length).toBeGreaterThan(100);
  });

  test.each([
    "Title\n===\n\ntext",
    "Title\n---",
    "a\nb\n  ---  \nc",
    "a\n\n---\n",
    "a\n \n===",
    "a\n\u00a0\n===",
    "- item\n---\n",
    "> quote\n===\n",
    "para\n```sh\nx\n```\n===\n",
    "text\n    ===\n",
    "text\n\t===\n",
    "text\n=== x\n",
    "text\n-- -\n",
    "x".repeat(5000) + "\n===\n",
    "line\n".repeat(2000) + "---\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n",
    "",
  ])("%j", (text) => same(text));

  test("seeded mutations of the labs: lines cut, joined, underlined", () => {
    const next = random(5150);
    const labs = markdown(join(ROOT, "labs")).map((f) => readFileSync(f, "utf8").split("\n"));
    const pieces = ["===", "---", "  --", "", " ", "\t", "> ", "- ", "1. ", "```", "# ", "<div>", "|a|", "\u00a0"];
    for (let n = 0; n < 28; n++) {
      const lines = [...(labs[n % labs.length] as string[])];
      for (let e = 0; e < 40; e++) {
        const i = Math.floor(next() * lines.length);
        const piece = pieces[Math.floor(next() * pieces.length)] as string;
        if (next() < 0.5) lines.splice(i, 0, piece);
        else lines[i] = piece + (lines[i] ?? "");
      }
      same(lines.join("\n"));
    }
  });
});

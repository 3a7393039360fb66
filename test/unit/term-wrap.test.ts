import { describe, expect, it } from "vitest";
import { Chalk } from "chalk";
import { wordBreaks, wrapText } from "../../src/term/wrap.js";
import { displayWidth, stripAnsi } from "../../src/term/width.js";

const chalk = new Chalk({ level: 1 });

describe("wrapText", () => {
  it.each([
    ["short line stays", "hello world", 20, {}, "hello world"],
    ["wraps at spaces", "the quick brown fox jumps", 10, {}, "the quick\nbrown fox\njumps"],
    ["exact fit", "aaaa bbbb", 9, {}, "aaaa bbbb"],
    ["a long word goes on a line of its own, broken after a `/`", "see https://example.org/a/very/long/path ok", 12, {}, "see\nhttps://\nexample.org/\na/very/long/\npath ok"],
    ["keeps line breaks and empty lines", "a b\n\nc d", 3, {}, "a b\n\nc d"],
    ["collapses nothing inside a line", "a  b", 10, {}, "a  b"],
    ["drops spaces at a break", "aaa   bbb", 4, {}, "aaa\nbbb"],
    ["keeps leading indentation", "  code here", 40, {}, "  code here"],
    ["hanging indent", "one two three four", 10, { indent: "  " }, "  one two\n  three\n  four"],
    ["first indent differs", "one two three four", 10, { firstIndent: "- ", indent: "  " }, "- one two\n  three\n  four"],
    ["empty line gets a trimmed indent", "a\n\nb", 10, { indent: "> " }, "> a\n>\n> b"],
    ["wide characters count double", "日本語 日本語", 8, {}, "日本語\n日本語"],
  ] as const)("%s", (_name, text, width, opts, expected) => {
    expect(wrapText(text, width, opts)).toBe(expected);
  });

  it("measures without ANSI escapes", () => {
    const text = `${chalk.red("aaaa")} ${chalk.green("bbbb")}`;
    expect(wrapText(text, 9)).toBe(text);
    expect(stripAnsi(wrapText(text, 8))).toBe("aaaa\nbbbb");
  });

  it("closes a colour at a break and reopens it after the indent", () => {
    const out = wrapText(chalk.red("one two three"), 9, { indent: "  " });
    expect(out).toBe("  \x1b[31mone two\x1b[0m\n  \x1b[31mthree\x1b[39m");
  });

  it("does not colour lines after a colour ends", () => {
    const out = wrapText(`${chalk.bold("one")} two three`, 9);
    expect(out).toBe("\x1b[1mone\x1b[22m two\nthree");
  });

  it("reopens nested styles", () => {
    const out = wrapText(chalk.bold(`x ${chalk.red("aa bb")}`), 4);
    const lines = out.split("\n");
    expect(lines.map(stripAnsi)).toEqual(["x aa", "bb"]);
    expect(lines[1]).toBe("\x1b[1m\x1b[31mbb\x1b[39m\x1b[22m");
  });

  it.each<[string, string, number, Record<string, string>, string]>([
    ["a path wider than the line breaks after its last `/` that fits", "fixture: /work/shared/fixtures/alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz", 40, {}, "fixture:\n/work/shared/fixtures/alpine/\nalpine-minirootfs-3.20.3-x86_64.tar.gz"],
    ["a flag list breaks after a `,`", "state <BROADCAST,MULTICAST,LOWER_UP> mtu 1500", 20, {}, "state\n<BROADCAST,\nMULTICAST,LOWER_UP>\nmtu 1500"],
    ["a word with no break point is cut where the line ends, nothing lost", "x abcdefghijklmnopqrstuvwxyz", 10, {}, "x\nabcdefghij\nklmnopqrst\nuvwxyz"],
    ["a `/` too early in the line is not used: the piece would be a stub", "/abcdefghijklmnop", 8, {}, "/abcdefg\nhijklmnop".replace("hijklmnop", "hijklmno\np")],
    ["the hanging indent counts", "see /aaaa/bbbb/cccc/dddd", 10, { indent: "    " }, "    see\n    /aaaa/\n    bbbb/\n    cccc/\n    dddd"],
    ["a word that fits is never broken", "/a/b/c /d/e", 6, {}, "/a/b/c\n/d/e"],
    ["wide characters are never split", "日本語日本語", 5, {}, "日本\n語日\n本語"],
  ])("a word wider than the line: %s", (_name, text, width, opts, expected) => {
    expect(wrapText(text, width, opts)).toBe(expected);
    for (const line of expected.split("\n")) expect(displayWidth(line)).toBeLessThanOrEqual(width);
    expect(expected.replace(/\s+/g, "")).toBe(text.replace(/\s+/g, ""));
  });

  it("a coloured long word keeps its colour on every line it is broken over", () => {
    const out = wrapText(chalk.red("/aaaa/bbbb/cccc"), 6);
    expect(stripAnsi(out)).toBe("/aaaa/\nbbbb/\ncccc");
    for (const line of out.split("\n")) expect(line).toMatch(/^\x1b\[31m.*\x1b\[(0|39)m$/);
  });

  it("wordBreaks: the first piece has the room left on its line", () => {
    const chars = (s: string) => Array.from(s, (ch) => ({ ch, width: 1 }));
    expect(wordBreaks(chars("abcdefgh"), 3, 4)).toEqual([3, 7]);
    expect(wordBreaks(chars("ab/cdefgh"), 4, 4)).toEqual([3, 7]);
    expect(wordBreaks(chars("abc"), 0, 4)).toEqual([1]);
  });

  it("no line is wider than the width unless it is one long word", () => {
    const text = "Network namespaces give a process its own interfaces, routes and firewall rules; a veth pair is a cable between two of them.";
    for (const width of [10, 20, 33, 80]) {
      for (const line of wrapText(text, width, { indent: "   " }).split("\n")) {
        if (line.trim().includes(" ")) expect(displayWidth(line)).toBeLessThanOrEqual(width);
        else expect(line).toMatch(/^ {3}\S+$/);
      }
    }
  });
});

describe("displayWidth", () => {
  it.each([
    ["abc", 3],
    ["\x1b[31mabc\x1b[39m", 3],
    ["✓ ok", 4],
    ["日本", 4],
    ["e\u0301", 1],
    ["\x1b]8;;http://x\x07link\x1b]8;;\x07", 4],
  ])("%j", (text, width) => {
    expect(displayWidth(text)).toBe(width);
  });
});

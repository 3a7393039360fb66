// Expected output as a reader sees it: a `(re)` line in its example form when it is text and wildcards, in words
// otherwise; `...` as "(any lines)"; and a legend that names only the marks used.
import { describe, expect, it } from "vitest";
import { readableExpect, readableLine } from "../../src/check/readable.js";
import { fitPatternLines, labMarkdown } from "../../src/cli/commands/show.js";
import { renderMarkdown } from "../../src/term/markdown.js";
import { plainStyle } from "../../src/term/style.js";
import { displayWidth } from "../../src/term/width.js";
import { loadLab } from "../../src/format/load.js";
import { join } from "node:path";

describe("readableLine", () => {
  it.each([
    ["a literal line is itself", "hello (world)", "hello (world)"],
    ["... is any lines", "...", "(any lines)"],
    ["any text", ".*/root/bin/busybox: ELF 64-bit LSB executable, .*statically linked.* (re)", "…/root/bin/busybox: ELF 64-bit LSB executable, …statically linked…"],
    ["numbers and spaces", "NSpid:\\s+\\d+\\s+1 (re)", "NSpid: <number> 1"],
    ["escapes stand for themselves", "pid:\\[\\d+\\] (re)", "pid:[<number>]"],
    ["a dot is an example of any character", "10.231.90.1 +rlm-a (re)", "10.231.90.1 rlm-a"],
    ["hex digits", "app layer sha:   [0-9a-f]{64} (re)", "app layer sha:   <64 hex digits>"],
    ["optional rest of the line", "lo\\s+DOWN( .*)? (re)", "lo DOWN…"],
    ["anchors are dropped", "^PID [0-9]+$ (re)", "PID <number>"],
    ["alternatives are said in words", "Type=(directory|subvolume) (re)", "(a line matching the pattern Type=(directory|subvolume))"],
  ])("%s", (_name, line, shown) => {
    expect(readableLine(line)).toBe(shown);
  });
});

describe("readableExpect", () => {
  it("the legend names only the marks used", () => {
    expect(readableExpect(["plain"]).legend).toBe("");
    expect(readableExpect(["a .* (re)", "..."]).legend).toBe("`…` stands for any text, `(any lines)` for any number of lines");
    expect(readableExpect(["\\d+ (re)"]).legend).toBe("`<number>` for digits");
  });
});

describe("rootlab show: expected output for a human", () => {
  it("the chroot lab shows no raw (re) line, and says what … stands for", async () => {
    const lab = await loadLab(join(import.meta.dirname, "../../labs/01-chroot.md"));
    if (!lab.ok) throw new Error("labs/01-chroot.md does not parse");
    const md = labMarkdown(lab.lab);
    expect(md).not.toMatch(/ \(re\)$/m);
    expect(md).toContain("Expected output (`…` stands for any text):");
    expect(md).toContain("…/root/bin/busybox: ELF 64-bit LSB executable, …statically linked…");
  });
});

describe("rootlab show: rootlab's words fit the terminal", () => {
  it.each([
    [["(a line matching the pattern a+)"], 76, ["(a line matching the pattern a+)"]],
    [["(a line matching the pattern uid=0\\(root\\) gid=0\\(root\\)( groups=0\\(root\\))?)"], 76, ["(a line matching the pattern", "  uid=0\\(root\\) gid=0\\(root\\)( groups=0\\(root\\))?)"]],
    [["(a line matching the pattern uid=0\\(root\\) gid=0\\(root\\)( groups=0\\(root\\))?)"], undefined, ["(a line matching the pattern uid=0\\(root\\) gid=0\\(root\\)( groups=0\\(root\\))?)"]],
    // The lab's own expected output is never broken, however wide.
    [["x".repeat(100)], 76, ["x".repeat(100)]],
  ])("%j in %s columns → %j", (lines, room, out) => {
    expect(fitPatternLines(lines, room)).toEqual(out);
  });

  it("every line of `show chroot` at 80 columns fits in 80 (its pattern line was 81)", async () => {
    const lab = await loadLab(join(import.meta.dirname, "../../labs/01-chroot.md"));
    if (!lab.ok) throw new Error("labs/01-chroot.md does not parse");
    const text = renderMarkdown(labMarkdown(lab.lab, { width: 80 }), { width: 80, style: plainStyle() });
    const wide = text.split("\n").filter((l) => displayWidth(l) > 80);
    expect(wide).toEqual([]);
    expect(text).toContain("    (a line matching the pattern\n      uid=0\\(root\\)");
  });
});

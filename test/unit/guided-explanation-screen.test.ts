// The explanation laid out beside the output it talks about: rows a text takes, screenfuls ending at paragraphs,
// and what the step's commands printed, shown again (cut to fit).
import { describe, expect, it } from "vitest";
import type { Block, Step } from "../../src/format/types.js";
import { explanationPages, fittedPages, linesLeft, rowsOf, screenfuls } from "../../src/guided/explanation-screen.js";
import { outputRecap, printedLines, recapRows } from "../../src/guided/output-recap.js";
import { plainStyle } from "../../src/term/style.js";

const view = { style: plainStyle(true), width: 80 };

describe("rowsOf", () => {
  it.each<[string, string, number, number]>([
    ["one short line", "abc", 80, 1],
    ["an empty line still takes a row", "a\n\nb", 80, 3],
    ["a line wider than the terminal wraps", "x".repeat(81), 80, 2],
    ["exactly the width", "x".repeat(80), 80, 1],
    ["colours take no columns", "\x1b[31mred\x1b[39m", 3, 1],
  ])("%s", (_name, text, cols, rows) => {
    expect(rowsOf(text, cols)).toBe(rows);
  });
});

describe("screenfuls", () => {
  const para = (name: string, n: number) => Array.from({ length: n }, (_, i) => `${name}${i + 1}`);
  it.each<[string, string[], string[], number, string[][]]>([
    ["everything fits: one page", ["R"], [...para("a", 2), "", ...para("b", 2)], 10, [["R", "a1", "a2", "", "b1", "b2"]]],
    ["a page ends at a paragraph", ["R"], [...para("a", 3), "", ...para("b", 3)], 6, [["R", "a1", "a2", "a3", ""], ["b1", "b2", "b3"]]],
    ["a paragraph taller than a page is cut at the page", [], para("a", 5), 3, [["a1", "a2", "a3"], ["a4", "a5"]]],
    ["what comes first stays whole on the first page, with at least a line after it", ["R1", "R2", "R3"], [...para("a", 3)], 3, [["R1", "R2", "R3"], ["a1", "a2", "a3"]]],
  ])("%s", (_name, first, lines, budget, pages) => {
    expect(screenfuls(first, lines, budget, 80)).toEqual(pages);
  });
  it("what the text is about (AGAIN) heads every later page, and counts in its rows", () => {
    expect(screenfuls(["R1", "R2"], [...para("a", 3), "", ...para("b", 3), "", ...para("c", 2)], 7, 80, ["r", ""])).toEqual([
      ["R1", "R2", "a1", "a2", "a3", ""],
      ["r", "", "b1", "b2", "b3", ""],
      ["r", "", "c1", "c2"],
    ]);
  });
  it("a paragraph that leads into the next (ending with ':') stays with it", () => {
    expect(screenfuls([], ["a1", "a2", "", "Two more:", "", "• b1", "• b2", ""], 5, 80)).toEqual([["a1", "a2", ""], ["Two more:", "", "• b1", "• b2", ""]]);
  });
  it("a list taller than the room is cut before an item, not inside one", () => {
    expect(screenfuls([], ["• a1", "  a2", "• b1", "  b2", "  b3"], 4, 80)).toEqual([["• a1", "  a2"], ["• b1", "  b2", "  b3"]]);
  });
  it("a page is never only AGAIN: a paragraph too tall for the rest is cut", () => {
    expect(screenfuls([], para("a", 6), 4, 80, ["r"])).toEqual([["a1", "a2", "a3", "a4"], ["r", "a5", "a6"]]);
  });
});

describe("linesLeft: the count beside \"Read on\" is what the learner has not read yet", () => {
  const again = ["", "Again, what your commands printed:", "  uid=0(root)", ""];
  it.each<[string, string[][], number]>([
    ["one line after a blank one is one line", [["", "The last line."]], 1],
    ["the output shown again at the top of a page is not new", [[...again, "One more paragraph."]], 1],
    ["blank lines between paragraphs are not lines to read", [["a", "", "b", "", "c"]], 3],
    ["every later page counts", [[...again, "a"], ["", "What changed on the machine:", "  netns x"]], 3],
    ["a page that does not start with the copy counts all its lines", [["  uid=0(root)", "a"]], 2],
  ])("%s", (_name, pages, n) => {
    expect(linesLeft(pages, again)).toBe(n);
  });
});

describe("fittedPages: no \"Read on (1 more line)\" for what would fit (new-user trial)", () => {
  const block: Block = { role: "command", lang: "sh", code: "ls", line: 10, codeLine: 11, session: "host", exit: 0, timeoutMs: 1000, background: false };
  const step = { index: 1, blocks: [block], explanation: "" } as unknown as Step;
  const printed = { outputOf: () => Array.from({ length: 40 }, (_, i) => `file-${i + 1}`).join("\n") };
  const text = (a: number, b: number) => ["", "Step 2 done: x", "", ...Array.from({ length: a }, (_, i) => `a${i}`), "", ...Array.from({ length: b }, (_, i) => `b${i}`)];
  it.each<[string, number, number, number]>([
    ["one line left over: the output shown again gives up rows, one page", 1, 1, 1],
    ["two lines left over: one page", 3, 2, 1],
    ["a long first paragraph leaves the output no rows to give: still paged", 15, 1, 2],
  ])("%s", (_name, a, b, pages) => {
    const plain = explanationPages(step, printed, view, text(a, b), [], 30, 80, 0);
    expect(plain.pages).toHaveLength(2);
    expect(linesLeft(plain.pages.slice(-1), plain.again)).toBe(b);
    const fitted = fittedPages(step, printed, view, text(a, b), [], 30, 80);
    expect(fitted.pages).toHaveLength(pages);
    // Every line of the text is shown, and the last page leaves the question between steps its rows.
    expect(fitted.pages.flat()).toEqual(expect.arrayContaining(text(a, b).filter(Boolean)));
    expect(rowsOf(fitted.pages.at(-1)!.join("\n"), 80)).toBeLessThanOrEqual(30 - 6);
  });

  // The guided PTY tests of chroot step 1 (`file`'s "statically linked") and alpine step 3 (`0:82`) met both.
  it.each<[string, number, string]>([
    ["an output shown whole is not cut to save a key press (the text may talk about any of its lines)", 17, ""],
    ["rows are not given up when that leaves out more of the lines the text quotes", 40, Array.from({ length: 20 }, (_, i) => `\`q-${i + 1}-x\``).join(", ")],
  ])("%s: still paged", (_name, length, quoted) => {
    const out = { outputOf: () => Array.from({ length }, (_, i) => (i % 2 === 1 ? `q-${i}-x` : `file-${i + 1}`)).join("\n") };
    const quoting = { ...step, explanation: quoted } as Step;
    const plain = explanationPages(quoting, out, view, text(3, 1), [], 30, 80, 0);
    expect(plain.pages).toHaveLength(2);
    expect(plain.told[0]).toEqual(length === 17 ? { whole: true, quotedLeft: 0, hiddenRuns: 0 } : { whole: false, quotedLeft: expect.any(Number), hiddenRuns: 0 });
    // Giving up rows would have brought the text onto one page (what it would cost is what the rows are about).
    expect([1, 2, 3, 4, 5, 6].some((spare) => explanationPages(quoting, out, view, text(3, 1), [], 30, 80, spare).pages.length === 1)).toBe(true);
    expect(fittedPages(quoting, out, view, text(3, 1), [], 30, 80)).toEqual(plain);
  });

  it("a command whose output was on the screen keeps some of it there (a long `file` line after an `ls`): still paged", () => {
    const two = { ...step, blocks: [block, { ...block, line: 20, codeLine: 21 }] } as Step;
    const out = { outputOf: (line: number) => (line === 10 ? Array.from({ length: 6 }, (_, i) => `file-${i + 1}`).join("\n") : "x ".repeat(150)) };
    const plain = explanationPages(two, out, view, text(10, 2), [], 30, 80, 0);
    expect(plain.pages).toHaveLength(2);
    expect(plain.told[0]).toEqual({ whole: false, quotedLeft: 0, hiddenRuns: 0 });
    const onePage = [1, 2, 3, 4, 5, 6].map((spare) => explanationPages(two, out, view, text(10, 2), [], 30, 80, spare)).find((p) => p.pages.length === 1);
    expect(onePage?.told[0]?.hiddenRuns).toBe(1); // what one page would cost: the long line's command shows nothing
    expect(fittedPages(two, out, view, text(10, 2), [], 30, 80)).toEqual(plain);
  });
});

describe("outputRecap", () => {
  const command = (line: number, exit = 0): Block => ({ role: "command", lang: "sh", code: "true", line, codeLine: line + 1, session: "host", exit, timeoutMs: 1000, background: false });
  const step = { index: 5, blocks: [command(10), command(20, 126), command(30)] } as unknown as Step;
  const printed = (outputs: Record<number, string>, asExpected: number[] = []) => ({ outputOf: (line: number) => outputs[line] ?? "", failedAsExpected: (line: number) => asExpected.includes(line) });

  it("labels each command that printed something, in order, and leaves out the silent ones", () => {
    expect(outputRecap(step, printed({ 10: "one\ntwo\n", 30: "three\n" }), view, 20)).toEqual([
      "What your commands printed (the explanation below is about it):",
      "Command 1/3 printed:",
      "  one",
      "  two",
      "Command 3/3 printed:",
      "  three",
    ]);
  });
  it("a command meant to fail that failed that way (run or typed) says so above its error message", () => {
    expect(outputRecap(step, printed({ 20: "chroot: failed to run command '/bin/sh': Permission denied\n" }, [20]), view, 20)).toEqual([
      "What your commands printed (the explanation below is about it):",
      "Command 2/3 printed (exit status 126, as expected: it is meant to fail):",
      "  chroot: failed to run command '/bin/sh': Permission denied",
    ]);
  });
  it("nothing printed: no recap", () => {
    expect(outputRecap(step, printed({}), view, 20)).toEqual([]);
  });
  it("too long: each command's output is cut to its first lines, saying where the rest is", () => {
    const long = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join("\n");
    const recap = outputRecap(step, printed({ 10: long, 20: long }), view, 12);
    expect(recap.length).toBeLessThanOrEqual(12);
    expect(recap).toContain("  line 1");
    expect(recap.join("\n")).toMatch(/… \(\d+ more lines here: "Read step 6 again" shows them\)/);
  });
  it("each stretch of lines left out is marked where it is, with its own count (a cut at the end is marked at the end)", () => {
    const one = { index: 5, blocks: [command(10)], explanation: "The `needle` line matters." } as unknown as Step;
    const out = ["a1", "a2", "needle", "b1", "b2", "b3", "b4", "b5", "b6", "end"].join("\n");
    expect(outputRecap(one, printed({ 10: out }), view, 7)).toEqual([
      "What your commands printed (the explanation below is about it):",
      "The command printed:",
      "  a1",
      "  a2",
      "  needle",
      '  … (6 more lines here: "Read step 6 again" shows them)',
      "  end",
    ]);
    // Cut at the end: marked at the end.
    expect(outputRecap(one, printed({ 10: out }), view, 6).slice(2)).toEqual(["  a1", "  a2", "  needle", '  … (7 more lines here: "Read step 6 again" shows them)']);
    // Cut at the start (the lines the explanation refers to are at the end): marked at the start, on the label's
    // row when it fits there (the row goes to one more line of output).
    const tail = ["t1", "t2", "t3", "t4", "needle 1", "needle 2", "needle 3"].join("\n");
    expect(outputRecap(one, printed({ 10: tail }), view, 6).slice(1)).toEqual(["The command printed:  … (3 more lines), then:", "  t4", "  needle 1", "  needle 2", "  needle 3"]);
    expect(outputRecap(one, printed({ 10: tail }), { ...view, width: 40 }, 6).slice(1)).toEqual(["The command printed:", "  … (4 more lines)", "  needle 1", "  needle 2", "  needle 3"]);
  });
  it("a line wrapped in the recap is kept or left out whole, never a row of it alone", () => {
    const one = { index: 5, blocks: [command(10)] } as unknown as Step;
    const long = `lrwxrwxrwx    1 root     root            17 Dec  6 18:00 /var/tmp/rootlab/chroot-KGCwBg/root/usr/bin/awk -> ../../bin/busybox`;
    const recap = (max: number) => outputRecap(one, printed({ 10: ["h1", "h2", "h3", long].join("\n") }), view, max).slice(2);
    expect(recap(7)).toEqual(["  h1", "  h2", "  h3", "  lrwxrwxrwx    1 root     root            17 Dec  6 18:00", "    /var/tmp/rootlab/chroot-KGCwBg/root/usr/bin/awk -> ../../bin/busybox"]);
    // One row short: the line that takes two goes, whole, and says so where it was (its first row alone would fit).
    expect(recap(6)).toEqual(["  h1", "  h2", "  h3", '  … (1 more line here: "Read step 6 again" shows them)']);
  });
  it("a marker wider than a narrow terminal is the short one", () => {
    const one = { index: 5, blocks: [command(10)] } as unknown as Step;
    const recap = outputRecap(one, printed({ 10: ["a", "b", "c", "d", "e", "f"].join("\n") }), { ...view, width: 40 }, 5);
    expect(recap.filter((row) => row.includes("more line"))).toEqual(["  … (4 more lines)"]);
  });
});

describe("printedLines: a typed turn read as what the commands printed", () => {
  it.each([
    ["a prompt becomes a command line; its output stays", "(rootlab host) /var/tmp/x # ls /\nbin  etc\n", [["$ ls /", true], ["bin  etc", false]]],
    ["check and empty prompts are left out", "(rootlab box) $ ps\nPID   USER\n(rootlab box) $ \n(rootlab box) $ check\n", [["$ ps", true], ["PID   USER", false]]],
    [
      "continuation lines (a loop, a here-document) are one mark on the command",
      "(rootlab host) # for a in 1 2; do\n>   echo $a\n> done\n1\n2\n",
      [["$ for a in 1 2; do …", true], ["1", false], ["2", false]],
    ],
    ["a shell the learner started keeps its own prompt as output", "(rootlab host) # chroot r /bin/sh\n/ # ls /\nbin\n/ # exit\n", [["$ chroot r /bin/sh", true], ["/ # ls /", false], ["bin", false], ["/ # exit", false]]],
    ["output of rootlab's own run (no prompt) is kept as it is", "\nline 1\n  line 2\n\n", [["line 1", false], ["  line 2", false]]],
  ])("%s", (_name, shown, lines) => {
    expect(printedLines(shown).map((l) => [l.text, l.command])).toEqual(lines);
  });
});

describe("recapRows", () => {
  it("wraps at words under a two-space indent, four where a line goes on; never wider than the terminal", () => {
    const line = "/var/tmp/rootlab/chroot-KGCwBg/root/bin/busybox: ELF 64-bit LSB executable, x86-64, version 1 (GNU/Linux), statically linked";
    const rows = recapRows(line, 80);
    expect(rows[0]).toMatch(/^ {2}\/var/);
    expect(rows[1]).toMatch(/^ {4}\S/);
    for (const r of rows) expect(r.length).toBeLessThanOrEqual(80);
    expect(rows.map((r) => r.trim()).join(" ")).toBe(line);
  });
  it("cuts a word wider than the terminal where the row ends", () => {
    const rows = recapRows("x".repeat(200), 80);
    for (const r of rows) expect(r.length).toBeLessThanOrEqual(80);
    expect(rows.join("").replace(/ /g, "")).toBe("x".repeat(200));
  });
});

describe("outputRecap of typed turns", () => {
  const command = (line: number): Block => ({ role: "command", lang: "sh", code: "true", line, codeLine: line + 1, session: "host", exit: 0, timeoutMs: 1000, background: false });
  const step = { index: 5, blocks: [command(10), command(20)] } as unknown as Step;
  const typed1 = "(rootlab box) $ mount -t proc proc /proc\n(rootlab box) $ ps -o pid,comm | head -4\nPID   COMMAND\n    1 init\n    2 kthreadd\n    3 pool\n(rootlab box) $ echo \"this shell is PID $$\"\nthis shell is PID 4242\n(rootlab box) $ hostname\nvm\n(rootlab box) $ check\n";
  const typed2 = "(rootlab host) /var/tmp/rootlab/chroot-x # echo \"the host sees the box shell as PID $ROOTLAB_SESSION_BOX_PID\"\nthe host sees the box shell as PID 4242\n(rootlab host) # check\n";
  const printed = { outputOf: (line: number) => ({ 10: typed1, 20: typed2 })[line] ?? "" };

  it("with room: the commands as short lines, then what they printed", () => {
    const recap = outputRecap(step, printed, view, 30);
    expect(recap).toContain("  $ echo \"this shell is PID $$\"");
    expect(recap).toContain("  this shell is PID 4242");
    expect(recap.join("\n")).not.toContain("check");
    expect(recap.join("\n")).not.toContain("(rootlab");
  });
  it("short of room: every command typed stays, and each output keeps its start and its end, marked where cut", () => {
    expect(outputRecap(step, printed, view, 10)).toEqual([
      "What your commands printed (the explanation below is about it):",
      // A command that printed nothing shares the row of the next one (what follows is the next one's output).
      "  $ mount -t proc proc /proc; ps -o pid,comm | head -4",
      "  PID   COMMAND",
      "      1 init",
      '  … (2 more lines here: "Read step 6 again" shows them)',
      '  $ echo "this shell is PID $$"',
      "  this shell is PID 4242",
      "  $ hostname  → vm",
      '  $ echo "the host sees the box shell as PID $ROOTLAB_SESSION_BOX_PID"',
      "  the host sees the box shell as PID 4242",
    ]);
    // With room for the labels and all the commands, and not for all the output, the labels go first.
    const roomy = outputRecap(step, printed, view, 13);
    expect(roomy).toHaveLength(12);
    expect(roomy.filter((l) => l.startsWith("  $ "))).toHaveLength(4);
  });
  it("commands that printed nothing, one after the other, share a row; cut to their programs when they do not fit", () => {
    const one = { index: 3, blocks: [{ ...command(10), code: "x" }] } as unknown as Step;
    const P = "(rootlab host) ~lab # ";
    const shown = [`${P}find "$R" -type l -delete`, `${P}cd "$R"`, `${P}printf 'root:x:0:0:root:/root:/bin/sh\\n' > etc/passwd`, `${P}printf 'root:x:0:\\n' > etc/group`, `${P}ls -l bin/sh`, ...Array.from({ length: 6 }, (_, i) => `line ${i}`), `${P}cd "$LAB_DIR"`, `${P}id`, "uid=0(root)"].join("\n");
    expect(outputRecap(one, { outputOf: () => shown }, view, 8)).toEqual([
      "What your commands printed (the explanation below is about it):",
      "  $ find …; cd …; printf …; printf …",
      "  $ ls -l bin/sh",
      "  line 0",
      "  line 1",
      '  … (4 more lines here: "Read step 4 again" shows them)',
      '  $ cd "$LAB_DIR"; id',
      "  uid=0(root)",
    ]);
  });
  it("a habitual `ls` typed after the step's command keeps its \"$ ls\" line: its output never reads as the command's", () => {
    const one = { index: 0, blocks: [{ ...command(10), code: 'file "$R/bin/busybox"' }], explanation: "`file` says *statically linked*." } as unknown as Step;
    const shown = [
      '(rootlab host) ~lab # file "$R/bin/busybox"',
      "/var/tmp/rootlab/chroot-x/root/bin/busybox: ELF 64-bit LSB executable, x86-64, statically linked",
      "(rootlab host) ~lab # ls -l",
      "total 4",
      ...Array.from({ length: 8 }, (_, i) => `drwxr-xr-x 2 root root 4096 Dec  6 18:0${i} dir${i}`),
      "(rootlab host) ~lab # check",
    ].join("\n");
    for (const max of [6, 8, 10]) {
      const recap = outputRecap(one, { outputOf: () => shown }, view, max);
      const text = recap.join("\n");
      expect(text).toContain('  $ file "$R/bin/busybox"');
      expect(text).toContain("  $ ls -l");
      // The step's command's output comes right after it, the ls output (or its marker) only after "$ ls -l".
      expect(recap[recap.indexOf('  $ file "$R/bin/busybox"') + 1]).toMatch(/ELF 64-bit|1 more line here/);
      expect(recap.slice(recap.indexOf("  $ ls -l") + 1).join("\n")).toMatch(/dir7|more lines/);
      expect(recap.slice(0, recap.indexOf("  $ ls -l")).join("\n")).not.toMatch(/dir\d|total 4/);
      expect(recap.length).toBeLessThanOrEqual(max);
    }
  });
});

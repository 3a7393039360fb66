import { describe, expect, it } from "vitest";
import type { Block } from "../../src/format/types.js";
import { expandTabs, lastRunOfEach, matchCommand, programOf, typedRuns } from "../../src/guided/typed-runs.js";
import { printedLines, recapRows } from "../../src/guided/output-recap.js";

const block = (code: string): Block => ({ role: "command", lang: "sh", code, line: 10, codeLine: 11, session: "host", exit: 0, timeoutMs: 1000, background: false });
const STEP1 = block('R="$LAB_DIR/root"\nmkdir -p "$R/bin" "$R/etc"\ncp /usr/bin/busybox "$R/bin/busybox"\nfile "$R/bin/busybox"');
const P = "(rootlab host) ~lab # ";

describe("typed runs", () => {
  it.each([
    ["an assignment", 'R="$LAB_DIR/root"', "R="],
    ["a program by path, quoted", '"$R/bin/sh" -c \'echo hi\'', "sh"],
    ["after an assignment prefix", "LC_ALL=C ls -l", "ls"],
    ["a loop", "for a in 1 2; do", "for"],
  ])("programOf: %s", (_n, text, want) => {
    expect(programOf(text)).toBe(want);
  });

  it("matchCommand: same program, the one sharing the most words; none for another program", () => {
    const commands = ["ls -l bin/sh", "ls alpine-root", "cat x"];
    expect(matchCommand("ls alpine-root/", commands)).toBe(1);
    expect(matchCommand("ls -l  bin/sh", commands)).toBe(0);
    expect(matchCommand("stat x", commands)).toBeUndefined();
  });

  it("a failed attempt (a typo), then the right commands: only the last run of each command stays", () => {
    const shown = [
      `${P}cp /usr/bin/busybx "$R/bin/busybox"`,
      "cp: cannot stat '/usr/bin/busybx': No such file or directory",
      `${P}file "$R/bin/busybox"`,
      "/var/tmp/rootlab/chroot-x/root/bin/busybox: cannot open `/var/tmp/rootlab/chroot-x/root/bin/busybox' (No such file or directory)",
      `${P}cp /usr/bin/busybox "$R/bin/busybox"`,
      `${P}file "$R/bin/busybox"`,
      "/var/tmp/rootlab/chroot-x/root/bin/busybox: ELF 64-bit LSB executable, statically linked",
      `${P}check`,
    ].join("\n");
    const lines = printedLines(shown, STEP1).map((l) => l.text);
    expect(lines).toEqual(['$ cp /usr/bin/busybox "$R/bin/busybox"', '$ file "$R/bin/busybox"', "/var/tmp/rootlab/chroot-x/root/bin/busybox: ELF 64-bit LSB executable, statically linked"]);
    // Without the block, the same text typed twice is still one command; the typo is another one.
    expect(printedLines(shown).length).toBe(5);
  });

  it("^C is the terminal's echo, not output; a prompt left with Ctrl-C is no command", () => {
    const shown = `${P}sleep 5\n^]^C\n${P}half-typ^C\n${P}echo hi\nhi\n`;
    expect(printedLines(shown, block("echo hi")).map((l) => l.text)).toEqual(["$ sleep 5", "$ echo hi", "hi"]);
    expect(typedRuns(shown).filter((r) => r.command).map((r) => r.typed)).toEqual(["sleep 5", "echo hi"]);
  });

  it("lastRunOfEach keeps the order typed and the output before the first prompt", () => {
    const runs = typedRuns(`before\n${P}ls a\nA\n${P}id\nuid\n${P}ls a\nA2\n`);
    expect(lastRunOfEach(runs, block("ls a\nid")).map((r) => r.typed)).toEqual(["", "id", "ls a"]);
  });
});

describe("output lines verbatim", () => {
  it("tabs expand to the terminal's stops, not to the recap's indent", () => {
    expect(expandTabs("bin\tdev\tetc")).toBe("bin     dev     etc");
    expect(expandTabs("ab\tc")).toBe("ab      c");
  });
  it("an ls line that fits is kept as it is, its columns and spaces", () => {
    const ls = "dev    home   media  opt    root   sbin   sys    usr";
    expect(recapRows(ls, 80)).toEqual([`  ${ls}`]);
  });
  it("a columnar line as wide as the terminal goes without indent, never reflowed", () => {
    const ls = "bin    etc    lib    mnt    proc   run    srv    tmp    var    xyz    abcdef  ghijk";
    expect(recapRows(ls, 80, "")[0]).toBe(ls.slice(0, 80));
    expect(recapRows(ls, 80, "").join("")).toBe(ls);
  });
});

describe("a recap short of room keeps the lines the explanation refers to", () => {
  it("uid_map's line (a number the explanation quotes) stays; others are left out", async () => {
    const { outputRecap } = await import("../../src/guided/output-recap.js");
    const { plainStyle } = await import("../../src/term/style.js");
    const cmd = block("x");
    const step = { index: 3, blocks: [cmd], explanation: "uid 0 inside starts at uid `1172832256` outside: `uid_map` is the proof." } as never;
    const out = ["h1", "h2", "h3", "0 1172832256 65536", "m1", "m2", "m3", "m4", "t1"].join("\n");
    const recap = outputRecap(step, { outputOf: () => out }, { style: plainStyle(true), width: 80 }, 5);
    expect(recap.join("\n")).toContain("0 1172832256 65536");
    expect(recap.length).toBeLessThanOrEqual(5);
  });
});

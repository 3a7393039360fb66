import { describe, expect, it } from "vitest";
import type { Block } from "../../src/format/types.js";
import { blockCommands, expandTabs, lastRunOfEach, markPastedLines, matchCommand, programOf, shownByBlock, typedRuns, unscrollEchoes } from "../../src/guided/typed-runs.js";
import { typedOutcome } from "../../src/guided/typed-status.js";
import { missedCommandsNote } from "../../src/guided/typed-skipped.js";
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

  it("unshare-pivot-root step 4: `hostname rlu-box` then `hostname` typed in box ran both lines (no note)", () => {
    const step4 = { ...block("hostname rlu-box\nhostname"), session: "box" };
    expect(matchCommand("hostname", blockCommands(step4))).toBe(1);
    expect(matchCommand("hostname rlu-box", blockCommands(step4))).toBe(0);
    const shown = ["(rootlab box) / # hostname rlu-box", "(rootlab box) / # hostname", "rlu-box", "(rootlab box) / # check"].join("\n");
    const typed = typedRuns(shown).flatMap((r) => (r.command ? [r.typed] : []));
    expect(typed).toEqual(["hostname rlu-box", "hostname"]);
    expect(missedCommandsNote(step4, typed, true)).toBeUndefined();
    expect(missedCommandsNote(step4, ["hostname rlu-box"], true)).toMatch(/did not see you run `hostname`/);
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

  it("lastRunOfEach: a typo, then the right command, keeps the right one; a later look with the same program keeps both", () => {
    const typo = typedRuns(`${P}ls -ln home/made-insid\nls: cannot access\n${P}ls -ln home/made-inside\n0 0\n`);
    expect(lastRunOfEach(typo, block("ls -ln home/made-inside")).map((r) => r.typed)).toEqual(["ls -ln home/made-inside"]);
    // user-namespaces step 3, typed: the step's `0 0` was dropped for the `ls` that came after it.
    const look = typedRuns(`${P}ls -ln home/made-inside | cut -d' ' -f3,4\n0 0\n${P}ls -l /etc/shadow\n-rw-r----- 1 nobody\n`);
    expect(lastRunOfEach(look, block("ls -ln home/made-inside | cut -d' ' -f3,4")).map((r) => r.typed)).toEqual([
      "ls -ln home/made-inside | cut -d' ' -f3,4",
      "ls -l /etc/shadow",
    ]);
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
  it("a columnar line wider than the terminal is wrapped at a space, its columns kept: nothing is cut off", () => {
    const ls = "bin    etc    lib    mnt    proc   run    srv    tmp    var    xyz    abcdef  ghijk";
    expect(recapRows(ls, 80, "")).toEqual([ls.slice(0, ls.lastIndexOf(" ") - 1), "  ghijk"]);
  });
  it("an `ls -l` line wider than the recap's column keeps its name whole on the next row", () => {
    const name = "/var/tmp/rootlab/chroot-KGCwBg/root/usr/bin/awk -> ../../bin/busybox";
    const line = `lrwxrwxrwx    1 root     root            17 Dec  6 18:00 ${name}`;
    const rows = recapRows(line, 80);
    expect(rows).toEqual(["  lrwxrwxrwx    1 root     root            17 Dec  6 18:00", `    ${name}`]);
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

describe("lines pasted at once are commands, not output (markPastedLines)", () => {
  const pasted = (lines: string[]) => `\x1b[200~${lines.join("\r")}\x1b[201~\r`;
  it("a paste of three commands: each gets its prompt; the output after them stays output", () => {
    const keys = pasted(['R="$LAB_DIR/root"', 'cp /usr/bin/busybox "$R/bin/busybox"', 'file "$R/bin/busybox"']);
    const shown = `${P}R="$LAB_DIR/root"\ncp /usr/bin/busybox "$R/bin/busybox"\nfile "$R/bin/busybox"\n/x/root/bin/busybox: ELF 64-bit, statically linked\n${P}check`;
    expect(printedLines(markPastedLines(shown, keys), STEP1)).toEqual([
      { text: '$ R="$LAB_DIR/root"', command: true },
      { text: '$ cp /usr/bin/busybox "$R/bin/busybox"', command: true },
      { text: '$ file "$R/bin/busybox"', command: true },
      { text: "/x/root/bin/busybox: ELF 64-bit, statically linked", command: false },
    ]);
  });
  it("bash's redraw of the paste when it runs it (cursor moves left out: glued to the last line) is not output", () => {
    const keys = pasted(["a=1", "b=2", "echo $a$b"]);
    // What plainText makes of "$ a=1\r\nb=2\r\necho $a$b" + "\x1b[A\x1b[A\x1b[7D" + "a=1\r\nb=2\r\necho $a$b\r\n12".
    const shown = `${P}a=1\nb=2\necho $a$ba=1\nb=2\necho $a$b\n12\n${P}check`;
    expect(printedLines(markPastedLines(shown, keys)).map((l) => l.text)).toEqual(["$ a=1", "$ b=2", "$ echo $a$b", "12"]);
  });
  it("a pasted command continued with \\ or an open loop is one command (…)", () => {
    const keys = pasted(['mkdir -p "$R/bin" \\', '    "$R/tmp"', "for a in 1 2; do", "echo $a", "done"]);
    const shown = `${P}mkdir -p "$R/bin" \\\n    "$R/tmp"\nfor a in 1 2; do\necho $a\ndone\n1\n2`;
    expect(printedLines(markPastedLines(shown, keys)).map((l) => l.text)).toEqual(['$ mkdir -p "$R/bin" \\ …', "$ for a in 1 2; do …", "1", "2"]);
  });
  it("output that happens to equal a typed line is not taken for one when it is not the next line pasted", () => {
    const keys = "echo two\recho one\r";
    const shown = `${P}echo two\ntwo\n${P}echo one\none`;
    expect(markPastedLines(shown, keys)).toBe(shown);
  });
});

describe("how the step's own command ended (typedOutcome), not a habit typed after it", () => {
  const LDD = { ...block('ldd "$R/bin/busybox"'), exit: 1 };
  const turn = (...pairs: [string, string][]) => pairs.map(([c, out]) => `${P}${c}${out ? `\n${out}` : ""}`).join("\n");
  it.each<[string, string[], string, number | undefined, Record<string, unknown>]>([
    ["the command last: its status is $?", ['ldd "$R/bin/busybox"'], turn(['ldd "$R/bin/busybox"', "\tnot a dynamic executable"]), 1, { ran: 'ldd "$R/bin/busybox"', status: 1, output: "not a dynamic executable" }],
    ["echo $? right after: its status is what echo printed", ['ldd "$R/bin/busybox"', "echo $?"], turn(['ldd "$R/bin/busybox"', "\tnot a dynamic executable"], ["echo $?", "1"]), 0, { ran: 'ldd "$R/bin/busybox"', status: 1, output: "not a dynamic executable" }],
    ["ls after it: unknown, and which command came last", ['ldd "$R/bin/busybox"', "ls"], turn(['ldd "$R/bin/busybox"', "\tnot a dynamic executable"], ["ls", "root"]), 0, { ran: 'ldd "$R/bin/busybox"', output: "not a dynamic executable", after: "ls" }],
    ["not run at all", ["pwd"], turn(["pwd", "/x"]), 0, {}],
    ["a typo in its path is still the command (the same program)", ['ldd "$R/bin/busybx"'], turn(['ldd "$R/bin/busybx"', "ldd: /x/busybx: No such file or directory"]), 1, { ran: 'ldd "$R/bin/busybx"', status: 1, output: "ldd: /x/busybx: No such file or directory" }],
    ["another shell (no history): the screen's prompts", [], turn(['ldd "$R/bin/busybox"', "\tnot a dynamic executable"], ["clear", ""]), 0, { ran: 'ldd "$R/bin/busybox"', output: "not a dynamic executable", after: "clear" }],
  ])("%s", (_n, typed, shown, status, want) => {
    expect(typedOutcome(LDD, typed, shown, status)).toEqual(want);
  });
  it("echo $? after a pipeline that starts with echo is not taken for it", () => {
    const SUM = { ...block('echo "$ALPINE_SHA256  corrupt.tar.gz" | sha256sum -c'), exit: 1 };
    const shown = turn(['echo "$ALPINE_SHA256  corrupt.tar.gz" | sha256sum -c', "corrupt.tar.gz: FAILED"], ["echo $?", "1"]);
    expect(typedOutcome(SUM, ['echo "$ALPINE_SHA256  corrupt.tar.gz" | sha256sum -c', "echo $?"], shown, 0)).toEqual({ ran: 'echo "$ALPINE_SHA256  corrupt.tar.gz" | sha256sum -c', status: 1, output: "corrupt.tar.gz: FAILED" });
  });
});

describe("a command of the step given back without running it: a note, never a stop", () => {
  const TRAP2 = block('rm -f "$R"/bin/*\ncp /usr/bin/busybox "$R/bin/busybox"\n/usr/bin/busybox --install -s "$R/bin"\nls -l "$R/bin/sh"');
  it.each<[string, string[], boolean, string | undefined]>([
    ["nothing typed, an earlier command", [], false, 'You gave the shell back without running the command: rootlab did not see `rm -f "$R"/bin/*` (and 3 more of its lines). The step goes on anyway; its checks will say what is missing (if you did it another way, they pass).'],
    ["one left out, the last command", ['rm -f "$R"/bin/*', 'cp /usr/bin/busybox "$R/bin/busybox"', "ls -l $R/bin/sh"], true, 'rootlab did not see you run `/usr/bin/busybox --install -s "$R/bin"`. The checks run now anyway and say what is missing (if you did it another way, they pass).'],
    ["all, two of them on one line", ['rm -f "$R"/bin/*; cp /usr/bin/busybox "$R/bin/busybox"', "/usr/bin/busybox --install -s $R/bin && ls -l $R/bin/sh"], true, undefined],
    ["all, loosely (other quoting, a typo fixed later)", ["rm -f $R/bin/*", "cp /usr/bin/busybx $R/bin/", "cp /usr/bin/busybox $R/bin/", "/usr/bin/busybox --install -s $R/bin", "ls -l $R/bin/sh"], true, undefined],
  ])("%s", (_n, typed, last, want) => {
    expect(missedCommandsNote(TRAP2, typed, last)).toBe(want);
  });
});

describe("a long line the shell's line editor scrolled sideways is the command typed (unscrollEchoes)", () => {
  const B = "(rootlab box) / # ";
  const long = "echo aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee ffffffffff gggggggggg hhhhhhhhhh";
  it.each<[string, string, string, string]>([
    ["the start scrolled out of view (`<` at its start, prompt gone)", `${B}ls\nbin\n<eeeeee ffffffffff gggggggggg hhhhhhhhhh\naaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee ffffffffff gggggggggg hhhhhhhhhh\n${B}`, `ls\r${long}\r`, `${B}ls\nbin\n${B}${long}\naaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee ffffffffff gggggggggg hhhhhhhhhh\n${B}`],
    ["the end out of view (`>` at its end: the cursor was moved back)", `${B}echo aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee ffffffffff gg>\nout`, `${long}\r`, `${B}${long}\nout`],
    ["no prompt above it: the session's", `<eeeeee ffffffffff gggggggggg hhhhhhhhhh\nout`, `${long}\r`, `(rootlab x) # ${long}\nout`],
    ["output starting with `<` that is no line typed stays", `${B}curl -s localhost\n<html><body>hello</body></html>`, "curl -s localhost\r", `${B}curl -s localhost\n<html><body>hello</body></html>`],
    ["a command typed ending in `>` is left as it is", `${B}echo hi >`, "echo hi >\r", `${B}echo hi >`],
  ])("%s", (_name, shown, keys, out) => {
    expect(unscrollEchoes(shown, keys, "(rootlab x) # ")).toBe(out);
  });
  it("read as runs, the command is the one typed, and its output is not garbage", () => {
    const runs = typedRuns(unscrollEchoes(`${B}\n<eeeeee ffffffffff gggggggggg hhhhhhhhhh\nhello\n${B}check`, `${long}\r`, B));
    expect(runs.map((r) => [r.command?.text, r.output.map((o) => o.text)])).toEqual([[`$ ${long}`, ["hello"]]]);
  });
});

describe("a turn at the step's checks: each command typed goes with its block (shownByBlock)", () => {
  const at = (line: number, code: string): Block => ({ ...block(code), line });
  const first = at(10, "mkdir -p $LAB_DIR/a\ncp /etc/hostname $LAB_DIR/a/");
  const second = at(20, "cat $LAB_DIR/a/hostname");
  it("the retry of command 1 goes with command 1 (its failed attempt is then replaced), a look around with the command before it", () => {
    const shown = `${P}cp /etc/hostname $LAB_DIR/a/\n${P}ls $LAB_DIR/a\nhostname\n${P}cat $LAB_DIR/a/hostname\nbox\n${P}check`;
    expect(shownByBlock(shown, [first, second], second)).toEqual(
      new Map([
        [10, `${P}cp /etc/hostname $LAB_DIR/a/\n${P}ls $LAB_DIR/a\nhostname`],
        [20, `${P}cat $LAB_DIR/a/hostname\nbox\n${P}check`],
      ]),
    );
  });
  it("a fix typed before any of the block's commands goes with the last command, as before", () => {
    expect(shownByBlock(`${P}chmod 755 $LAB_DIR\n${P}check`, [first, second], second)).toEqual(new Map([[20, `${P}chmod 755 $LAB_DIR\n${P}check`]]));
  });
  it("a command continued on \"> \" lines stays whole with its block", () => {
    const shown = `${P}mkdir -p \\\n> $LAB_DIR/a\n${P}check`;
    expect(shownByBlock(shown, [first, second], second)).toEqual(new Map([[10, shown]]));
  });
});

// Which lines of a recap stay when it is short of room (src/guided/recap-cut.ts): the commands' own rows give way
// to the lines the explanation quotes, commands whose output is all left out sharing one row, every cut marked.
import { describe, expect, it } from "vitest";
import type { Block, Step } from "../../src/format/types.js";
import { explanationRefs, outputRecap, quoteWeight, sharedRows } from "../../src/guided/output-recap.js";
import { cutRecap, cutRecapCounted, type Markers, type RecapLine } from "../../src/guided/recap-cut.js";
import { plainStyle } from "../../src/term/style.js";

const markers: Markers = {
  row: (n) => `  … (${n} more)`,
  after: (command, n) => `${command}  … (${n} more)`,
  inline: (command, output) => `${command}  → ${output.trim()}`,
  shared: (programs) => [`  $ ${programs.join("; ")}`],
};
let run = 0;
/** A command typed and its output lines; an output line "!text" is one the explanation quotes. */
const cmd = (text: string, ...output: string[]): RecapLine[] => {
  run++;
  return [
    { rows: [`  $ ${text}`], kind: "command", wanted: 0, run, stepRun: true, programs: [text.split(" ")[0]! + (text.includes(" ") ? " …" : "")] },
    ...output.map((o): RecapLine => ({ rows: [`  ${o.replace(/^!/, "")}`], kind: "output", wanted: o.startsWith("!") ? 1500 : 0, run, stepRun: true })),
  ];
};
const label = (text: string): RecapLine => ({ rows: [text], kind: "label", wanted: 0, run: -1, stepRun: false });

describe("cutRecap", () => {
  it.each<[string, RecapLine[], number, string[]]>([
    [
      "everything fits: as it is",
      [...cmd("id", "uid=0"), ...cmd("ls -l", "a", "b")],
      5,
      ["  $ id", "  uid=0", "  $ ls -l", "  a", "  b"],
    ],
    [
      "nothing quoted: every command keeps its row, the output is cut from both ends",
      [...cmd("a x", "1", "2", "3", "4"), ...cmd("b", "5"), ...cmd("c", "6")],
      5,
      ["  $ a x", "  1", "  … (3 more)", "  $ b  → 5", "  $ c  → 6"],
    ],
    [
      "a quoted line with no room beside every command's row: the quiet commands before it share one",
      [...cmd("cat x", "o1", "o2"), ...cmd("sh y", "o3", "o4"), ...cmd("ls", "o5", "o6"), label("Command 2/2 printed (as expected):"), ...cmd("sh z", "!corrupt: FAILED", "warning")],
      5,
      ["  $ cat …; sh …; ls  … (6 more)", "Command 2/2 printed (as expected):", "  $ sh z", "  corrupt: FAILED", "  warning"],
    ],
    [
      "a label ends a shared row; a command with output kept keeps its own",
      [...cmd("a 1", "x"), ...cmd("b 2", "y"), label("L:"), ...cmd("c 3", "z"), ...cmd("d 4", "!q1"), ...cmd("e 5", "w")],
      6,
      ["  $ a …; b …  … (2 more)", "L:", "  $ c 3  → z", "  $ d 4", "  q1", "  $ e 5  → w"],
    ],
    [
      "a single output line is never put beside commands sharing a row (whose would it be?)",
      [...cmd("a 1"), ...cmd("b 2", "x"), ...cmd("c 3", "!q1", "q2", "q3")],
      4,
      ["  $ a …; b …  … (1 more)", "  $ c 3", "  q1", "  … (2 more)"],
    ],
    [
      "quoted lines of more weight come first",
      [...cmd("a 1", "x", "x", "x"), ...cmd("b 2", "!low"), ...cmd("c 3", "!!high")].map((l) => (l.rows[0] === "  !high" ? { ...l, rows: ["  high"], wanted: 1600 } : l)),
      3,
      ["  $ a …; b …  … (4 more)", "  $ c 3", "  high"],
    ],
  ])("%s", (_name, lines, room, rows) => {
    expect(cutRecap(lines, room, markers)).toEqual(rows);
  });
});

describe("quoteWeight", () => {
  const code = ["sh verify-and-extract.sh corrupt.tar.gz x corrupt-root", "ls alpine-root", "tar --group=www-data:82 -czf s.tar.gz ."];
  it.each<[string, string, string]>([
    ["quoted output outweighs a name typed", "corrupt.tar.gz: FAILED", "alpine-root"],
    ["a value (a colon, digits) outweighs a name", "0:82", "sbin"],
    ["a name not typed outweighs one typed", "sbin", "www-data"],
    ["then the longer quote", "media", "sbin"],
  ])("%s", (_name, heavier, lighter) => {
    expect(quoteWeight(heavier, code)).toBeGreaterThan(quoteWeight(lighter, code));
  });
});

describe("sharedRows", () => {
  it.each<[string, string[], number, string[]]>([
    ["on one row", ["cat …", "sh …", "ls"], 80, ["  $ cat …; sh …; ls"]],
    ["on more rows when the width is short, each within it", ["mkdir …", "echo …", "tar …"], 20, ["  $ mkdir …; echo …;", "    tar …"]],
  ])("%s", (_name, programs, width, rows) => {
    expect(sharedRows(programs, width)).toEqual(rows);
  });
});

describe("outputRecap at 80 columns: the line the explanation quotes is on screen with eight commands typed", () => {
  const block = (line: number, code: string, exit = 0): Block => ({ role: "command", lang: "sh", code, line, codeLine: line + 1, session: "host", exit, timeoutMs: 1000, background: false });
  const step = {
    index: 2,
    blocks: [
      block(10, "cat > v.sh <<'EOF'\nset -eu\nEOF\nsh v.sh alpine.tar.gz \"$SHA\" alpine-root\nls alpine-root\ncat alpine-root/etc/alpine-release"),
      block(20, 'sh v.sh corrupt.tar.gz "$SHA" corrupt-root', 1),
      block(30, "mkdir -p site/var/www\necho hi > site/var/www/index.html\ntar --group=www-data:82 -C site -czf site.tar.gz .\ntar -tvzf site.tar.gz ./var/www/index.html\nsh v.sh site.tar.gz \"$(sha256sum < site.tar.gz | cut -d' ' -f1)\" site-root\nstat -c '%n %u:%g' site-root/var/www/index.html"),
    ],
    explanation: "`alpine-root` holds `bin`, `etc`, `lib`, `sbin`, `usr`, `var`. The corrupted copy stopped at `sha256sum` (`corrupt.tar.gz: FAILED`), and `corrupt-root` was never created: `www-data` kept `0:82`.",
  } as unknown as Step;
  const P = "(rootlab host) /var/tmp/rootlab/alpine-rootfs-x # ";
  const typed = (lines: string[]) => [...lines.map((l) => (l.startsWith("> ") || !l.startsWith("$ ") ? l : P + l.slice(2))), `${P}check`].join("\n");
  const outputs: Record<number, string> = {
    10: typed(["$ cat > v.sh <<'EOF'", "> set -eu", "> EOF", '$ sh v.sh alpine.tar.gz "$SHA" alpine-root', "alpine.tar.gz: OK", "extracted alpine.tar.gz into alpine-root", "$ ls alpine-root", "bin    etc    lib    mnt    proc   run    srv    tmp    var", "dev    home   media  opt    root   sbin   sys    usr", "$ cat alpine-root/etc/alpine-release", "3.20.3"]),
    20: typed(['$ sh v.sh corrupt.tar.gz "$SHA" corrupt-root', "corrupt.tar.gz: FAILED", "sha256sum: WARNING: 1 computed checksum did NOT match"]),
    30: typed(["$ mkdir -p site/var/www", "$ echo hi > site/var/www/index.html", "$ tar --group=www-data:82 -C site -czf site.tar.gz .", "$ tar -tvzf site.tar.gz ./var/www/index.html", "-rw-r--r-- root/www-data     3 2026-12-06 18:00 ./var/www/index.html", '$ sh v.sh site.tar.gz "$(sha256sum < site.tar.gz | cut -d\' \' -f1)" site-root', "site.tar.gz: OK", "extracted site.tar.gz into site-root", "$ stat -c '%n %u:%g' site-root/var/www/index.html", "site-root/var/www/index.html 0:82"]),
  };
  const transcript = { outputOf: (line: number) => outputs[line] ?? "", failedAsExpected: (line: number) => line === 20 };
  const view = { style: plainStyle(true), width: 80 };

  it.each([10, 12, 14])("in %i rows: the quoted lines, every cut marked, nothing wider than 80 columns", (max) => {
    const recap = outputRecap(step, transcript, view, max);
    expect(recap.length).toBeLessThanOrEqual(max);
    expect(recap).toContain("  corrupt.tar.gz: FAILED");
    expect(recap).toContain("  site-root/var/www/index.html 0:82");
    for (const row of recap) expect(row.length).toBeLessThanOrEqual(80);
    // Every command typed is named, on its own row or sharing one; every line left out is counted where it was.
    const text = recap.join("\n");
    for (const program of ["cat", "sh", "ls", "mkdir", "echo", "tar", "stat"]) expect(text).toMatch(new RegExp(`\\$ ${program}|; ${program}`));
    const shown = recap.slice(1).filter((r) => !r.startsWith("  $ ") && !r.startsWith("Command ") && !r.startsWith("  … (")).length;
    const inline = recap.filter((r) => r.includes("  → ")).length;
    const counted = [...text.matchAll(/… \((\d+) more lines?/g)].reduce((n, m) => n + Number(m[1]), 0);
    expect(shown + inline + counted).toBe(11);
  });
});

describe("a recap too short for every line the explanation quotes says so (user-namespaces step 2 at 80×30)", () => {
  it("each stretch left out counts the quoted lines in it, and cutRecapCounted gives their number in all", () => {
    const told: Markers = { ...markers, row: (n, q = 0) => `  … (${n} more, ${q} quoted)`, after: (command, n, q = 0) => `${command}  … (${n} more, ${q} quoted)` };
    const lines = [...cmd("id", "!uid=0", "groups"), ...cmd("cat /etc/shadow", "!Permission denied"), ...cmd("grep Uid", "!Uid: 997", "Gid: 997")];
    const cut = cutRecapCounted(lines, 5, told);
    expect(cut.rows.length).toBeLessThanOrEqual(5);
    const said = [...cut.rows.join("\n").matchAll(/(\d+) quoted/g)].reduce((n, m) => n + Number(m[1]), 0);
    expect(cut.quotedLeft).toBeGreaterThan(0);
    expect(said).toBe(cut.quotedLeft);
    expect(cutRecap(lines, 5, told)).toEqual(cut.rows);
  });
  it("nothing quoted left out: 0", () => {
    expect(cutRecapCounted([...cmd("id", "!uid=0"), ...cmd("ls", "a", "b", "c")], 3, markers).quotedLeft).toBe(0);
  });
  it("a short code span (`u`) does not pair with the next span's backtick: prose is never taken for a quote", () => {
    expect(explanationRefs("(`hostname rlus-box` typed in `u` itself fails with *you must be root* — `u` is root.) From the host, `Uid:` shows")).toEqual(["hostname rlus-box", "Uid:"]);
  });
  it("outputRecap's heading says how many quoted lines did not fit, each marker how many of its own", () => {
    const block = (line: number, code: string, exit = 0): Block => ({ role: "command", lang: "sh", code, line, codeLine: line + 1, session: "u", exit, timeoutMs: 1000, background: false });
    const step = {
      index: 1,
      blocks: [block(10, "id\ngrep ^CapEff /proc/self/status"), block(20, "cat /etc/shadow", 1), block(30, 'mknod "$LAB_DIR/home/rlus-null" c 1 3', 1), block(40, "grep -E '^(Uid|Gid|CapEff)' /proc/1/status")],
      explanation: "`CapEff: 000001ffffffffff` — the same EACCES for `/etc/shadow`, the same EPERM for `mknod`. From the host, `Uid:` shows the student's uid and `CapEff` the full mask.",
    } as unknown as Step;
    const outputs: Record<number, string> = {
      10: "uid=0(root) gid=0(root) groups=0(root)\nCapEff:\t000001ffffffffff\n",
      20: "cat: /etc/shadow: Permission denied\n",
      30: "mknod: /var/tmp/rootlab/user-namespaces-x1y2z3/home/rlus-null: Operation not permitted\n",
      40: "Uid:\t997\t997\t997\t997\nGid:\t997\t997\t997\t997\nCapEff:\t000001ffffffffff\n",
    };
    const recap = outputRecap(step, { outputOf: (l: number) => outputs[l] ?? "", failedAsExpected: (l: number) => l === 20 || l === 30 }, { style: plainStyle(true), width: 80 }, 8);
    expect(recap.length).toBeLessThanOrEqual(8);
    const n = Number(/^What your commands printed \((\d+) lines? the explanation quotes did not fit\):$/.exec(recap[0]!)?.[1]);
    expect(n, recap.join("\n")).toBeGreaterThan(0);
    expect([...recap.join("\n").matchAll(/, (\d+) quoted\)/g)].reduce((k, m) => k + Number(m[1]), 0), recap.join("\n")).toBe(n);
    for (const row of recap) expect(row.length).toBeLessThanOrEqual(80);
    // With room for all of it, the usual heading.
    expect(outputRecap(step, { outputOf: (l: number) => outputs[l] ?? "" }, { style: plainStyle(true), width: 80 }, 30)[0]).toBe("What your commands printed (the explanation below is about it):");
  });
});

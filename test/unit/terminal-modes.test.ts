// The shell text around a typed turn and the folding of blocks for a terminal's line editor: pure functions,
// checked against real shells where the text must mean exactly what it meant.
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { foldedQuote } from "../../src/exec/block-script.js";
import { afterTakeBackCommands, checkSignal, handOverCommands, readLastStatus, readPidLine, takeBackLine, TURN_MARK, typedSinceMark } from "../../src/exec/terminal-modes.js";
import { plainText } from "../../src/term/screen-text.js";

const shells = [
  ["bash", "/bin/bash", []],
  ["dash", "/bin/dash", []],
  ["busybox ash", "/bin/busybox", ["sh"]],
].filter(([, path]) => existsSync(path as string)) as [string, string, string[]][];

const samples: [string, string][] = [
  ["plain", "echo hello"],
  ["quotes", `it's "quoted" and \\ back`],
  ["tabs and escapes", "a\tb\x1b[0m\x7f\x15\x03"],
  ["a 5000-character line", `echo ${"x".repeat(5000)}`],
  ["many lines", Array.from({ length: 50 }, (_, i) => `line ${i}\t'${"y".repeat(i * 7)}'`).join("\n")],
  ["trailing newlines", "last\n\n"],
];

describe("foldedQuote", () => {
  it.each(samples)("%s: no physical line over 1000 bytes, no control character but newline", (_name, text) => {
    const q = foldedQuote(text);
    for (const line of q.split("\n")) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(1000);
    expect(q).not.toMatch(/[\x01-\x09\x0b-\x1f\x7f]/);
  });

  for (const [name, path, pre] of shells) {
    it.each(samples)(`%s: ${name} reads back exactly the text`, (_n, text) => {
      const out = execFileSync(path, [...pre, "-c", `printf '%s' ${foldedQuote(text)}`], { encoding: "utf8" });
      expect(out).toBe(text);
    });
  }
});

describe("a turn's bookkeeping", () => {
  it.each([
    ["after the last mark only", `  1  old\n  2  ${TURN_MARK}\n  3  ls -l\n  4  echo "a  b"\n  5  check\n`, ["ls -l", 'echo "a  b"']],
    ["the take-back line itself is not the learner's", `  7  ${TURN_MARK}\n  8  id\n  9  ${takeBackLine("abc")}\n`, ["id"]],
    ["no mark (a shell without history): nothing, the screen's prompts say what ran", "  1  pwd\n", []],
    // What ash's take-back output held before its pid line: the terminal's echo of rootlab's own commands.
    ["ash: rootlab's echoed commands are not the learner's", `"(rootlab t) $ \x1b[6n(exit 3)\r\n(rootlab t) $ \x1b[6ncheck\r\n"%s %s\\n' __RLP_ 3494 "$$"\n`, []],
    ["nothing typed", `  3  ${TURN_MARK}\n`, []],
    // A here-document is one entry over several lines: its body's lines are not commands of their own.
    [
      "a here-document is one command",
      `  4  ${TURN_MARK}\n  5  cat > f <<'EOF'\necho hello\n  12  lines\nEOF\n  6  . ./f\n  7  check\n`,
      ["cat > f <<'EOF'\necho hello\n  12  lines\nEOF", ". ./f"],
    ],
  ])("typedSinceMark: %s", (_name, history, want) => {
    expect(typedSinceMark(history)).toEqual(want);
  });

  it.each([
    ["found after echo noise", "echo stuff\n__RLP_n1 4242\n", { pid: 4242, before: "echo stuff\n" }],
    ["the last one counts", "__RLP_n1 1\n__RLP_n1 77\n", { pid: 77, before: "__RLP_n1 1\n" }],
    ["another nonce is not it", "__RLP_n2 5\n", undefined],
  ])("readPidLine: %s", (_name, text, want) => {
    expect(readPidLine(text, "__RLP_", "n1")).toEqual(want);
  });

  it("the check signal is an OSC sequence, and the take-back line never contains it literally", () => {
    expect(checkSignal("t0k")).toBe("\x1b]777;rootlab-check;t0k\x07");
    expect(takeBackLine("t0k")).not.toContain(checkSignal("t0k"));
  });

  for (const [name, path, pre] of shells) {
    it(`${name} runs the take-back line and prints the signal`, () => {
      const out = execFileSync(path, [...pre, "-c", takeBackLine("t0k")], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
      expect(out).toBe(checkSignal("t0k"));
    });

    it.each([0, 1, 126])(`${name}: the take-back keeps the learner's last exit status (%i), unexported`, (rc) => {
      // The learner's last command, then the take-back line (as \`check\` or Ctrl-] runs it), then the commands after it.
      const script = [`set -a; (exit ${rc})`, takeBackLine("t0k"), ...afterTakeBackCommands("__RLP_", "n1"), "env | grep -c __rl_rc || :"].join("\n");
      const out = execFileSync(path, [...pre, "-c", script], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
      expect(readLastStatus(out, "n1")).toBe(rc);
      expect(readPidLine(out, "__RLP_", "n1")?.before).not.toContain("__RLS_");
      expect(out.trimEnd().split("\n").at(-1)).toBe("0");
    });
  }

  it.each([
    ["in the lab's folder", "", "(rootlab host) ~lab # "],
    ["below it", "/root/bin", "(rootlab host) ~lab/root/bin # "],
    ["elsewhere", "/..", "(rootlab host) TMP # "],
  ])("bash's prompt shows the lab's folder as ~lab: %s", (_name, below, want) => {
    const lab = mkdtempSync(join(tmpdir(), "rlt8-prompt-"));
    try {
      mkdirSync(`${lab}${below}`, { recursive: true });
      const ps1 = handOverCommands({ label: "(rootlab host)", token: "t", term: "xterm" })[0]!;
      const script = `cd "$(realpath "${lab}${below}")"; BASH_VERSION=x; ${ps1}; printf '%s' "\${PS1@P}"`;
      const out = execFileSync("/bin/bash", ["-c", script], { encoding: "utf8", env: { ...process.env, LAB_DIR: realpathSync(lab) } });
      const root = process.getuid?.() === 0;
      expect(out).toBe(want.replace("TMP", realpathSync(tmpdir())).replace("#", root ? "#" : "$"));
    } finally {
      rmSync(lab, { recursive: true, force: true });
    }
  });
});

describe("plainText (a typed turn's output kept for the step's transcript)", () => {
  it.each([
    ["bracketed paste and CRLF", "\x1b[?2004h(rootlab box) / # echo hi\r\n\x1b[?2004l\rhi\r\n", "(rootlab box) / # echo hi\nhi\n"],
    ["backspaces", "ab\bc\n", "ac\n"],
    ["colours and the line editor's cursor query", "\x1b[6n\x1b[1;31mred\x1b[0m\n", "red\n"],
    ["a redraw after \\r keeps the longer line's tail", "hello world\rHELLO\n", "HELLO world\n"],
  ])("%s", (_name, raw, want) => {
    expect(plainText(raw)).toBe(want);
  });
  it.each([
    // bash's line editor at the right edge of a 10-column terminal: " \r" moves on to the next row.
    ["a command line wrapped by the line editor", "# 12345678 \rabc\r\nout\r\n", "# 12345678abc\nout\n"],
    ["a carriage return on the second row goes to that row's start", "0123456789abc\rXY\n", "0123456789XYc\n"],
    ["at the right edge (wrap pending) it stays on the row it filled", "0123456789\rX\n", "X123456789\n"],
  ])("with the terminal's width: %s", (_name, raw, want) => {
    expect(plainText(raw, 10)).toBe(want);
  });
});

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { blockScript, rawScript, shellQuote, statusMarker, type BlockFiles } from "../../src/exec/block-script.js";
import { StatusScanner } from "../../src/exec/status-line.js";
import { splitShell } from "../../src/shell/split.js";
import type { BlockMode } from "../../src/exec/block-script.js";

// Without a controlling terminal (setsid): a block script reopens /dev/tty when it lost its terminal, and these
// shells read a pipe.
const SHELLS: [string, string[]][] = [
  ["bash", ["setsid", "-w", "bash", "--noprofile", "--norc"]],
  ["dash", ["setsid", "-w", "dash"]],
  ["busybox ash", ["setsid", "-w", "busybox", "sh"]],
];

interface Expected {
  status: number;
  /** Failing line offset (L record), when the block failed at a known command. */
  line?: number;
  stdout: string;
  /** Exact stderr, or a pattern. */
  stderr?: string | RegExp;
}

/** [name, code, mode, expected, after]; `after` = [code, stdout] runs next in the same shell: what persisted. */
const CASES: [string, string, BlockMode, Expected, [string, string]?][] = [
  ["success", "echo a\necho b", "script", { status: 0, stdout: "a\nb\n" }],
  ["stops at the first failure", "echo a\n(exit 3)\necho never", "script", { status: 3, line: 1, stdout: "a\n" }],
  ["; splits commands", "echo a; false; echo never", "script", { status: 1, line: 0, stdout: "a\n" }],
  ["|| handles a failure", "false || echo handled\necho next", "script", { status: 0, stdout: "handled\nnext\n" }],
  ["&& stops at its first part", "false && echo no\necho never", "script", { status: 1, line: 0, stdout: "" }],
  ["stdin is empty", "cat\necho after", "script", { status: 0, stdout: "after\n" }],
  ["$? after a successful command is 0, as in a script", "wait\necho \"$?\"; true\necho \"$?\"", "script", { status: 0, stdout: "0\n0\n" }],
  ["here-document", "cat <<EOF\nx 'y' \"z\"\nEOF", "script", { status: 0, stdout: "x 'y' \"z\"\n" }],
  ["no trailing newline", "printf abc", "script", { status: 0, stdout: "abc" }],
  ["stderr", "echo oops >&2", "script", { status: 0, stdout: "", stderr: "oops\n" }],
  ["variables persist", "V=1", "script", { status: 0, stdout: "" }, ["echo V=$V", "V=1\n"]],
  ["check mode keeps nothing", "V=1; cd /", "check", { status: 0, stdout: "" }, ["echo V=$V; pwd", `V=\n${process.cwd()}\n`]],
  ["check mode reports lines", "true\n\nfalse", "check", { status: 1, line: 2, stdout: "" }],
  ["exit in check mode ends only the check", "exit 4", "check", { status: 4, stdout: "" }, ["echo alive", "alive\n"]],
  ["syntax error is status 2, shell survives", "echo 'open", "script", { status: 2, stdout: "", stderr: /./ }, ["echo alive", "alive\n"]],
  ["empty block", "", "script", { status: 0, stdout: "" }],
  ["trailing backslash", "echo a \\", "script", { status: 0, stdout: "a\n" }],
  ["quotes in the code", "echo \"it's\" '\"q\"'", "script", { status: 0, stdout: "it's \"q\"\n" }],
];

interface Ran {
  done: boolean;
  status: number;
  line: string | undefined;
  stdout: string;
  stderr: string;
}

/** Runs the blocks one after the other in one fresh shell; returns what each block wrote and its status line. */
function runBlocks(argv: string[], blocks: { code: string; mode: BlockMode; verbose?: boolean }[]): Ran[] {
  const dir = mkdtempSync(join(tmpdir(), "rl-block-"));
  try {
    const nonces = blocks.map((_b, i) => `t${i}x`);
    writeFileSync(`${dir}/in`, "");
    const files = nonces.map((n) => ({ stdin: `${dir}/in`, stdout: `${dir}/${n}.o`, stderr: `${dir}/${n}.e`, line: `${dir}/${n}.l` }));
    const input = blocks
      .map((b, i) => blockScript({ commands: splitShell(b.code).commands, nonce: nonces[i] as string, mode: b.mode, files: files[i] as BlockFiles, verbose: b.verbose ?? false }))
      .join("");
    const [cmd, ...args] = argv as [string, ...string[]];
    const proc = spawnSync(cmd, args, { input, encoding: "utf8", env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } });
    let out = proc.stdout;
    const read = (path: string) => (existsSync(path) ? readFileSync(path, "utf8") : "");
    return nonces.map((nonce, i) => {
      const scanner = new StatusScanner(statusMarker(nonce));
      scanner.push(out);
      out = scanner.leftover;
      const f = files[i] as BlockFiles;
      const line = scanner.result?.line ?? (read(f.line).trim() || undefined);
      return { done: scanner.result !== undefined, status: scanner.result?.status ?? -1, line: line === undefined ? undefined : String(line), stdout: read(f.stdout), stderr: read(f.stderr) };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.each(SHELLS)("block script in %s", (_shell, argv) => {
  it.each(CASES)("%s", (_name, code, mode, expected, after) => {
    const blocks = [{ code, mode }, ...(after ? [{ code: after[0], mode: "script" as const }] : [])];
    const [first, second] = runBlocks(argv, blocks);
    expect(first?.done).toBe(true);
    expect(first?.status).toBe(expected.status);
    expect(first?.stdout).toBe(expected.stdout);
    expect(first?.line).toBe(expected.line === undefined ? undefined : String(expected.line));
    if (expected.stderr instanceof RegExp) expect(first?.stderr).toMatch(expected.stderr);
    else expect(first?.stderr).toBe(expected.stderr ?? "");
    if (after) expect(second).toMatchObject({ done: true, status: 0, stdout: after[1] });
  });

  // Blocks that used to break the protocol: each must end with its own status, and the next block must still run.
  const TORTURE: [string, string, Partial<Ran>][] = [
    ["break at top level", "echo a; break; echo b", { status: 0, stdout: "a\nb\n" }],
    ["continue at top level", "echo a\ncontinue\necho b", { status: 0, stdout: "a\nb\n" }],
    ["exec 2>&1", "exec 2>&1\necho out; echo err >&2", { status: 0, stdout: "out\nerr\n", stderr: "" }],
    ["exec >file", "exec >/dev/null\necho gone", { status: 0, stdout: "" }],
    ["exec 3>&1 (bats style)", "exec 3>&1\necho via3 >&3", { status: 0, stdout: "via3\n" }],
    ["closing fds 0-9", "exec 0<&- 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-\necho still; exec 1>&- 2>&-", { status: 0, stdout: "still\n" }],
    ["exit in a subshell", "(exit 7)\necho never", { status: 7, stdout: "", line: "0" }],
    ["here-document with quoted delimiter", "cat <<E'O'F\n$HOME `x`\nEOF\necho after", { status: 0, stdout: "$HOME `x`\nafter\n" }],
    ["trap on EXIT does not fire between blocks", "trap 'echo bye' EXIT\necho set", { status: 0, stdout: "set\n" }],
    ["a function that returns 3", "f() { return 3; }\nf\necho never", { status: 3, stdout: "", line: "1" }],
    // A script echoes the lines it reads while verbose is on, none of rootlab's.
    ["set -v", "set -v\necho a\nset +v; false\necho never", { status: 1, stdout: "a\n", stderr: "echo a\nset +v; false\n" }],
    ["set -o verbose left on, then off", "set -o verbose\necho a; set +v\necho b", { status: 0, stdout: "a\nb\n", stderr: "echo a; set +v\n" }],
  ];
  it.each(TORTURE)("survives: %s", (_name, code, expected) => {
    const [first, second] = runBlocks(argv, [{ code, mode: "script" }, { code: "echo next", mode: "script" }]);
    expect(first).toMatchObject({ done: true, ...expected });
    expect(second).toMatchObject({ done: true, status: 0, stdout: "next\n", stderr: "" });
  });

  it("output a & job writes later stays in its own block's output", () => {
    const [first, second] = runBlocks(argv, [
      { code: "{ read -r _ </dev/null; echo early; sleep 0.1; echo late; } &\necho started", mode: "script" },
      { code: "wait\necho second", mode: "script" },
    ]);
    expect(first?.stdout).toContain("started\n");
    expect(second?.stdout).toBe("second\n");
    expect(first?.stdout).toContain("late\n");
  });

  it("exit at top level ends the shell: no status line, later blocks never run", () => {
    const [first, second] = runBlocks(argv, [{ code: "echo a\nexit 5", mode: "script" }, { code: "echo next", mode: "script" }]);
    expect(first).toMatchObject({ done: false, stdout: "a\n" });
    expect(second?.done).toBe(false);
  });

  it("set -e ends the shell at a failing command (as in a terminal); the flags say it was on", () => {
    const [first, second] = runBlocks(argv, [{ code: "set -e", mode: "script" }, { code: "echo a\nfalse\necho b", mode: "script" }]);
    expect(first).toMatchObject({ done: true, status: 0 });
    expect(second).toMatchObject({ done: false, stdout: "a\n" });
  });

  it("set -u and an unset variable: the block fails or the shell ends (as sh does), never a hang", () => {
    const [first] = runBlocks(argv, [{ code: "set -u\necho \"$NOPE_RL\"\necho never", mode: "script" }]);
    expect(first?.stdout).toBe("");
    expect(first?.stderr).toMatch(/NOPE_RL/);
    if (first?.done) expect(first.status).not.toBe(0);
  });

  it("a failing check does not trip the session's set -e", () => {
    const [, check, after] = runBlocks(argv, [{ code: "set -e", mode: "script" }, { code: "false", mode: "check" }, { code: "echo alive", mode: "script" }]);
    expect(check).toMatchObject({ done: true, status: 1, line: "0" });
    expect(after).toMatchObject({ done: true, stdout: "alive\n" });
  });
});

describe("verbose left on by the last block", () => {
  it.each(SHELLS)("%s: the next block's lines are echoed as a script's, rootlab's are not", (_shell, argv) => {
    const [, second] = runBlocks(argv, [
      { code: "set -v", mode: "script" },
      { code: "echo b\nset +v\necho c", mode: "script", verbose: true },
    ]);
    expect(second).toMatchObject({ done: true, status: 0, stdout: "b\nc\n", stderr: "echo b\nset +v\n" });
  });
});

describe("a DEBUG trap (bash) runs before the block's own commands only, as in a script", () => {
  it.each([
    ["trap 'echo x' DEBUG\necho a\ntrap - DEBUG", "x\na\nx\n"],
    ["trap 'echo x >&2' DEBUG\nfalse\ntrap - DEBUG", ""],
  ])("%j", (code, stdout) => {
    const [first, second] = runBlocks((SHELLS[0] as [string, string[]])[1], [{ code, mode: "script" }, { code: "trap - DEBUG", mode: "script" }]);
    expect(first).toMatchObject({ done: true, stdout });
    if (stdout === "") expect(first).toMatchObject({ status: 1, stderr: "x\n" });
    expect(second).toMatchObject({ done: true, status: 0 });
  });
});

describe("the text sent never contains its own status marker", () => {
  it("so a session that echoes its input cannot fake the end of a block", () => {
    const files = { stdin: "/i", stdout: "/o", stderr: "/e", line: "/l" };
    const text = blockScript({ commands: [{ text: "echo hi", line: 0 }], nonce: "abc", mode: "script", files });
    expect(text).not.toContain(statusMarker("abc"));
    expect(rawScript(["echo hi"], "abc")).not.toContain(statusMarker("abc"));
  });
});

describe("StatusScanner", () => {
  const M = statusMarker("n1");
  /** [name, chunks, result (status, line, flags, before) or undefined, leftover] */
  const SCANS: [string, string[], { status: number; line?: number; flags: string; ran: string; defs?: string; before: string } | undefined, string][] = [
    ["status in one chunk", [`${M} 0  hB 1\n`], { status: 0, flags: "hB", ran: "1", before: "" }, ""],
    ["the session's definitions there", [`${M} 0  hB 1 d\n`], { status: 0, flags: "hB", ran: "1", defs: "d", before: "" }, ""],
    ["the session's definitions unset by the block", [`${M} 0  hB 1 \n`], { status: 0, flags: "hB", ran: "1", defs: "", before: "" }, ""],
    ["with a failing line", [`${M} 3 2 ehB 1\n`], { status: 3, line: 2, flags: "ehB", ran: "1", before: "" }, ""],
    ["eval did not run the body", [`${M} 127  hB 0\n`], { status: 127, flags: "hB", ran: "0", before: "" }, ""],
    ["noise before it (trap output, raw block output)", [`1234\n${M} 0 - h -\n`], { status: 0, flags: "h", ran: "-", before: "1234\n" }, ""],
    ["split across chunks", ["x__R", "L_n1 4", ` 1 h 1\nrest`], { status: 4, line: 1, flags: "h", ran: "1", before: "x" }, "rest"],
    ["a succeeding block's last line is not a failing line", [`${M} 0,0 2 hB 1 d\n`], { status: 0, flags: "hB", ran: "1", defs: "d", before: "" }, ""],
    ["the stopping command's failure wins over the eval's status", [`${M} 0,5 1 hB 1 d\n`], { status: 5, line: 1, flags: "hB", ran: "1", defs: "d", before: "" }, ""],
    ["an eval that ended half-way: its status, not the last check's 0", [`${M} 2,0  hB  d\n`], { status: 2, flags: "hB", ran: "0", defs: "d", before: "" }, ""],
    ["no command checked (syntax error)", [`${M} 2,  hB  d\n`], { status: 2, flags: "hB", ran: "0", defs: "d", before: "" }, ""],
    ["bash's after-block function usable", [`${M} 0,0 1 hB 1 d1\n`], { status: 0, flags: "hB", ran: "1", defs: "d1", before: "" }, ""],
    ["another nonce is not it", [`${statusMarker("n2")} 0  h\n`], undefined, ""],
    ["no newline yet", [`${M} 0  h`], undefined, ""],
  ];
  it.each(SCANS)("%s", (_name, chunks, result, leftover) => {
    const s = new StatusScanner(M);
    for (const c of chunks) s.push(c);
    expect(s.result).toEqual(result);
    expect(s.leftover).toBe(leftover);
  });
});

describe("shellQuote", () => {
  it.each(["plain", "it's", "a b", "$(x) `y` \\n", ""])("round-trips %j through sh", (value) => {
    const out = spawnSync("sh", ["-c", `printf '%s' ${shellQuote(value)}`], { encoding: "utf8" }).stdout;
    expect(out).toBe(value);
  });
});

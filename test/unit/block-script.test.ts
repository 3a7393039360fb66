import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { blockScript, recordCommand, SentinelScanner, sentinelMarker, shellQuote } from "../../src/exec/block-script.js";
import { splitShell } from "../../src/shell/split.js";
import type { BlockMode } from "../../src/exec/block-script.js";

const SHELLS: [string, string[]][] = [
  ["bash", ["bash", "--noprofile", "--norc"]],
  ["dash", ["dash"]],
  ["busybox ash", ["busybox", "sh"]],
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

/** Runs the block (and `after`, as a second block) in a fresh shell; returns the parsed result of each. */
function runBlocks(argv: string[], blocks: { code: string; mode: BlockMode }[]) {
  const nonces = blocks.map((_b, i) => `t${i}x`);
  const input = blocks
    .map((b, i) => blockScript({ commands: splitShell(b.code).commands, nonce: nonces[i] as string, mode: b.mode }))
    .join("");
  const [cmd, ...args] = argv as [string, ...string[]];
  const proc = spawnSync(cmd, args, { input, encoding: "utf8", env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } });
  let out = proc.stdout;
  let err = proc.stderr;
  return nonces.map((nonce) => {
    const so = new SentinelScanner(sentinelMarker(nonce));
    const se = new SentinelScanner(sentinelMarker(nonce));
    const stdout = so.push(out);
    const stderr = se.push(err);
    out = so.leftover;
    err = se.leftover;
    return { done: so.done && se.done, status: Number(so.record("")), line: so.record("L"), stdout, stderr };
  });
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
});

describe("the text sent never contains its own sentinel", () => {
  it("so a session that echoes its input cannot fake the end of a block", () => {
    const text = blockScript({ commands: [{ text: "echo hi", line: 0 }], nonce: "abc", mode: "script" });
    expect(text).not.toContain(sentinelMarker("abc"));
    expect(recordCommand("abc", "J", '"$!"')).not.toContain(sentinelMarker("abc"));
  });
});

describe("SentinelScanner", () => {
  const M = sentinelMarker("n1");
  /** [name, chunks, emitted text, done, records, leftover] */
  const SCANS: [string, string[], string, boolean, string[], string][] = [
    ["sentinel in one chunk", [`out\n${M} 0\n`], "out\n", true, [" 0"], ""],
    ["output without newline before it", [`abc${M} 3\n`], "abc", true, [" 3"], ""],
    ["marker split across chunks", ["abc__R", "L_n", `1 0\nrest`], "abc", true, [" 0"], "rest"],
    ["partial marker that was not one", ["x__RL_", "y\n"], "x__RL_y\n", false, [], ""],
    ["record before the end", [`a${M}L 2\nb${M} 1\n`], "ab", true, ["L 2", " 1"], ""],
    ["stderr sentinel", [`e\n${M}\n`], "e\n", true, [""], ""],
    ["other nonce passes through", [`${sentinelMarker("n2")} 0\n`], `${sentinelMarker("n2")} 0\n`, false, [], ""],
    ["record without its newline yet", [`a${M} 0`], "a", false, [], ""],
  ];
  it.each(SCANS)("%s", (_name, chunks, text, done, records, leftover) => {
    const s = new SentinelScanner(M);
    const emitted = chunks.map((c) => s.push(c)).join("");
    expect(emitted).toBe(text);
    expect(s.done).toBe(done);
    expect(s.records).toEqual(records);
    expect(s.leftover).toBe(leftover);
  });
});

describe("shellQuote", () => {
  it.each(["plain", "it's", "a b", "$(x) `y` \\n", ""])("round-trips %j through sh", (value) => {
    const out = spawnSync("sh", ["-c", `printf '%s' ${shellQuote(value)}`], { encoding: "utf8" }).stdout;
    expect(out).toBe(value);
  });
});

// Malformed input, through the real CLI (issue: malformed inputs). Every row is a file or a command line an
// outside reviewer could type; each must end with the README's exit code (2: invalid lab or usage) and a message
// that says what failed, where (file:line:col for files) and what was expected — never a stack trace, never a
// hang (each run has a deadline), never "internal error". Lab files: test/fixtures/malformed/labs/ plus the
// ones that cannot live in git (a named pipe, a symbolic-link loop, a 50 MB file, 10 000 steps), made here.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { spawn as spawnPty } from "@lydell/node-pty";
import { BIN, ROOT, runCli, type CliResult } from "../helpers/cli.js";
import { isRoot } from "../helpers/root.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/malformed/labs/", import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "rlt-malformed-cli-"));
const HEAD = "---\nformat: 1\nid: probe\ntitle: Probe\n---\n# Probe\n\nIntro.\n\n";

beforeAll(() => {
  execFileSync("mkfifo", [join(tmp, "pipe.md")]);
  mkdirSync(join(tmp, "folder.md"));
  symlinkSync("loop-b.md", join(tmp, "loop-a.md"));
  symlinkSync("loop-a.md", join(tmp, "loop-b.md"));
  writeFileSync(join(tmp, "50mb.md"), HEAD + "## S\n\n" + `${"word ".repeat(20)}\n`.repeat((50 * 1024 * 1024) / 101));
  writeFileSync(join(tmp, "long-line.md"), `${HEAD}## S\n\n${"x".repeat(100_000)}\n\n## What you learned\n\nNothing.\n`);
  writeFileSync(join(tmp, "steps-3000.md"), HEAD + Array.from({ length: 3000 }, (_, i) => `## Step ${i}\n\nText ${i}.\n`).join("\n"));
  writeFileSync(join(tmp, "with space ünï.md"), "# no front matter\n");
  writeFileSync(join(tmp, "new\nline.md"), "# no front matter\n");
  writeFileSync(join(tmp, "01-near.md"), `${HEAD}## S\n\nText.\n`);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Things a person must never see for their own mistake. */
function expectNoCrash(r: CliResult): void {
  const all = r.stdout + r.stderr;
  expect(all).not.toMatch(/internal error|\n\s+at .+:\d+:\d+\)?\n|Maximum call stack|ERR_[A-Z_]+|Unhandled/);
  expect(r.signal).toBeNull();
}

const fixture = (name: string) => join(FIXTURES, name);
/** lint shows a path under the current folder (the CLI runs in ROOT) relative to it, as editors link them. */
const shown = (path: string) => {
  const rel = relative(ROOT, path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
};
const made = (name: string) => join(tmp, name);

// [name, path, rule code, line:col] — lint prints `path:line:col  error  code`, exit 2.
const invalid: [string, string, string, string][] = [
  ["an empty file", fixture("empty.md"), "front-matter/missing", "1:1"],
  ["only front matter", fixture("only-front-matter.md"), "lab/no-steps", "4:1"],
  ["front matter never closed", fixture("front-matter-unclosed.md"), "front-matter/unclosed", "1:1"],
  ["YAML indented with a tab", fixture("yaml-tabs.md"), "front-matter/yaml", "5:1"],
  ["a duplicate key", fixture("duplicate-key.md"), "front-matter/duplicate-key", "4:1"],
  ["a billion-laughs alias bomb", fixture("yaml-bomb.md"), "front-matter/unknown-key", "4:1"],
  ["title: [1]", fixture("title-list.md"), "front-matter/wrong-type", "4:8"],
  ['requires: "x"', fixture("requires-string.md"), "front-matter/wrong-type", "4:11"],
  ["numbers where text is expected", fixture("numbers-for-text.md"), "front-matter/wrong-type", "3:5"],
  ["an unknown key", fixture("unknown-key.md"), "front-matter/unknown-key", "4:1"],
  ["an unknown key under requires", fixture("unknown-requires-key.md"), "front-matter/unknown-key", "5:3"],
  ["NUL bytes", fixture("nul-bytes.md"), "file/binary", "7:1"],
  ["invalid UTF-8", fixture("invalid-utf8.md"), "file/encoding", "7:1"],
  ["an unterminated code fence", fixture("unterminated-fence.md"), "fence/unclosed", "7:1"],
  ["exit=abc", fixture("exit-abc.md"), "fence/bad-exit", "7:7"],
  ["timeout=-1", fixture("timeout-negative.md"), "fence/bad-timeout", "7:7"],
  ["timeout=1e309", fixture("timeout-1e309.md"), "fence/bad-timeout", "7:7"],
  ["an attribute given twice", fixture("duplicate-attribute.md"), "fence/duplicate-attribute", "7:14"],
  ["an unknown attribute", fixture("unknown-attribute.md"), "fence/unknown-attribute", "7:7"],
  ["a unicode attribute name", fixture("unicode-attribute.md"), "fence/unknown-attribute", "7:7"],
  ["expect= as an attribute", fixture("expect-equals.md"), "fence/malformed-attribute", "7:7"],
  ["a check with no lines", fixture("check-without-lines.md"), "check/unnamed", "8:1"],
  ["quotes nested 3000 deep", fixture("deep-quotes.md"), "markdown/too-deep", "9:1"],
  ["a list nested 700 deep", fixture("deep-list.md"), "markdown/too-deep", "49:1"],
  ["a named pipe", made("pipe.md"), "file/unreadable", "1:1"],
  ["a symbolic-link loop", made("loop-a.md"), "file/unreadable", "1:1"],
  ["a 50 MB file", made("50mb.md"), "file/too-large", "1:1"],
  ["a path with spaces and unicode", made("with space ünï.md"), "front-matter/missing", "1:1"],
  ["a missing file with a near name", made("01-naer.md"), "file/unreadable", "1:1"],
];

describe("rootlab lint on malformed lab files: exit 2, file:line:col, the rule, what was expected", () => {
  it.each(invalid)("%s", async (_name, path, code, at) => {
    const r = await runCli(["lint", path]);
    expectNoCrash(r);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stdout).toContain(`${shown(path)}:${at}  error  ${code}`);
    expect(r.stdout).toMatch(/\n {4}expected: \S/);
  });

  it("a path with a newline is shown quoted, on one line", async () => {
    const r = await runCli(["lint", made("new\nline.md")]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`${JSON.stringify(made("new\nline.md"))}:1:1  error  front-matter/missing`);
  });

  it("a folder named like a lab file is a folder of labs: it has none", async () => {
    const r = await runCli(["lint", made("folder.md")]);
    expectNoCrash(r);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no lab files \(\*\.md\) in .*folder\.md\.\nGive lab files or folders/);
  });

  it("the missing file's message names the near one", async () => {
    const r = await runCli(["lint", made("01-naer.md")]);
    expect(r.stdout).toContain(`the file does not exist (did you mean ${made("01-near.md")}?)`);
  });

  it.each([
    ["a 100 000-character line", "long-line.md"],
    ["3000 steps", "steps-3000.md"],
  ])("%s is read (warnings only, exit 0)", async (_name, file) => {
    const r = await runCli(["lint", made(file)]);
    expectNoCrash(r);
    expect(r.code, r.stdout.slice(-2000)).toBe(0);
  });
});

describe("show, verify and explain refuse the same files with the same words (exit 2, before anything runs)", () => {
  const commands = isRoot ? ["show", "verify", "explain"] : ["show"];
  // lab/no-steps and check/unnamed are lint's rules, not parse errors: documented not to stop a run
  // (docs/lab-format.md, "What rootlab verify guarantees"). The paths that are not files have their own rows.
  const rows = invalid.filter(([, path, code]) => !/pipe\.md|loop-a\.md|01-naer\.md/.test(path) && !/^(lab|check)\//.test(code));
  it.each(commands.flatMap((c) => rows.map(([name, path, code, at]) => [`${c}: ${name}`, c, path, code, at] as const)))("%s", async (_name, cmd, path, code, at) => {
    const r = await runCli([cmd, path]);
    expectNoCrash(r);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`${path}:${at}  error  ${code}`);
    expect(r.stdout).toBe("");
  });

  it.each<[string, string, RegExp]>([
    ["a named pipe", made("pipe.md"), /pipe\.md cannot be read as a lab: it is a named pipe \(FIFO\), not a file/],
    ["a folder", made("folder.md"), /folder\.md is a folder/],
    ["a symbolic-link loop", made("loop-a.md"), /symbolic link that leads back to itself/],
    ["a path with a typo", made("01-naer.md"), /does not exist \(did you mean .*01-near\.md\?\)/],
  ])("verify on %s: says what the path is", async (_name, path, message) => {
    const r = await runCli(["verify", path]);
    expectNoCrash(r);
    expect(r.code).toBe(isRoot ? 2 : 3);
    if (isRoot) expect(r.stderr).toMatch(message);
  });
});

describe("malformed command lines: exit 2 with the fix, or the documented behaviour", () => {
  const long = "a".repeat(100_000);
  it.each<[string, string[], number, RegExp]>([
    ["an unknown command", ["lnit"], 2, /unknown command "lnit" \(did you mean `lint`\?\)\.\nExpected one of: .*\nRun `node bin\/rootlab\.js --help`/],
    ["an unknown option", ["lint", "--formt", "json"], 2, /unknown option --formt for `rootlab lint` \(did you mean `--format`\?\)/],
    ["an unknown option far from any", ["vm", "up", "--memory", "4096"], 2, /unknown option --memory for `rootlab vm`\.\nRun `node bin\/rootlab\.js vm --help`/],
    ["an option without its value", ["lint", "--format"], 2, /--format <value> needs a value\.\nRun `node bin\/rootlab\.js lint --help`/],
    ["an option that does not exist (--timeout=abc)", ["verify", "chroot", "--timeout=abc"], 2, /unknown option --timeout for `rootlab verify`/],
    ["a bad value", ["verify", "--repeat", "abc", "chroot"], 2, /--repeat needs a whole number ≥ 1, got "abc"/],
    ["a value option given twice", ["show", "chroot", "--width", "30", "--width", "40"], 2, /--width is given twice \("30", then "40"\): give it once/],
    ["a flag given twice is harmless", ["show", "chroot", "--markdown", "--markdown"], 0, /^# chroot/],
    ["--help after -- is an argument", ["show", "--", "--help"], 2, /no lab "--help"/],
    ["--help before -- is help", ["show", "--help", "--"], 0, /^Usage: rootlab show/],
    ["a 100 000-character lab id", ["show", long], 2, /no lab "a{77}…": it is neither a file nor the id/],
    ["a 100 000-character option", ["lint", `--${long}`], 2, /unknown option --a{100,} for `rootlab lint`/],
    ["a lab path that is a folder", ["show", ROOT], 2, /is a folder; show prints one lab/],
    ["an id that is not a lab, near one", ["show", "chrot"], 2, /Did you mean "chroot"\?/],
    ["guided mode without a terminal", ["start", "chroot"], 2, /guided mode needs a terminal: stdin and stdout must both be a TTY.*\nTo run labs without a person at the keyboard, use `(node bin\/rootlab\.js|npx rootlab) verify/],
    ["the menu without a terminal", ["menu"], 2, /guided mode needs a terminal/],
    ["room serve --bind to a name that is no address here", ["room", "serve", "--bind", "nope.invalid", "--port", "0", "--data", join(tmp, "room.jsonl")], 2, /nope\.invalid is not an address of this machine: pass one of 127\.0\.0\.1, 0\.0\.0\.0/],
    ["room serve --port abc", ["room", "serve", "--port", "abc"], 2, /--port needs a port number \(0–65535\), got "abc"/],
    ["room serve on a port browsers refuse", ["room", "serve", "--port", "6000", "--data", join(tmp, "room.jsonl")], 2, /port 6000 is one that browsers and rootlab's runners refuse to connect to .*pick another with --port, e\.g\. 8080/],
  ])("%s", async (_name, args, code, message) => {
    const r = await runCli(args);
    expectNoCrash(r);
    expect(r.code, r.stderr).toBe(code);
    expect(code === 0 ? r.stdout : r.stderr).toMatch(message);
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ["FORCE_COLOR=1 on a pipe (FORCE_COLOR wins, as documented)", { FORCE_COLOR: "1" }, /\u001b\[1m/],
    ["FORCE_COLOR=abc (read as level 1, as chalk does)", { FORCE_COLOR: "abc" }, /\u001b\[1m/],
    ["COLUMNS=10 on a pipe (a pipe has no width: 80)", { COLUMNS: "10" }, /^chroot: a different root directory, and nothing more\n=+\n/],
    ["COLUMNS=abc", { COLUMNS: "abc" }, /^chroot: a different root directory/],
  ])("show with %s", async (_name, env, output) => {
    const r = await runCli(["show", "chroot"], { env: { ...env } });
    expectNoCrash(r);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(output);
  });
});

/** The CLI on a real terminal COLS wide; resolves with everything it printed and its exit code. */
function onTerminal(args: string[], cols: number, env: Record<string, string>): Promise<{ out: string; code: number }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !["NO_COLOR", "FORCE_COLOR"].includes(k))) as Record<string, string>;
  const pty = spawnPty(process.execPath, [BIN, ...args], { cols, rows: 30, cwd: ROOT, env: { ...base, TERM: "xterm-256color", ...env } });
  let out = "";
  pty.onData((d) => (out += d));
  return new Promise((resolve) => pty.onExit(({ exitCode }) => resolve({ out, code: exitCode })));
}

describe("on a terminal: narrow, colourless and dumb terminals", () => {
  it.each<[string, number, Record<string, string>, RegExp, RegExp | undefined]>([
    ["10 columns (narrower than show wraps: it wraps at 20)", 10, { NO_COLOR: "1" }, /chroot: a different\s+root directory/, /--width/],
    ["1 column", 1, { NO_COLOR: "1" }, /chroot: a different/, /--width/],
    ["80 columns in colour", 80, {}, /\u001b\[1m/, undefined],
    ["NO_COLOR", 80, { NO_COLOR: "1" }, /chroot: a different root directory/, /\u001b\[[0-9;]*m/],
    ["TERM=dumb", 80, { TERM: "dumb" }, /chroot: a different root directory/, /\u001b\[[0-9;]*m/],
  ])("show chroot at %s", async (_name, cols, env, present, absent) => {
    const r = await onTerminal(["show", "chroot"], cols, env);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(present);
    if (absent) expect(r.out).not.toMatch(absent);
  });
});

// Malformed input, round 3, through the real CLI (rounds 1-2: malformed-cli*.test.ts): YAML an outside tester
// writes to break the front matter (an alias to no anchor, a merge key, lists nested 5000 deep, a 900 KB title,
// `format: 2`, ids that are not text or not names), Markdown that hides or half-opens blocks (an unclosed HTML
// comment, a fence closed by another kind, 4-backtick and tilde fences, fences in lists, quotes and HTML),
// odd attributes, UTF-16 without and with a big-endian mark, Latin-1 and NUL in the front matter, 10 000 steps,
// a 900 KB shell line and heading, and paths: a dangling link, a sparse 10 GB file, a name starting with `-`,
// a file only root may read. Each gives the documented exit code (2: invalid lab or usage) and a message with
// what, where and what was expected — never a stack trace, never a hang (every run is bounded by the test's
// timeout), never a command run: `verify` and `start` refuse before anything runs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawn as spawnPty } from "@lydell/node-pty";
import { BIN, ROOT, runCli, type CliResult } from "../helpers/cli.js";
import { isRoot } from "../helpers/root.js";
import { unprivilegedCannotRun } from "../helpers/shared-fixtures.js";

const tmp = mkdtempSync(join(tmpdir(), "rlt11-malformed-cli3-"));
const FM = "---\nformat: 1\nid: probe\ntitle: Probe\nsummary: A probe.\nlevel: beginner\nduration: 5m\n---\n\n# Probe\n\nIntro.\n\n";
/** A lab with one step (its heading on line 14, its first fence on line 18) holding `body`. */
const lab = (body: string) => `${FM}## 1. Step\n\nText.\n\n${body}\n`;
/** A lab whose front matter (from line 2) is `head`. */
const fm = (head: string) => `---\n${head}\n---\n\n# Probe\n\nIntro.\n\n## 1. Step\n\nText.\n\n\`\`\`sh\necho hi\n\`\`\`\n`;
/** What a block of these labs would leave if it ran: no row may create it. */
const RAN = join(tmp, "ran");
const RUNS = `touch ${RAN}`;

const files: Record<string, string | Buffer> = {
  "format-2.md": fm("format: 2\nid: probe\ntitle: Probe"),
  "format-1.5.md": fm("format: 1.5\nid: probe\ntitle: Probe"),
  "id-number.md": fm("format: 1\nid: 12\ntitle: Probe"),
  "id-map.md": fm("format: 1\nid: {a: 1}\ntitle: Probe"),
  "id-path.md": fm("format: 1\nid: ../../etc/passwd\ntitle: Probe"),
  "alias-to-nothing.md": fm("format: 1\nid: probe\ntitle: *nope"),
  "merge-key.md": fm("format: 1\nbase: &b {id: probe}\n<<: *b\ntitle: Probe"),
  "nested-5000.md": fm(`format: 1\nid: probe\ntitle: Probe\nrequires: ${"[".repeat(5000)}${"]".repeat(5000)}`),
  "title-900k.md": fm(`format: 1\nid: probe\ntitle: ${"t".repeat(900_000)}`),
  "yaml-list.md": fm("- format: 1\n- id: probe"),
  "only-dashes.md": "---\n",
  "comment-unclosed.md": lab(`<!-- a note never closed\n\n\`\`\`sh\n${RUNS}\n\`\`\``),
  "tilde-closed-by-backticks.md": lab(`~~~sh\n${RUNS}\n\`\`\``),
  "closed-by-longer.md": lab(`\`\`\`sh\n${RUNS}\n\`\`\`\`\``),
  "backticks-inside-4.md": lab(`\`\`\`\`sh\n${RUNS}\n\`\`\`\necho b\n\`\`\`\``),
  "verify-in-list.md": lab(`- item\n\n  \`\`\`sh verify\n  ${RUNS}\n  \`\`\``),
  "session-quoted.md": lab(`\`\`\`sh session="a b"\n${RUNS}\n\`\`\``),
  "session-path.md": lab(`\`\`\`sh session=../x\n${RUNS}\n\`\`\``),
  "exit-256.md": lab(`\`\`\`sh exit=256\n${RUNS}\n\`\`\``),
  "timeout-0.md": lab(`\`\`\`sh timeout=0\n${RUNS}\n\`\`\``),
  "attribute-equals.md": lab(`\`\`\`sh =\n${RUNS}\n\`\`\``),
  "attributes-2000.md": lab(`\`\`\`sh ${Array.from({ length: 2000 }, (_, i) => `k${i}=v`).join(" ")}\n${RUNS}\n\`\`\``),
  "utf16be-bom.md": Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(lab(`\`\`\`sh\n${RUNS}\n\`\`\``), "utf16le").swap16()]),
  "utf16le-no-bom.md": Buffer.from(lab(`\`\`\`sh\n${RUNS}\n\`\`\``), "utf16le"),
  "latin1-front-matter.md": Buffer.concat([Buffer.from("---\nformat: 1\nid: probe\ntitle: Caf"), Buffer.from([0xe9]), Buffer.from(`\n---\n# P\n\n## S\n\n\`\`\`sh\n${RUNS}\n\`\`\`\n`)]),
  "nul-front-matter.md": `---\nformat: 1\nid: pro\0be\ntitle: P\n---\n# P\n\n## S\n\n\`\`\`sh\n${RUNS}\n\`\`\`\n`,
  "-dash.md": lab("```sh\necho hi\n```"),
  // Read, not refused: warnings at most, exit 0, in bounded time.
  "steps-10000.md": FM + Array.from({ length: 10_000 }, (_, i) => `## Step ${i}\n\nText ${i}.\n\n\`\`\`sh\necho ${i}\n\`\`\`\n`).join("\n"),
  "emoji-heading.md": `${FM}## 🚀\n\nText.\n\n\`\`\`sh\necho hi\n\`\`\`\n`,
  "no-blocks.md": `${FM}## 1. Words only\n\nJust words.\n`,
  "tilde-fence.md": lab("~~~sh\necho tilde\n~~~"),
  "shown-4-backticks.md": lab("````text\n```sh\necho inner\n```\n````"),
  "fence-in-quote.md": lab("> ```sh\n> echo quoted\n> ```"),
  "fence-in-html.md": lab("<div>\n```sh\necho hidden\n```\n</div>"),
  "expect-regex.md": lab("```sh\necho hi\n```\n\n```text expect\n^h.*$\n(a|b)+[\n```"),
  "shell-line-900k.md": lab(`\`\`\`sh\necho ${"x".repeat(900_000)}\n\`\`\``),
  "heading-900k.md": `${FM}## ${"h".repeat(900_000)}\n\nText.\n`,
};

beforeAll(() => {
  chmodSync(tmp, 0o755); // the non-root row reads from here
  for (const [name, content] of Object.entries(files)) writeFileSync(join(tmp, name), content);
  symlinkSync("nowhere.md", join(tmp, "dangling.md"));
  execFileSync("truncate", ["-s", "10G", join(tmp, "sparse-10g.md")]);
  writeFileSync(join(tmp, "root-only.md"), lab("```sh\necho hi\n```"), { mode: 0o600 });
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function expectNoCrash(r: CliResult): void {
  expect(r.stdout + r.stderr).not.toMatch(/internal error|internal\/parser|\n\s+at .+:\d+:\d+\)?\n|call stack|ERR_[A-Z_]+|Unhandled|RangeError|TypeError/);
  expect(r.signal).toBeNull();
}
const at = (name: string) => join(tmp, name);
/** No block ran (removed when one did: each row answers for itself). */
function expectNothingRan(): void {
  const ran = existsSync(RAN);
  rmSync(RAN, { force: true });
  expect(ran, "a block ran").toBe(false);
}

// [file, `line:col  error  code` lint prints, what the message must say]
const invalid: [string, string, RegExp][] = [
  ["format-2.md", "2:9  error  front-matter/format-too-new", /needs lab format 2.*upgrade rootlab/],
  ["format-1.5.md", "2:9  error  front-matter/bad-format", /whole number from 1, not 1\.5/],
  ["id-number.md", "3:5  error  front-matter/wrong-type", /`id` must be text/],
  ["id-map.md", "3:5  error  front-matter/wrong-type", /`id` must be text/],
  ["id-path.md", "3:5  error  front-matter/bad-id", /lowercase letters, digits and dashes/],
  // The library parsed it without an error and left title empty: the lab passed lint with no title.
  ["alias-to-nothing.md", "4:8  error  front-matter/yaml", /`\*nope` refers to no anchor/],
  ["merge-key.md", "4:1  error  front-matter/unknown-key", /unknown key `<<`/],
  // The parser's own "Maximum call stack size exceeded" was shown to the user.
  ["nested-5000.md", "5:797  error  front-matter/yaml", /nests lists or maps deeper than the YAML parser can follow\n/],
  ["title-900k.md", "1:1  error  front-matter/too-long", /at most 500 lines, 64 KiB/],
  ["yaml-list.md", "2:1  error  front-matter/not-a-map", /set of `key: value` lines/],
  ["only-dashes.md", "1:1  error  front-matter/unclosed", /never closed/],
  // It hid the rest of the file, block and all, without a word.
  ["comment-unclosed.md", "18:1  error  markdown/unclosed-comment", /never closed, so the rest of the file \(5 lines\) is inside it/],
  ["tilde-closed-by-backticks.md", "18:1  error  fence/unclosed", /opened here with ~~~ is never closed/],
  ["closed-by-longer.md", "18:1  error  fence/not-closed", /not closed before line 20/],
  ["verify-in-list.md", "20:3  error  fence/nested", /inside a list item/],
  ["session-quoted.md", "18:7  error  fence/bad-session-name", /is not a session name/],
  ["session-path.md", "18:7  error  fence/bad-session-name", /"\.\.\/x" is not a session name/],
  ["exit-256.md", "18:7  error  fence/bad-exit", /from 0 to 255/],
  ["timeout-0.md", "18:7  error  fence/bad-timeout", /has no unit/],
  ["attribute-equals.md", "18:7  error  fence/malformed-attribute", /not a key=value attribute/],
  ["attributes-2000.md", "18:7  error  fence/unknown-attribute", /unknown attribute `k0`/],
  // "contains NUL bytes: it is not a text file" said nothing of what the file is or how to convert it.
  ["utf16be-bom.md", "1:1  error  file/binary", /UTF-16 or UTF-32 text.*\n {4}expected: .*iconv -f UTF-16 -t UTF-8/],
  ["utf16le-no-bom.md", "1:1  error  file/binary", /UTF-16 or UTF-32 text/],
  ["latin1-front-matter.md", "4:1  error  file/encoding", /not valid UTF-8 here/],
  ["nul-front-matter.md", "3:1  error  file/binary", /contains NUL bytes/],
  ["sparse-10g.md", "1:1  error  file/too-large", /10240\.0 MiB/],
  // It said "the file does not exist (did you mean …/dangling.md?)", naming the link itself.
  ["dangling.md", "1:1  error  file/unreadable", /symbolic link to nowhere\.md, which does not exist/],
];

/**
 * Errors of lint's own rules, not of parsing: documented not to stop `show` or a run (docs/lab-format.md, "What
 * rootlab verify guarantees"), so these labs are only linted here (their blocks would run under verify).
 */
const lintOnly: [string, string, RegExp][] = [["backticks-inside-4.md", "20:1  error  block/incomplete", /command substitution/]];

describe("rootlab lint: exit 2, file:line:col, the rule, what was expected", () => {
  it.each([...invalid, ...lintOnly])("%s", async (name, diagnostic, message) => {
    const r = await runCli(["lint", at(name)]);
    expectNoCrash(r);
    expect(r.code, r.stdout.slice(0, 2000)).toBe(2);
    const line = r.stdout.split("\n").find((l) => l.startsWith(`${at(name)}:${diagnostic}`));
    expect(line, r.stdout.slice(0, 2000)).toBeDefined();
    expect(r.stdout).toMatch(message);
    expect(r.stdout).toMatch(/\n {4}expected: \S/);
    expect(r.stdout).not.toContain("did you mean");
  });
});

describe("show and verify refuse the same files with the same words, and run nothing", () => {
  const commands = isRoot ? ["show", "verify"] : ["show"];
  it.each(commands.flatMap((c) => invalid.map(([name, diagnostic]) => [`${c} ${name}`, c, name, diagnostic] as const)))("%s", async (_name, cmd, name, diagnostic) => {
    const r = await runCli([cmd, at(name)]);
    expectNoCrash(r);
    expect(r.code, r.stderr.slice(0, 2000)).toBe(2);
    if (name === "dangling.md") expect(r.stderr).toMatch(/cannot be read as a lab: it is a symbolic link to nowhere\.md, which does not exist/);
    else expect(r.stderr).toContain(`${at(name)}:${diagnostic}`);
    expect(r.stdout).toBe("");
    expectNothingRan();
  });
});

/** `rootlab start` on a real terminal: its output and exit code. */
function startOnTerminal(path: string): Promise<{ out: string; code: number }> {
  const pty = spawnPty(process.execPath, [BIN, "start", path], { cols: 80, rows: 30, cwd: ROOT, env: { ...process.env, NO_COLOR: "1", ROOTLAB_DISPOSABLE: "1" } as Record<string, string> });
  let out = "";
  pty.onData((d) => (out += d));
  return new Promise((resolve) => pty.onExit(({ exitCode }) => resolve({ out, code: exitCode })));
}

describe.skipIf(!isRoot)("rootlab start on a terminal refuses them before the first step", () => {
  it.each(["alias-to-nothing.md", "comment-unclosed.md", "utf16be-bom.md", "closed-by-longer.md"])("%s", async (name) => {
    const r = await startOnTerminal(at(name));
    expect(r.code, r.out).toBe(2);
    expect(r.out).toMatch(/invalid lab file \(1 error\)/);
    expect(r.out).not.toMatch(/\n\s+at .+:\d+:\d+\)?\r?\n/);
    expectNothingRan();
  }, 30_000);
});

describe("read, not refused: exit 0, no crash, in bounded time", () => {
  it.each<[string, string[], RegExp]>([
    ["10 000 steps", ["lint", at("steps-10000.md")], /0 errors/],
    ["a heading of only an emoji", ["lint", at("emoji-heading.md")], /step "🚀"/],
    ["a step with no blocks", ["lint", at("no-blocks.md")], /0 errors, 0 warnings/],
    ["a tilde fence is a block", ["show", at("tilde-fence.md")], /echo tilde/],
    ["a 4-backtick text block shows the fence inside it", ["show", at("shown-4-backticks.md")], /```sh\n.*echo inner\n.*```/],
    ["a fence in a quote is shown, not run", ["show", at("fence-in-quote.md")], /echo quoted/],
    ["a fence inside an HTML block is HTML", ["lint", at("fence-in-html.md")], /0 errors/],
    ["an expected output that looks like a regular expression", ["lint", at("expect-regex.md")], /0 errors/],
  ])("%s", async (_name, args, output) => {
    const r = await runCli(args);
    expectNoCrash(r);
    expect(r.code, r.stdout.slice(-2000) + r.stderr).toBe(0);
    expect(r.stdout).toMatch(output);
  }, 30_000);

  // Each took minutes: string-width per character, and the shell wrapper copying the rest of the line per cut.
  it.each([
    ["a 900 KB shell line", "shell-line-900k.md", "xxxxxxxx"],
    ["a 900 KB heading", "heading-900k.md", "hhhhhhhh"],
  ])("show %s ends in seconds, every character shown", async (_name, file, sample) => {
    const r = await runCli(["show", at(file), "--width", "80"]);
    expectNoCrash(r);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(sample);
    expect(r.stdout.split("\n").every((l) => l.length <= 80)).toBe(true);
  }, 20_000);
});

describe("paths", () => {
  it.each(["lint", "show", "verify"])("%s -dash.md: says how to give a path that starts with -", async (cmd) => {
    const r = await runCli([cmd, "-dash.md"], { cwd: tmp });
    expectNoCrash(r);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option -d for `rootlab \w+`\.\n-dash\.md is a file here: write \.\/-dash\.md \(or put -- before it\) to give it as a path\./);
  });

  it("lint ./-dash.md reads it", async () => {
    const r = await runCli(["lint", "./-dash.md"], { cwd: tmp });
    expectNoCrash(r);
    expect(r.code, r.stdout).toBe(0);
  });

  // Runs the CLI as an ordinary user: impossible from a checkout other users cannot enter (a clone in root's home).
  const nobodyCannot = isRoot ? unprivilegedCannotRun(BIN) : undefined;
  it.skipIf(!isRoot || nobodyCannot)(`a file only root may read, linted as nobody: permission denied, with the fix${nobodyCannot ? ` [skipped: ${nobodyCannot}]` : ""}`, () => {
    const r = spawnSync("setpriv", ["--reuid", "65534", "--regid", "65534", "--clear-groups", process.execPath, BIN, "lint", at("root-only.md")], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, timeout: 20_000 });
    expect(r.status, r.stdout + r.stderr).toBe(2);
    expect(r.stdout).toContain(`${at("root-only.md")}:1:1  error  file/unreadable  cannot read the lab file: permission denied`);
    expect(r.stdout).toMatch(/chmod a\+r/);
  });
});

// Malformed input, round 2, through the real CLI: files an outside tester makes by hand or by accident — a byte
// order mark, CRLF or CR-only line endings, UTF-16, overlong UTF-8, a block that never closes its quote or
// here-document, a zero-width space in a fence's info string, contradictory attributes, a 200 000-line expected
// output, a 32 000-character shell line. Each gives the documented exit code and a message with file:line — never
// a stack trace, never a hang. `show` is here because it renders what lint only reads (it overflowed the stack on
// a long expect block, and took minutes to wrap a long shell line). Only `lint` and `show` run: nothing executes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli, type CliResult } from "../helpers/cli.js";

const tmp = mkdtempSync(join(tmpdir(), "rlt-malformed-cli2-"));
const FM = "---\nformat: 1\nid: probe\ntitle: Probe\nsummary: A probe.\nlevel: beginner\nduration: 5m\n---\n\n# Probe\n\nIntro.\n\n";
/** A lab with one step (its heading on line 14, its first fence on line 18) holding `body`. */
const lab = (body: string) => `${FM}## 1. Step\n\nText.\n\n${body}\n`;
const PLAIN = lab("```sh\necho hi\n```\n\n```text expect\nhi\n```");

const files: Record<string, string | Buffer> = {
  "plain.md": PLAIN,
  "bom.md": `\uFEFF${PLAIN}`,
  "crlf.md": PLAIN.replace(/\n/g, "\r\n"),
  "cr-only.md": PLAIN.replace(/\n/g, "\r"),
  "utf16.md": Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(PLAIN, "utf16le")]),
  "overlong.md": Buffer.concat([Buffer.from(PLAIN), Buffer.from([0xc0, 0xaf, 0x0a])]),
  "quote-open.md": lab("```sh\necho hi\necho 'the end of the line\n```"),
  "heredoc-open.md": lab("```sh\ncat <<EOF\nhello\n```"),
  "if-open.md": lab("```sh\nif true; then\n  echo hi\n```"),
  "quote-open-exit.md": lab("```sh exit=2\necho 'the end of the line\n```"),
  "zero-width-info.md": lab("```sh\u200b verify\n# ok\ntrue\n```"),
  "session-empty.md": lab("```sh session=\ntrue\n```"),
  "two-roles.md": lab("```sh verify setup\ntrue\n```"),
  "retry-1e309.md": lab("```sh verify retry=1e309\n# ok\ntrue\n```"),
  "expect-after-check.md": lab("```sh verify\n# ok\necho hi\n```\n\n```text expect\nhi\n```"),
  "huge-expect.md": lab(`\`\`\`sh\necho hi\n\`\`\`\n\n\`\`\`text expect\n${"line\n".repeat(200_000)}\`\`\``),
  "long-shell-line.md": lab(`\`\`\`sh\necho ${"$(".repeat(8000)}x${")".repeat(8000)}\n\`\`\``),
};

beforeAll(() => {
  for (const [name, content] of Object.entries(files)) writeFileSync(join(tmp, name), content);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function expectNoCrash(r: CliResult): void {
  expect(r.stdout + r.stderr).not.toMatch(/internal error|\n\s+at .+:\d+:\d+\)?\n|Maximum call stack|ERR_[A-Z_]+|Unhandled|RangeError|TypeError/);
  expect(r.signal).toBeNull();
}

/** The diagnostics lint prints for a file, as `line:col severity code`. */
async function lintOf(name: string): Promise<{ r: CliResult; found: string[] }> {
  const r = await runCli(["lint", join(tmp, name)]);
  expectNoCrash(r);
  const found = [...r.stdout.matchAll(/^\S+?:(\d+:\d+) {2}(error|warning) {2}(\S+)/gm)].map((m) => `${m[1]} ${m[2]} ${m[3]}`);
  return { r, found };
}

describe("line endings and byte order marks read like the plain file: same diagnostics, same lines", () => {
  it.each(["bom.md", "crlf.md", "cr-only.md"])("%s", async (name) => {
    const plain = await lintOf("plain.md");
    const other = await lintOf(name);
    expect(plain.found.length).toBeGreaterThan(0);
    expect(other.found).toEqual(plain.found);
    expect(other.r.code).toBe(plain.r.code);
  });
});

// [file, exit code, `line:col severity code` that must be printed]
const rows: [string, number, string][] = [
  ["utf16.md", 2, "1:1 error file/binary"],
  ["overlong.md", 2, "25:1 error file/encoding"],
  ["quote-open.md", 2, "20:1 error block/incomplete"],
  ["heredoc-open.md", 2, "19:1 error block/incomplete"],
  ["if-open.md", 2, "19:1 error block/incomplete"],
  ["zero-width-info.md", 2, "18:4 error fence/bad-lang"],
  ["session-empty.md", 2, "18:7 error fence/malformed-attribute"],
  ["two-roles.md", 2, "18:14 error fence/two-roles"],
  ["retry-1e309.md", 2, "18:14 error fence/bad-retry"],
  ["expect-after-check.md", 2, "23:1 error expect/no-command"],
];

describe("rootlab lint: the documented exit code, file:line:col, the rule, what was expected", () => {
  it.each(rows)("%s", async (name, code, diagnostic) => {
    const { r, found } = await lintOf(name);
    expect(r.code, r.stdout + r.stderr).toBe(code);
    expect(found).toContain(diagnostic);
    expect(r.stdout).toMatch(/\n {4}expected: \S/);
  });

  it("a block written to fail (exit=2) may end inside a quote: no block/incomplete", async () => {
    const { found } = await lintOf("quote-open-exit.md");
    expect(found.filter((d) => d.endsWith("block/incomplete"))).toEqual([]);
  });
});

describe("rootlab show renders what it cannot be fooled by (exit 0, no crash, no hang)", () => {
  it("a 200 000-line expected output", async () => {
    const r = await runCli(["show", join(tmp, "huge-expect.md")]);
    expectNoCrash(r);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split("\n").filter((l) => l.trim() === "line").length).toBe(200_000);
  });

  // Wrapping measured the whole rest of the line at every place it tried (hours for this line); now it ends.
  it("a 32 000-character shell line, wrapped the shell's way", async () => {
    const r = await runCli(["show", join(tmp, "long-shell-line.md"), "--width", "80"]);
    expectNoCrash(r);
    expect(r.code, r.stderr).toBe(0);
    const code = r.stdout.split("\n").filter((l) => l.includes("$($("));
    expect(code.length).toBeGreaterThan(150);
    expect(code.every((l) => l.length <= 80)).toBe(true);
  }, 60_000);
});

// Malformed input, round 6, through the real CLI (rounds 1-4: malformed-cli*.test.ts): a block that is never closed
// because its closing line has text after the backticks (```` ``` verify ````), is shorter than the opening
// (```` ```` ```` … ```` ``` ````) or is of the other kind (~~~ … ```), each named with the line that fails to close it; an
// opening run of 100 000 backticks or tildes (the message printed it whole: 200 KB); an info string of 20 000
// attributes (3.4 MB of errors); and shell text that blew up the gate itself: a chain of variables each doubling the
// one before (`v2=$v1$v1` …: "internal error: RangeError: Invalid string length" and a stack trace, exit 70), and
// `x+=$x` forty times (2^40 values: out of memory after 45 s). Each now gives exit 2, file:line, what was expected, in
// a message of a few hundred bytes — never a stack trace, never a hang, never a block run.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli, type CliResult } from "../helpers/cli.js";
import { isRoot } from "../helpers/root.js";

const tmp = mkdtempSync(join(tmpdir(), "rlt-malformed-cli6-"));
const FM = "---\nformat: 1\nid: probe\ntitle: Probe\nsummary: A probe.\nlevel: beginner\nduration: 5m\n---\n\n# Probe\n\nIntro.\n\n";
/** A lab with one step (its heading on line 14, its first fence on line 18) holding `body`. */
const lab = (body: string) => `${FM}## 1. Step\n\nText.\n\n${body}\n\nDone.\n`;
/** What a block of these labs would leave if it ran: no row may create it. */
const RAN = join(tmp, "ran");
const RUNS = `touch ${RAN}`;
const doubling = ["v0=rlt6-x", ...Array.from({ length: 40 }, (_, i) => `v${i + 1}=$v${i}$v${i}`), "echo $v40"].join("\n");

const files: Record<string, string> = {
  "closing-with-text.md": lab(`\`\`\`sh\n${RUNS}\n\`\`\` verify`),
  "closing-shorter.md": lab(`\`\`\`\`sh\n${RUNS}\n\`\`\``),
  "tilde-closed-by-backticks.md": lab(`~~~sh\n${RUNS}\n\`\`\``),
  "huge-backtick-run.md": lab("`".repeat(100_000)),
  "huge-tilde-run.md": lab(`${"~".repeat(100_000)}sh\n${RUNS}`),
  "info-of-20000-words.md": lab(`\`\`\`sh ${"timeout=1s ".repeat(20_000)}\n${RUNS}\n\`\`\``),
  "doubling-variables.md": lab(`\`\`\`sh\n${doubling}\nip link set $v40 down\n${RUNS}\n\`\`\``),
  "append-doubling.md": lab(`\`\`\`sh\nx=rlt6\n${"x+=$x\n".repeat(40)}ip link set $x down\n${RUNS}\n\`\`\``),
};

beforeAll(() => {
  for (const [name, content] of Object.entries(files)) writeFileSync(join(tmp, name), content);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const at = (name: string) => join(tmp, name);
function expectNoCrash(r: CliResult): void {
  expect(r.stdout + r.stderr).not.toMatch(/internal error|\n\s+at .+:\d+:\d+\)?\n|call stack|ERR_[A-Z_]+|Unhandled|RangeError|TypeError|heap out of memory/);
  expect(r.signal).toBeNull();
}
function expectNothingRan(): void {
  const ran = existsSync(RAN);
  rmSync(RAN, { force: true });
  expect(ran, "a block ran").toBe(false);
}

// [file, `line:col  error  code` lint prints, what the message must say, at most this many bytes of output]
const invalid: [string, string, RegExp, number][] = [
  ["closing-with-text.md", "18:1  error  fence/unclosed", /line 20 \(``` verify\) does not close it, because a closing fence has nothing after its backticks\n {4}expected: a line of only ``` after the block's last line: if line 20 was meant to close the block, delete what follows/, 2000],
  ["closing-shorter.md", "18:1  error  fence/unclosed", /line 20 \(```\) does not close it, because it is shorter than the opening ````/, 2000],
  ["tilde-closed-by-backticks.md", "18:1  error  fence/unclosed", /line 20 \(```\) does not close it, because a block opened with tildes closes only with tildes/, 2000],
  ["huge-backtick-run.md", "18:1  error  fence/unclosed", /opened here with 100000 backticks is never closed/, 2000],
  ["huge-tilde-run.md", "18:1  error  fence/unclosed", /opened here with 100000 tildes is never closed/, 2000],
  ["info-of-20000-words.md", "18:4  error  fence/too-many-problems", /19994 more problems in this fence's info string are not listed \(19999 in all\)/, 6000],
  ["doubling-variables.md", "61:1  error  safety/unchecked", /the interface it changes, `\$v40`, is only known when the command runs/, 4000],
  ["append-doubling.md", "60:1  error  safety/unchecked", /the interface it changes, `\$x`, is only known when the command runs/, 4000],
];

describe("rootlab lint: exit 2, file:line:col, the rule, what was expected — in a few hundred bytes", () => {
  it.each(invalid)("%s", async (name, diagnostic, message, maxBytes) => {
    const r = await runCli(["lint", at(name)]);
    expectNoCrash(r);
    expect(r.code, r.stdout.slice(0, 2000)).toBe(2);
    expect(r.stdout.split("\n").find((l) => l.startsWith(`${at(name)}:${diagnostic}`)), r.stdout.slice(0, 2000)).toBeDefined();
    expect(r.stdout).toMatch(message);
    expect(r.stdout).toMatch(/\n {4}expected: \S/);
    expect(r.stdout.length + r.stderr.length, r.stdout.slice(0, 2000)).toBeLessThan(maxBytes);
  });
});

describe("verify refuses the same files, and runs nothing", () => {
  it.runIf(isRoot).each(invalid.map(([name, diagnostic]) => [name, diagnostic] as const))("verify %s", async (name, diagnostic) => {
    const r = await runCli(["verify", at(name)]);
    expectNoCrash(r);
    expect(r.code, r.stderr.slice(0, 2000)).toBe(2);
    expect(r.stderr).toContain(`${at(name)}:${diagnostic}`);
    expectNothingRan();
  });
});

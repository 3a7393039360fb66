// Malformed input, round 4, through the real CLI (rounds 1-3: malformed-cli*.test.ts): control characters that
// would reach the student's terminal (a raw ESC, BEL and an OSC window title in a heading, a C1 CSI, a form feed
// in a command, `title: "…\e[2J"` made by a YAML escape), a direction override inside a command (Trojan Source:
// shown in another order than it runs), a `## ` heading with no title, a backtick in a fence's info (```sh`x),
// a fence indented 4 spaces or a tab (an indented code block: shown, never run), a `%YAML` directive, and
// arguments that name no lab: `""`, blanks and `-`. Each gives the documented exit code (2: invalid lab or usage, or a warning under --strict-warnings; a warning alone: 0) and
// a message with what, where and what was expected — never a stack trace, never a hang, never a command run, and
// never the control character itself echoed to the terminal.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli, type CliResult } from "../helpers/cli.js";
import { isRoot } from "../helpers/root.js";

const tmp = mkdtempSync(join(tmpdir(), "rlt-malformed-cli4-"));
const FM = "---\nformat: 1\nid: probe\ntitle: Probe\nsummary: A probe.\nlevel: beginner\nduration: 5m\n---\n\n# Probe\n\nIntro.\n\n";
/** A lab with one step (its heading on line 14, its first fence on line 18) holding `body`. */
const lab = (body: string) => `${FM}## 1. Step\n\nText.\n\n${body}\n\nDone.\n`;
/** What a block of these labs would leave if it ran: no row may create it. */
const RAN = join(tmp, "ran");
const RUNS = `touch ${RAN}`;

const files: Record<string, string> = {
  "esc-in-heading.md": `${FM}## 1. St\u001b[31mep\u0007\n\nText \u001b]0;pwned\u0007 here.\n\n\`\`\`sh\n${RUNS}\n\`\`\`\n`,
  "csi-in-prose.md": lab(`Text \u009b2J here.\n\n\`\`\`sh\n${RUNS}\n\`\`\``),
  "form-feed-in-command.md": lab(`\`\`\`sh\necho a\fecho b; ${RUNS}\n\`\`\``),
  "escape-in-title.md": FM.replace("title: Probe", 'title: "Pro\\e[2Jbe"') + `## 1. Step\n\nText.\n\n\`\`\`sh\n${RUNS}\n\`\`\`\n`,
  "direction-override.md": lab(`\`\`\`sh\necho "safe\u202e ; ${RUNS} #"\n\`\`\``),
  "heading-without-title.md": `${FM}## \n\nText.\n\n\`\`\`sh\n${RUNS}\n\`\`\`\n`,
  "backtick-in-info.md": lab(`\`\`\`sh\`x\n${RUNS}\n\`\`\``),
  "yaml-directive.md": FM.replace("format: 1", "%YAML 1.1\nformat: 1") + `## 1. Step\n\nText.\n\n\`\`\`sh\n${RUNS}\n\`\`\`\n`,
  // Read, with a warning: the block is text.
  "fence-indented-4.md": lab(`    \`\`\`sh\n    ${RUNS}\n    \`\`\``),
  "fence-indented-tab.md": lab(`\t\`\`\`sh\n\t${RUNS}\n\t\`\`\``),
  // Must stay clean: direction marks in prose (right-to-left text), escapes written as text in a command.
  "rtl-prose.md": lab("Arabic: \u202bمرحبا\u202c.\n\n```sh\nprintf '\\033[1mbold\\033[0m\\n'\n```"),
};

beforeAll(() => {
  for (const [name, content] of Object.entries(files)) writeFileSync(join(tmp, name), content);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const at = (name: string) => join(tmp, name);
function expectNoCrash(r: CliResult): void {
  expect(r.stdout + r.stderr).not.toMatch(/internal error|internal\/parser|\n\s+at .+:\d+:\d+\)?\n|call stack|ERR_[A-Z_]+|Unhandled|RangeError|TypeError/);
  expect(r.signal).toBeNull();
  // The file's control characters are named (U+001B), never printed: the terminal stays the student's.
  expect(r.stdout + r.stderr).not.toMatch(/[\u0007\u009b]|\u001b[\]P]|\u001b\[2J/);
}
function expectNothingRan(): void {
  const ran = existsSync(RAN);
  rmSync(RAN, { force: true });
  expect(ran, "a block ran").toBe(false);
}

// [file, `line:col  error  code` lint prints, what the message must say]
const invalid: [string, string, RegExp][] = [
  // All four were read without a word, and show printed them to the terminal as they were.
  ["esc-in-heading.md", "14:9  error  file/control-character", /control character U\+001B \(ESC\) \(and 3 more\)/],
  ["csi-in-prose.md", "18:6  error  file/control-character", /U\+009B \(CSI\)/],
  ["form-feed-in-command.md", "19:7  error  file/control-character", /U\+000C \(FF\)/],
  ["escape-in-title.md", "4:8  error  front-matter/control-character", /`title` holds the control character U\+001B \(ESC\)/],
  // Shown as `echo "safe…"`, run as something else.
  ["direction-override.md", "19:11  error  block/direction-control", /invisible direction control U\+202E: the command shows in another order than the shell runs it/],
  // A step named "": an empty line in the menu, nothing to give --only.
  ["heading-without-title.md", "14:1  error  step/no-title", /heading has no title \(`##`\)/],
  // It said only "the block opened here with ``` is never closed", two lines below the slip.
  ["backtick-in-info.md", "18:1  error  fence/backtick-in-info", /this line is not a fence: after a ``` opening, a backtick/],
  // "Implicit keys need to be on a single line".
  ["yaml-directive.md", "2:1  error  front-matter/yaml", /`%YAML` is a YAML directive, which front matter cannot hold/],
];

describe("rootlab lint: exit 2, file:line:col, the rule, what was expected", () => {
  it.each(invalid)("%s", async (name, diagnostic, message) => {
    const r = await runCli(["lint", at(name)]);
    expectNoCrash(r);
    expect(r.code, r.stdout.slice(0, 2000)).toBe(2);
    expect(r.stdout.split("\n").find((l) => l.startsWith(`${at(name)}:${diagnostic}`)), r.stdout.slice(0, 2000)).toBeDefined();
    expect(r.stdout).toMatch(message);
    expect(r.stdout).toMatch(/\n {4}expected: \S/);
  });
});

describe("show and verify refuse the same files, and run nothing", () => {
  const commands = isRoot ? ["show", "verify"] : ["show"];
  it.each(commands.flatMap((c) => invalid.map(([name, diagnostic]) => [`${c} ${name}`, c, name, diagnostic] as const)))("%s", async (_name, cmd, name, diagnostic) => {
    const r = await runCli([cmd, at(name)]);
    expectNoCrash(r);
    expect(r.code, r.stderr.slice(0, 2000)).toBe(2);
    expect(r.stderr).toContain(`${at(name)}:${diagnostic}`);
    expect(r.stdout).toBe("");
    expectNothingRan();
  });
});

describe("a fence indented 4 spaces or a tab: a warning that it is text, never run", () => {
  it.each([
    ["fence-indented-4.md", "18:5"],
    ["fence-indented-tab.md", "18:2"],
  ])("%s", async (name, where) => {
    const r = await runCli(["lint", at(name)]);
    expectNoCrash(r);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${at(name)}:${where}  warning  fence/indented  this \`\`\`sh block is indented by 4 spaces or a tab`);
    expect((await runCli(["lint", "--strict-warnings", at(name)])).code).toBe(2);
  });
  it("rtl prose and escapes written as text stay clean", async () => {
    const r = await runCli(["lint", at("rtl-prose.md")]);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).not.toMatch(/control|direction|fence\/indented/);
  });
});

describe("arguments that name no lab say so", () => {
  it.each<[string, string[], RegExp]>([
    // lint printed ":1:1 … the file does not exist"; show "" said " is a folder" (the current one).
    ["lint \"\"", ["lint", ""], /an empty argument \(""\) where a lab file or id was expected: a variable in the command may be unset or empty/],
    ["show \"\"", ["show", ""], /^rootlab: an empty argument \(""\) where a lab file or id was expected/],
    ["show \"  \"", ["show", "  "], /an empty argument \(" {2}"\)/],
    ["lint -", ["lint", "-"], /`-` \(standard input\) is not a lab: rootlab reads labs from files/],
    ["show -", ["show", "-"], /^rootlab: `-` \(standard input\) is not a lab/],
    ...(isRoot ? [["verify \"\"", ["verify", ""], /an empty argument/] as [string, string[], RegExp]] : []),
  ])("%s", async (_name, args, message) => {
    const r = await runCli(args);
    expectNoCrash(r);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toMatch(message);
    expect(r.stdout + r.stderr).not.toMatch(/is a folder/);
  });
});

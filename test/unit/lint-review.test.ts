// The rules and severities from the outside-instructor review: what fires, what does not, and what blocks a run.
import { afterAll, describe, expect, test } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseLab } from "../../src/format/parse.js";
import { labHeading } from "../../src/format/heading.js";
import { lintLab } from "../../src/lint/lint.js";
import { RULES } from "../../src/lint/rules/index.js";
import { regexError } from "../../src/lint/rules/expect.js";
import { sessionPidVarName } from "../../src/lint/rules/sessions.js";
import { blockingProblems, lintOnce, safetyProblems } from "../../src/lint/safety-gate.js";

const FRONT = "---\nformat: 1\nid: review\ntitle: Review\n---\n\n# Review\n\nIntro.\n\n"; // the body starts on line 11

/** Lint FRONT + body (with its source) and return [code, line] of the diagnostics with `codes`. */
function found(body: string, ...codes: string[]): [string, number][] {
  const source = FRONT + body;
  const r = parseLab(source, "lab.md");
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.line} ${d.code} ${d.message}`).join("\n"));
  return lintLab(r.lab, source).filter((d) => codes.includes(d.code)).map((d) => [d.code, d.line]);
}

const severity = (code: string) => RULES.find((r) => r.code === code)?.severity;

describe("severities", () => {
  test.each([
    ["check/missing", "warning"],
    ["cleanup/missing", "error"],
    ["expect/bad-regex", "error"],
    ["session/env-collision", "warning"],
    ["lab/title-mismatch", "warning"],
    ["prose/expect-without-role", "warning"],
    ["step/cleanup-typo", "warning"],
  ])("%s is a %s", (code, level) => {
    expect(severity(code)).toBe(level);
  });
});

describe("lab/title-mismatch", () => {
  test.each<[string, string, boolean]>([
    ["title: Review", "# Review", false],
    ["title: '  Review  '", "#   Review  ", false],
    ["title: Review", "# Review, again", true],
    ["title: Review", "Review\n======", false],
    ["title: Review", "No heading at all.", false],
    ["summary: no title", "# Anything", false],
  ])("%s with %j → %s", (titleLine, heading, fires) => {
    const source = `---\nformat: 1\nid: review\n${titleLine}\n---\n\n${heading}\n\nIntro.\n`;
    const r = parseLab(source, "lab.md");
    if (!r.ok) throw new Error("must parse");
    expect(lintLab(r.lab, source).some((d) => d.code === "lab/title-mismatch")).toBe(fires);
    // Without the source the heading is unknown, so the rule stays quiet.
    expect(lintLab(r.lab).some((d) => d.code === "lab/title-mismatch")).toBe(false);
  });

  test("labHeading takes the first # before the first step, as the parser does", () => {
    expect(labHeading("---\nformat: 1\n---\n\n# One\n\n# Two\n")).toEqual({ text: "One", line: 5 });
    expect(labHeading("---\nformat: 1\n---\n\n## Step\n\n# Late\n")).toBeUndefined();
    expect(labHeading("---\nformat: 1\n---\n\n```sh\n# a comment\n```\n")).toBeUndefined();
  });
});

describe("session/env-collision", () => {
  test.each<[string, string, string]>([
    ["my-box", "my.box", "ROOTLAB_SESSION_MY_BOX_PID"],
    ["Box", "box", "ROOTLAB_SESSION_BOX_PID"],
    ["a_b", "a-b", "ROOTLAB_SESSION_A_B_PID"],
  ])("%s and %s both give %s", (a, b, variable) => {
    expect(sessionPidVarName(a)).toBe(variable);
    expect(sessionPidVarName(b)).toBe(variable);
    const body = `## S\n\n\`\`\`sh enter=${a}\nbash\n\`\`\`\n\n\`\`\`sh enter=${b}\nbash\n\`\`\`\n`;
    expect(found(body, "session/env-collision")).toEqual([["session/env-collision", 17]]);
  });

  test("HOST collides with the host session; reusing one name does not collide", () => {
    expect(found("## S\n\n```sh enter=HOST\nbash\n```\n", "session/env-collision")).toEqual([["session/env-collision", 13]]);
    expect(found("## S\n\n```sh enter=box\nbash\n```\n\n```sh session=box\ntrue\n```\n", "session/env-collision")).toEqual([]);
  });
});

describe("expect/bad-regex", () => {
  test.each<[string, string | undefined]>([
    ["PID \\d+", undefined],
    ["a)|(b", "Unmatched ')'"],
    ["[unclosed", "Unterminated character class"],
    ["x{2,1}", "numbers out of order in {} quantifier"],
    ["(?<n>a)(?<n>b)", "Duplicate capture group name"],
  ])("%j → %s", (source, error) => {
    expect(regexError(source)).toBe(error);
  });

  test("names the line of the bad expect line, not the fence; literal lines are not judged", () => {
    const body = "## S\n\n```sh\nprintf 'a(\\nb\\n'\n```\n\n```text expect\na(\nb (re)\n(b (re)\n```\n";
    expect(found(body, "expect/bad-regex")).toEqual([["expect/bad-regex", 20]]);
  });
});

describe("prose/expect-without-role", () => {
  const cmd = "## S\n\n```sh\necho hi\n```\n\n";
  test.each<[string, string, boolean]>([
    ["a text block right after a command", "```text\nhi\n```\n", true],
    ["a console block right after a command", "```console\nhi\n```\n", true],
    ["a console transcript ($ lines) is an illustration", "```console\n$ echo hi\nhi\n```\n", false],
    ["prose in between", "It prints:\n\n```text\nhi\n```\n", false],
    ["an expect in between", "```text expect\nhi\n```\n\n```text\nhi\n```\n", false],
    ["a yaml block", "```yaml\na: 1\n```\n", false],
  ])("%s → %s", (_name, after, fires) => {
    expect(found(cmd + after, "prose/expect-without-role").length).toBe(fires ? 1 : 0);
  });

  test("not after a background command (it has no output to compare)", () => {
    expect(found("## S\n\n```sh background\nsleep 1\n```\n\n```text\nhi\n```\n", "prose/expect-without-role")).toEqual([]);
  });
});

describe("step/cleanup-typo", () => {
  test.each<[string, boolean]>([
    ["Clean up", true],
    ["Clean-up", true],
    ["clean_up", true],
    ["Cleanup:", true],
    ["Cleanups", true],
    ["**Cleanup**", true],
    ["Cleaning the kitchen", false],
    ["Cleanup steps", false],
    ["Teardown", false],
  ])("## %s → %s", (heading, fires) => {
    expect(found(`## ${heading}\n\nProse.\n`, "step/cleanup-typo").length).toBe(fires ? 1 : 0);
  });

  test("`## Cleanup` itself is the cleanup section, not a step", () => {
    expect(found("## Cleanup\n\n```sh\ntrue\n```\n", "step/cleanup-typo")).toEqual([]);
  });
});

describe("cleanup/missing and background blocks", () => {
  test.each<[string, string, boolean]>([
    ["a background block: rootlab stops it", "```sh background\nsleep 100\n```\n", false],
    ["a background unshare block", "```sh background\nunshare --fork --pid sleep 100\n```\n", false],
    ["a job started with & in an ordinary block", "```sh\nunshare --fork --pid sleep 100 &\n```\n", true],
    ["a background block that also adds a netns", "```sh background\nip netns add rlt14-x\nsleep 100\n```\n", true],
  ])("%s → %s", (_name, block, fires) => {
    expect(found(`## S\n\n${block}`, "cleanup/missing").length).toBe(fires ? 1 : 0);
  });
});

describe("blockingProblems", () => {
  const dir = mkdtempSync(join(tmpdir(), "rlt14-gate-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("lint errors of safety/, session/ and expect/ block a run; other errors and warnings do not", async () => {
    const body = [
      "## S", "",
      "```sh session=nobody", "ping -c1 192.0.2.1", "```", "",
      "```text expect", "(unclosed (re)", "```", "",
      "```sh verify", "true", "```", "",
      "```sh enter=Host", "bash", "```", "",
    ].join("\n");
    const file = join(dir, "lab.md");
    writeFileSync(file, FRONT + body);
    const r = parseLab(FRONT + body, file);
    if (!r.ok) throw new Error("must parse");
    const blocking = (await blockingProblems(r.lab)).map((d) => d.code).sort();
    expect(blocking).toEqual(["expect/bad-regex", "safety/address", "session/unknown"]);
    // check/unnamed is an error but does not block; session/env-collision is a warning.
    expect(lintLab(r.lab, FRONT + body).map((d) => d.code)).toEqual(expect.arrayContaining(["check/unnamed", "session/env-collision"]));
    expect((await safetyProblems(r.lab)).map((d) => d.code)).toEqual(["safety/address"]);
  });

  test("a parsed lab is linted once: the CLI's gate, watch and the lab run share one result", async () => {
    const source = `${FRONT}## S\n\n\`\`\`sh\nping -c1 192.0.2.1\n\`\`\`\n`;
    const r = parseLab(source, join(dir, "once.md"));
    if (!r.ok) throw new Error("must parse");
    const first = lintOnce(r.lab);
    expect(lintOnce(r.lab)).toBe(first);
    expect(await first).toEqual(lintLab(r.lab, source));
    const again = parseLab(source, join(dir, "once.md"));
    if (!again.ok) throw new Error("must parse");
    expect(lintOnce(again.lab)).not.toBe(first); // a new parse (the file was saved again) is linted anew
  });
});

// rootlab new without running anything: numbering, id rules, never overwriting, and a scaffold that lints clean.
import { afterAll, describe, expect, test } from "vitest";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLab, fsProblem, nextNumber, titleFromId, validateId } from "../../src/authoring/new-lab.js";
import { UsageError } from "../../src/core/errors.js";
import { lintFiles } from "../../src/lint/lint.js";
import { parseLab } from "../../src/format/parse.js";
import { BIN, ROOT, runCli } from "../helpers/cli.js";

// How `rootlab new` names rootlab in its "Next:" lines when run as the tests run it: `node bin/rootlab.js` from the
// checkout (an absolute path elsewhere), with sudo in front of verify and watch unless already root.
const CMD = "node bin/rootlab.js";
const AS_ROOT = `${process.getuid?.() === 0 && !process.env.SUDO_USER ? "" : "sudo "}${CMD}`;
const CMD_ELSEWHERE = `node ${BIN}`;
const AS_ROOT_ELSEWHERE = AS_ROOT.replace(CMD, CMD_ELSEWHERE);

const dir = mkdtempSync(join(tmpdir(), "rlt9-new-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("rootlab new", () => {
  test.each([
    [[], "01"],
    [["01-a.md", "03-b.md"], "04"],
    [["009-a.md"], "010"],
    [["README.md", "notes.md"], "01"],
  ])("next number after %j is %s", (names, next) => {
    expect(nextNumber(names)).toBe(next);
  });

  test.each(["Netns", "1abc", "a--b", "a_b", "-a", "a-", "x".repeat(41), ""])("rejects the id %j", (id) => {
    expect(() => validateId(id)).toThrow(/not a valid lab id/);
  });

  test("title from id", () => {
    expect(titleFromId("netns-basics")).toBe("Netns basics");
  });

  test("the scaffold parses, has every feature, and lints clean", async () => {
    const created = await createLab({ id: "rlt9-scaffold", dir, title: "Scaffold: a test" });
    expect(created.file).toBe(join(dir, "01-rlt9-scaffold.md"));
    const source = readFileSync(created.file, "utf8");
    const parsed = parseLab(source, created.file);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
    const { lab } = parsed;
    expect(lab.meta).toMatchObject({ id: "rlt9-scaffold", title: "Scaffold: a test" });
    const blocks = lab.steps.flatMap((s) => s.blocks);
    expect(new Set(blocks.map((b) => b.role))).toEqual(new Set(["command", "cleanup", "verify"]));
    expect(blocks.some((b) => b.expect)).toBe(true);
    expect(blocks.some((b) => b.enter === "ns")).toBe(true);
    expect(lab.steps.every((s) => s.blocks.length === 0 || s.hints.length >= 2)).toBe(true);
    expect(lab.steps.at(-1)?.title).toBe("What you learned");
    expect(source).toContain("rl-rlt9-scaffold");
    expect((await lintFiles([created.file])).diagnostics).toEqual([]);
  });

  test("refuses an id that exists and never overwrites", async () => {
    await expect(createLab({ id: "rlt9-scaffold", dir })).rejects.toThrow(/already exists/);
    writeFileSync(join(dir, "02-rlt9-taken.md"), "not a lab, but the name is taken");
    await expect(createLab({ id: "rlt9-taken", dir })).rejects.toThrow(/already exists/);
    expect(readFileSync(join(dir, "02-rlt9-taken.md"), "utf8")).toBe("not a lab, but the name is taken");
  });

  test("the CLI prints the file and the next commands", async () => {
    const r = await runCli(["new", "rlt9-cli", "--dir", dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Created ${join(dir, "03-rlt9-cli.md")}`);
    // Named as the test runs it (`node …/bin/rootlab.js`), with sudo only when not root: lines to paste.
    expect(r.stdout).toContain(`  ${CMD} lint ${join(dir, "03-rlt9-cli.md")}\n`);
    expect(r.stdout).toContain(`  ${AS_ROOT} verify --strict ${join(dir, "03-rlt9-cli.md")}\n`);
    expect(r.stdout).toContain(`  ${AS_ROOT} watch ${join(dir, "03-rlt9-cli.md")}\n`);
    expect(r.stdout).toContain(`How to write a good lab: ${join(ROOT, "docs/authoring.md")}`);
    const bad = await runCli(["new", "Bad_Id", "--dir", dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("not a valid lab id");
  });

  test("without --dir: ./labs under the current directory (created), paths the user can paste from there", async () => {
    const cwd = join(dir, "project");
    mkdirSync(cwd);
    const r = await runCli(["new", "rlt9-here"], { cwd, env: { ROOTLAB_LABS: "" } });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(cwd, "labs", "01-rlt9-here.md"))).toBe(true);
    expect(r.stdout).toContain(`Created ${join(cwd, "labs", "01-rlt9-here.md")}`);
    expect(r.stdout).toContain(`  ${CMD_ELSEWHERE} lint labs/01-rlt9-here.md\n`);
    expect(r.stdout).toContain(`  ${AS_ROOT_ELSEWHERE} verify --strict labs/01-rlt9-here.md\n`);
    expect(existsSync(join(ROOT, "labs", "01-rlt9-here.md"))).toBe(false);
  });

  test("without --dir and with $ROOTLAB_LABS: that folder", async () => {
    const labs = join(dir, "from-env");
    const r = await runCli(["new", "rlt9-env"], { cwd: dir, env: { ROOTLAB_LABS: labs } });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(labs, "01-rlt9-env.md"))).toBe(true);
  });

  test.each<[string, () => string]>([
    ["a file as --dir", () => (writeFileSync(join(dir, "a-file"), "x"), join(dir, "a-file"))],
    ["a folder under a file", () => join(dir, "a-file", "sub")],
  ])("%s: a usage error that says what failed and how to fix it, no stack trace", async (_name, target) => {
    const r = await runCli(["new", "rlt9-nowhere", "--dir", target()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is a file, not a folder/);
    expect(r.stderr).toContain("--dir");
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stderr).not.toContain("internal error");
  });

  test.each([
    ["EACCES", /cannot create the folder \/x: permission denied\.\nGive a folder you can write to with --dir/],
    ["EROFS", /read-only/],
    ["ENOTDIR", /\/x \(or a folder above it\) is a file/],
  ])("fs error %s becomes a usage error with the fix", (code, message) => {
    const err = Object.assign(new Error(`${code}: raw`), { code });
    const usage = fsProblem(err, "create the folder /x", "/x");
    expect(usage).toBeInstanceOf(UsageError);
    expect(usage.message).toMatch(message);
  });
});

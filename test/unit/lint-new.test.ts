// rootlab new without running anything: numbering, id rules, never overwriting, and a scaffold that lints clean.
import { afterAll, describe, expect, test } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLab, nextNumber, titleFromId, validateId } from "../../src/authoring/new-lab.js";
import { lintFiles } from "../../src/lint/lint.js";
import { parseLab } from "../../src/format/parse.js";
import { runCli } from "../helpers/cli.js";

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
    expect(r.stdout).toContain(`rootlab lint ${join(dir, "03-rlt9-cli.md")}`);
    expect(r.stdout).toContain(`sudo rootlab verify --strict ${join(dir, "03-rlt9-cli.md")}`);
    expect(r.stdout).toContain("sudo rootlab watch");
    const bad = await runCli(["new", "Bad_Id", "--dir", dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("not a valid lab id");
  });
});

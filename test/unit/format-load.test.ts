// The thin I/O layer: finding lab files, reading them, resolving `rootlab <cmd> LAB` arguments, printing diagnostics.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { findLabFiles, formatDiagnostic, labsDir, loadAllLabs, loadLab, resolveLabArg } from "../../src/format/load.js";
import { UsageError } from "../../src/core/errors.js";

const lab = (id: string) => `---\nformat: 1\nid: ${id}\ntitle: Lab ${id}\n---\n\n## Step\n\n\`\`\`sh\ntrue\n\`\`\`\n`;
let dir = "";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "rlt1-labs-"));
  await writeFile(join(dir, "20-second.md"), lab("second"));
  await writeFile(join(dir, "10-first.md"), lab("first-lab"));
  await writeFile(join(dir, "30-broken.md"), "# no front matter\n");
  await writeFile(join(dir, "README.md"), "# About these labs\n");
  await writeFile(join(dir, "notes.txt"), "not a lab\n");
  await mkdir(join(dir, "sub"));
  await writeFile(join(dir, "sub", "nested.md"), lab("nested"));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("finding and loading labs", () => {
  test("findLabFiles lists *.md sorted, without README.md or subfolders", async () => {
    expect(await findLabFiles(dir)).toEqual(["10-first.md", "20-second.md", "30-broken.md"].map((f) => join(dir, f)));
  });

  test("a missing folder has no labs", async () => {
    expect(await findLabFiles(join(dir, "does-not-exist"))).toEqual([]);
  });

  test("loadLab parses a file", async () => {
    const r = await loadLab(join(dir, "10-first.md"));
    expect(r.ok && r.lab.meta.id).toBe("first-lab");
    expect(r.ok && r.lab.file).toBe(join(dir, "10-first.md"));
  });

  test.each([
    ["a missing file", "nope.md", /does not exist/],
    ["a folder", "sub", /it is a folder, not a file/],
  ])("loadLab on %s returns a diagnostic instead of throwing", async (_name, path, message) => {
    const r = await loadLab(join(dir, path));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.diagnostics).toHaveLength(1);
      expect(r.diagnostics[0]).toMatchObject({ file: join(dir, path), line: 1, column: 1, severity: "error", code: "file/unreadable" });
      expect(r.diagnostics[0]?.message).toMatch(message);
    }
  });

  test("loadAllLabs loads every lab of the folder, broken ones included", async () => {
    const all = await loadAllLabs(dir);
    expect(all.map((e) => [e.file, e.result.ok])).toEqual([
      [join(dir, "10-first.md"), true],
      [join(dir, "20-second.md"), true],
      [join(dir, "30-broken.md"), false],
    ]);
  });
});

describe("resolveLabArg", () => {
  test("an existing path wins", async () => {
    expect(await resolveLabArg(join(dir, "sub", "nested.md"), dir)).toBe(join(dir, "sub", "nested.md"));
  });

  test("a relative path is made absolute", async () => {
    const rel = join("test", "fixtures", "labs", "good", "minimal.md");
    expect(await resolveLabArg(rel, dir)).toBe(resolve(rel));
  });

  test.each([
    ["the front matter id", "first-lab", "10-first.md"],
    ["another id", "second", "20-second.md"],
    ["the file stem", "20-second", "20-second.md"],
    ["the stem of a broken lab", "30-broken", "30-broken.md"],
  ])("finds a lab by %s", async (_name, arg, file) => {
    expect(await resolveLabArg(arg, dir)).toBe(join(dir, file));
  });

  test("an unknown lab is a UsageError that lists the known ids", async () => {
    const err = await resolveLabArg("no-such-lab", dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toContain('no lab "no-such-lab"');
    expect((err as Error).message).toContain("30-broken, first-lab, second");
  });

  test("an empty labs folder says so", async () => {
    const err = await resolveLabArg("x", join(dir, "missing")).catch((e: unknown) => e);
    expect((err as Error).message).toContain("has no lab files");
  });
});

describe("labsDir", () => {
  test.each([
    ["a folder without ./labs", [] as string[], "bundled"],
    ["a folder whose ./labs has no lab files", ["README.md"], "bundled"],
    ["a course folder whose ./labs holds labs", ["01-mine.md"], "local"],
  ])("defaults to rootlab's own labs/, or ./labs in %s", async (_name, files, want) => {
    const saved = process.env.ROOTLAB_LABS;
    const cwd = process.cwd();
    const dir = await mkdtemp(join(tmpdir(), "rlt1-cwd-"));
    delete process.env.ROOTLAB_LABS;
    try {
      if (files.length > 0) await mkdir(join(dir, "labs"));
      for (const f of files) await writeFile(join(dir, "labs", f), "x");
      process.chdir(dir);
      expect(labsDir()).toBe(want === "local" ? join(dir, "labs") : fileURLToPath(new URL("../../labs/", import.meta.url)));
    } finally {
      process.chdir(cwd);
      await rm(dir, { recursive: true, force: true });
      if (saved !== undefined) process.env.ROOTLAB_LABS = saved;
    }
  });

  test("ROOTLAB_LABS overrides it", () => {
    const saved = process.env.ROOTLAB_LABS;
    process.env.ROOTLAB_LABS = "some/where";
    try {
      expect(labsDir()).toBe(resolve("some/where"));
    } finally {
      if (saved === undefined) delete process.env.ROOTLAB_LABS;
      else process.env.ROOTLAB_LABS = saved;
    }
  });
});

describe("formatDiagnostic", () => {
  test("one line, then expected and an indented multi-line example", () => {
    const text = formatDiagnostic({
      file: "labs/x.md",
      line: 12,
      column: 5,
      severity: "error",
      code: "fence/bad-exit",
      message: "`exit=300`: an exit status is a whole number from 0 to 255",
      expected: "exit=N with N from 0 to 255",
      example: "```sh exit=1\nfalse\n```",
    });
    expect(text).toBe(
      [
        "labs/x.md:12:5  error  fence/bad-exit  `exit=300`: an exit status is a whole number from 0 to 255",
        "    expected: exit=N with N from 0 to 255",
        "    example:  ```sh exit=1",
        "              false",
        "              ```",
      ].join("\n"),
    );
  });

  test("without expected and example it is one line", () => {
    expect(formatDiagnostic({ file: "a.md", line: 1, column: 1, severity: "warning", code: "step/empty", message: "empty" })).toBe("a.md:1:1  warning  step/empty  empty");
  });
});

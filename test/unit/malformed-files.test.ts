// Lab paths that are not plain lab files (issue: malformed inputs): a named pipe, a folder, a symbolic-link loop,
// a file of 2 MiB, a missing file with a near name, a path with a newline. Each is one diagnostic (or one usage
// error) saying what the path is and what to do — never a hang, never the bare errno text.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { LAB_FILE_MAX_BYTES, loadLab, readLabSource, resolveLabArg } from "../../src/format/load.js";
import { formatDiagnostic } from "../../src/format/diagnostics.js";
import { closest } from "../../src/format/suggest.js";
import { UsageError } from "../../src/core/errors.js";

const dir = mkdtempSync(join(tmpdir(), "rlt-malformed-files-"));
const lab = "---\nformat: 1\nid: near\ntitle: Near\n---\n# Near\n\nIntro.\n\n## S\n\nText.\n";

beforeAll(() => {
  writeFileSync(join(dir, "01-near.md"), lab);
  execFileSync("mkfifo", [join(dir, "pipe.md")]);
  mkdirSync(join(dir, "folder.md"));
  symlinkSync("loop-b.md", join(dir, "loop-a.md"));
  symlinkSync("loop-a.md", join(dir, "loop-b.md"));
  writeFileSync(join(dir, "huge.md"), `${lab}${"word ".repeat(LAB_FILE_MAX_BYTES / 5 + 1)}\n`);
  writeFileSync(join(dir, "new\nline.md"), "# no front matter\n");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("loadLab: one diagnostic per path that is not a lab file", () => {
  test.each<[string, string, string, RegExp]>([
    ["a named pipe (reading it would wait forever)", "pipe.md", "file/unreadable", /it is a named pipe \(FIFO\), not a file/],
    ["a folder", "folder.md", "file/unreadable", /it is a folder, not a file/],
    ["a symbolic-link loop", "loop-a.md", "file/unreadable", /symbolic link that leads back to itself .*ls -l/],
    ["a file over 1 MiB", "huge.md", "file/too-large", /the file is 1\.0 MiB: more than a lab file can be \(at most 1 MiB/],
    ["a missing file with a near name", "01-naer.md", "file/unreadable", /does not exist \(did you mean .*01-near\.md\?\)/],
    ["a missing file with no near name", "zzzzzzzz.md", "file/unreadable", /does not exist$/],
    ["a missing folder on the way", "no-such-dir/x.md", "file/unreadable", /does not exist/],
  ])("%s", async (_name, path, code, message) => {
    const r = await loadLab(join(dir, path));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ line: 1, column: 1, severity: "error", code });
    expect(r.diagnostics[0]!.message).toMatch(message);
    expect(r.diagnostics[0]!.expected).toBeTruthy();
    expect(r.diagnostics[0]!.message).not.toMatch(/\bE[A-Z]{3,}\b/); // no bare errno code
  });

  test("lint's read refuses what loadLab refuses (so it never blocks on a pipe)", async () => {
    for (const p of ["pipe.md", "folder.md", "loop-a.md", "huge.md"]) expect(await readLabSource(join(dir, p))).toBeUndefined();
    expect(await readLabSource(join(dir, "01-near.md"))).toBe(lab);
  });

  test("a path with a newline is printed on one line, quoted", async () => {
    const r = await loadLab(join(dir, "new\nline.md"));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const first = formatDiagnostic(r.diagnostics[0]!).split("\n")[0]!;
    expect(first).toContain(JSON.stringify(join(dir, "new\nline.md")));
  });
});

describe("resolveLabArg: a lab argument that is not a lab", () => {
  test.each<[string, string, RegExp]>([
    ["a named pipe", "pipe.md", /pipe\.md cannot be read as a lab: it is a named pipe \(FIFO\), not a file/],
    ["a folder", "folder.md", /folder\.md is a folder, not a lab file\.\nExpected one lab/],
    ["a symbolic-link loop", "loop-a.md", /cannot be read as a lab: it is a symbolic link that leads back to itself/],
    ["a path with a typo", "01-naer.md", /no lab file .*01-naer\.md: the file does not exist \(did you mean .*01-near\.md\?\)/],
    ["an id with a typo", "naer", /no lab "naer".*\nDid you mean "near"\?/],
  ])("%s", async (_name, arg, message) => {
    const path = arg.endsWith(".md") ? join(dir, arg) : arg;
    const err = await resolveLabArg(path, dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(message);
  });
});

describe("did you mean: typos, not other words", () => {
  test.each<[string, string[], string | undefined]>([
    ["lnit", ["list", "lint", "new"], "lint"], // a swap is one edit
    ["titel", ["title", "summary"], "title"],
    ["comands", ["commands", "kernel"], "commands"],
    ["memory", ["report", "strict", "out"], undefined], // 3 edits in 6 letters is another word
    ["verfy", ["verify", "explain"], "verify"],
    ["x", ["a", "b"], undefined],
    ["busybox", ["busybox-rootfs", "alpine-rootfs"], "busybox-rootfs"],
  ])("%s among %j → %s", (word, candidates, want) => expect(closest(word, candidates)).toBe(want));
});

describe("blocks with nothing in them", () => {
  const FIX = join(fileURLToPath(new URL("../fixtures/malformed/labs/", import.meta.url)));
  test.each<[string, string, string, number, "warning" | "error"]>([
    ["an empty command block", "empty-command.md", "block/empty", 13, "warning"],
    ["an empty check (lint names it: check/unnamed)", "check-without-lines.md", "block/empty", -1, "warning"],
  ])("%s", async (_name, file, code, line, severity) => {
    const r = await loadLab(join(FIX, file));
    const all = r.ok ? r.warnings : r.diagnostics;
    const found = all.filter((d) => d.code === code);
    if (line < 0) expect(found).toEqual([]);
    else expect(found.map((d) => [d.line, d.severity])).toEqual([[line, severity]]);
  });
});

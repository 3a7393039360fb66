// The path through a labs folder is its file order: nextLab is what guided mode offers after a finished lab.
import { afterAll, describe, expect, test } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundledLabsDir, findLabFiles } from "../../src/format/load.js";
import { nextLab } from "../../src/format/path.js";

const lab = (id: string) => `---\nformat: 1\nid: ${id}\ntitle: Lab ${id}\n---\n\n# Lab ${id}\n\nIntro.\n`;
const dir = mkdtempSync(join(tmpdir(), "rootlab-path-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, "01-first.md"), lab("first"));
writeFileSync(join(dir, "02-broken.md"), "---\nformat: 1\nid: [not, an, id]\n---\n");
writeFileSync(join(dir, "03-third.md"), lab("third"));
writeFileSync(join(dir, "README.md"), "# not a lab\n");

describe("nextLab", () => {
  test.each([
    ["the following file", "01-first.md", "third"],
    ["nothing after the last lab", "03-third.md", undefined],
    ["nothing for a file outside the folder", "../elsewhere.md", undefined],
  ])("%s", async (_what, file, id) => {
    expect((await nextLab(join(dir, file), dir))?.meta.id).toBe(id);
  });

  test("the bundled labs form one path from chroot to the finale", async () => {
    const files = await findLabFiles(bundledLabsDir());
    expect((await nextLab(files[0]!, bundledLabsDir()))?.meta.id).toBe("nspawn");
    expect(await nextLab(files.at(-1)!, bundledLabsDir())).toBeUndefined();
  });
});

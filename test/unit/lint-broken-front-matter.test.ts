// lint reports every problem in one run: a broken front matter does not hide what the body does (a dangerous
// command most of all), and a file that is no text gives its one error only.
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lintFiles } from "../../src/lint/lint.js";

const dir = mkdtempSync(join(tmpdir(), "rlt-fm-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const chroot = readFileSync(join(import.meta.dirname, "../../labs/01-chroot.md"), "utf8");
const withEth0Down = (src: string) => src.replace("```sh\n", "```sh\nip link set eth0 down\n");

describe("lint with a broken front matter", () => {
  it.each([
    ["an unknown key", (s: string) => s.replace(/^level:/m, "levle:"), "front-matter/unknown-key"],
    ["a YAML syntax error", (s: string) => s.replace(/^title: (.*)$/m, "title: [$1"), "front-matter/"],
    ["a value of the wrong type", (s: string) => s.replace(/^duration: .*$/m, "duration: [20]"), "front-matter/"],
  ])("%s: still reports the body's safety error", async (_name, breakIt, code) => {
    const file = join(dir, `lab-${Math.random().toString(36).slice(2)}.md`);
    writeFileSync(file, withEth0Down(breakIt(chroot)));
    const codes = (await lintFiles([file])).diagnostics.map((d) => d.code);
    expect(codes.some((c) => c.startsWith(code))).toBe(true);
    expect(codes).toContain("safety/uplink");
    expect(codes).not.toContain("lab/title-mismatch");
  });

  it("a file with NUL bytes gives only its one error", async () => {
    const file = join(dir, "binary.md");
    writeFileSync(file, withEth0Down(chroot).replace("# ", "\0# "));
    expect((await lintFiles([file])).diagnostics.map((d) => d.code)).toEqual(["file/binary"]);
  });
});

// rootlab watch on a terminal prints lint problems wrapped at words under their indent, like `rootlab lint` —
// not as one long line the terminal cuts mid-word. A lab with lint errors is never run, so no root is needed.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { runOnce } from "../../src/authoring/watch.js";
import type { MayExecute } from "../../src/host/guard.js";

const dir = mkdtempSync(join(tmpdir(), "rl-watch-width-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LAB = "---\nformat: 1\nid: ww\ntitle: W\n---\n\n# W\n\nIntro.\n\n## Step\n\nMake it:\n\n```sh\ntrue\n```\n\n```sh verify\n# a check whose closing line was forgotten by the author of this lab\ntrue\n\n```sh wrong\n# wrong\ntrue\n```\n\nDone.\n";

function terminal(columns: number | undefined) {
  let text = "";
  const stream = { isTTY: columns !== undefined, columns, write: (chunk: string) => ((text += chunk), true) };
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text };
}

describe("watch prints lint problems for the screen it writes to", () => {
  test.each([
    ["an 80-column terminal", 80],
    ["a 60-column terminal", 60],
  ])("%s: every line fits, the first starts with file:line", async (_name, columns) => {
    const file = join(dir, `lab-${columns}.md`);
    writeFileSync(file, LAB);
    const out = terminal(columns);
    const result = await runOnce({ file, strict: true, permit: {} as MayExecute, stdout: out.stream, stderr: out.stream, signal: new AbortController().signal }, 1);
    expect(result.kind).toBe("lint-errors");
    const lines = out.text().replace(/\x1b\[[0-9;]*[A-Za-z]/g, "").split("\n");
    // The problem's first line starts with file:line at column 1; the code and message follow, wrapped.
    const at = lines.findIndex((l) => l.startsWith(`${file}:`));
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at, at + 3).join(" ")).toMatch(/error\s+fence\/not-closed\s+the block/);
    const prose = lines.filter((l) => !/^ {14}|^ {4}example:|^rootlab watch · /.test(l));
    for (const l of prose) expect(l.length, l).toBeLessThanOrEqual(columns);
  });

  test("a pipe gets each problem on one line, as before", async () => {
    const file = join(dir, "lab-pipe.md");
    writeFileSync(file, LAB);
    const out = terminal(undefined);
    await runOnce({ file, strict: true, permit: {} as MayExecute, stdout: out.stream, stderr: out.stream, signal: new AbortController().signal }, 1);
    expect(out.text()).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+:1  error  fence/not-closed  the block opened here .* block's text\\n`));
  });
});

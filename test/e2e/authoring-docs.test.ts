// The runnable example labs of the instructor docs, run for real: `rootlab verify --strict`, as root.
import { afterAll, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeAsRoot } from "../helpers/root.js";
import { ROOT, runCli } from "../helpers/cli.js";
import { docExamples } from "../../src/authoring/doc-examples.js";

const dir = mkdtempSync(join(tmpdir(), "rlt9-docs-"));
const work = mkdtempSync(join(tmpdir(), "rlt9-work-"));

const runnable = ["lab-format.md", "authoring.md"].flatMap((doc) =>
  docExamples(readFileSync(join(ROOT, "docs", doc), "utf8"))
    .filter((ex) => ex.runnable)
    .map((ex) => ({ name: `${doc}:${ex.line}`, text: ex.text })),
);

describeAsRoot("docs: runnable examples pass rootlab verify --strict", () => {
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it.each(runnable)("$name", async ({ name, text }) => {
    const file = join(dir, `${name.replace(/[^a-z0-9]+/gi, "-")}.md`);
    writeFileSync(file, text);
    const r = await runCli(["verify", "--strict", file], { env: { ROOTLAB_WORKDIR: work } });
    expect(r.stdout + r.stderr).toContain("leak check: clean");
    expect(r.code, r.stdout + r.stderr).toBe(0);
  }, 600_000);
});

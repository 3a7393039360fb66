// The bundled labs lint clean, warnings included: what `rootlab lint --strict-warnings labs/` checks, and what
// docs/authoring.md says CI runs. A lab change that brings back a warning (a first hint that gives the command
// away, a missing check) fails here with the lab's file:line, not in a student's hands.
import { describe, expect, test } from "vitest";
import { fileURLToPath } from "node:url";
import { lintFiles } from "../../src/lint/lint.js";

const LABS = fileURLToPath(new URL("../../labs/", import.meta.url));

describe("the bundled labs", () => {
  test("have no lint error and no warning (rootlab lint --strict-warnings labs/)", async () => {
    const { files, diagnostics } = await lintFiles([LABS]);
    expect(files.length).toBeGreaterThan(10);
    expect(diagnostics.map((d) => `${d.file.slice(LABS.length)}:${d.line} ${d.code} ${d.message}`)).toEqual([]);
  });
});

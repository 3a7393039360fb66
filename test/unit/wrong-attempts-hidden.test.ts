// Wrong attempts are proof for `verify --strict`, never something a student is shown or asked to run:
// guided mode's step text and `rootlab show` leave them out; a plain step's commands are unchanged.
import { expect, test } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseLab } from "../../src/format/parse.js";
import { commandBlocks } from "../../src/guided/context.js";
import { ROOT, runCli } from "../helpers/cli.js";

const FILE = join(ROOT, "test/fixtures/labs/e2e/wrong-rejected.md");

test("guided mode offers the command and shows the step's parts, none of them a wrong attempt or undo", () => {
  const parsed = parseLab(readFileSync(FILE, "utf8"), FILE);
  if (!parsed.ok) throw new Error("fixture must parse");
  const step = parsed.lab.steps[0]!;
  expect(step.wrongAttempts).toHaveLength(2);
  expect(commandBlocks(step).map((b) => b.code)).toEqual([`printf 'hello\\n' > "$LAB_DIR/greeting"`]);
  const shown = JSON.stringify(step.parts);
  expect(shown).toContain("printf 'hello");
  expect(shown).not.toContain("HELLO");
  expect(shown).not.toContain("an empty file");
});

test("rootlab show prints the command and the checks, not the wrong attempts", async () => {
  const r = await runCli(["show", FILE]);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  expect(r.stdout).toContain("printf 'hello");
  expect(r.stdout).not.toContain("HELLO");
  expect(r.stdout).not.toContain("<details>");
});

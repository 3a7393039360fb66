// `rootlab lint` as users run it (the built CLI): malformed labs give a diagnostic on the right line, never a
// stack trace; the summary line, exit codes, --strict-warnings and --format json.
import { describe, expect, test } from "vitest";
import { fileURLToPath } from "node:url";
import { runCli } from "../helpers/cli.js";

const DIR = fileURLToPath(new URL("../fixtures/lint/", import.meta.url));
const rel = (p: string) => `test/fixtures/lint/${p}`;

/** file → the first diagnostic's `line:col  error  code`. */
const MALFORMED: [string, string][] = [
  ["unknown-key.md", "7:1  error  front-matter/unknown-key"],
  ["bad-timeout.md", "25:7  error  fence/bad-timeout"],
  ["unclosed-fence.md", "25:1  error  fence/unclosed"],
  ["expect-first.md", "25:1  error  expect/no-command"],
  ["unknown-role.md", "25:7  error  fence/unknown-word"],
  ["no-front-matter.md", "1:1  error  front-matter/missing"],
  ["future-format.md", "2:9  error  front-matter/format-too-new"],
  ["bad-yaml.md", "5:1  error  front-matter/yaml  the list opened with `[` on line 5 is never closed"],
  ["empty.md", "1:1  error  front-matter/missing"],
  ["attribute-on-expect.md", "29:16  error  fence/attribute-not-allowed"],
  ["block-before-step.md", "21:1  error  block/outside-step"],
  ["binary.md", "26:1  error  file/binary"],
  ["invalid-utf8.md", "12:1  error  file/encoding"],
  ["front-matter-too-long.md", "1:1  error  front-matter/too-long"],
];

const noStackTrace = (text: string) => {
  expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(text).not.toContain("internal error");
};

describe("rootlab lint: malformed labs", () => {
  test.each(MALFORMED)("%s → %s", async (name, first) => {
    const r = await runCli(["lint", rel(`malformed/${name}`)]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`${rel(`malformed/${name}`)}:${first}`);
    expect(r.stdout).toMatch(/^\d+ errors?, \d+ warnings? in 1 file$/m);
    expect(r.stdout).toContain("    expected: ");
    noStackTrace(r.stdout + r.stderr);
  });

  test("the whole corpus at once: one summary, every file reported, sorted", async () => {
    const r = await runCli(["lint", rel("malformed")]);
    expect(r.code).toBe(2);
    const files = r.stdout.split("\n").filter((l) => /^\S+:\d+:\d+ {2}/.test(l)).map((l) => l.split(":")[0]);
    expect(new Set(files).size).toBe(MALFORMED.length);
    expect(files).toEqual([...files].sort());
    expect(r.stdout).toMatch(new RegExp(`\\n\\d+ errors, 0 warnings in ${MALFORMED.length} files\\n$`));
    noStackTrace(r.stdout + r.stderr);
  });

  test("a path that does not exist is a diagnostic, not a crash", async () => {
    const r = await runCli(["lint", rel("malformed/nope.md")]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("nope.md:1:1  error  file/unreadable");
    noStackTrace(r.stdout + r.stderr);
  });
});

describe("rootlab lint: output and exit codes", () => {
  test("warnings only: exit 0; --strict-warnings: exit 2 and shown as errors", async () => {
    const file = rel("rules/present__check-label/bad.md");
    const plain = await runCli(["lint", file]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain(`${file}:44:1  warning  present/check-label  `);
    expect(plain.stdout).toMatch(/\n0 errors, 1 warning in 1 file\n$/);
    const strict = await runCli(["lint", "--strict-warnings", file]);
    expect(strict.code).toBe(2);
    expect(strict.stdout).toContain(`${file}:44:1  error  present/check-label  `);
  });

  test("--format json: one document with counts and diagnostics", async () => {
    const r = await runCli(["lint", "--format", "json", rel("rules/safety__sysctl/bad.md"), rel("rules/present__folded/good.md")]);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout) as { files: number; errors: number; warnings: number; diagnostics: { code: string; line: number }[] };
    expect(doc).toMatchObject({ files: 2, errors: 2 });
    expect(doc.diagnostics.filter((d) => d.code.startsWith("safety/")).map((d) => [d.code, d.line])).toEqual([["safety/sysctl", 26], ["safety/sysctl", 27]]);
  });

  test("a clean lab: exit 0 and a summary line", async () => {
    const r = await runCli(["lint", `${DIR}rules/present__folded/good.md`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("0 errors, 0 warnings in 1 file\n");
  });

  test("--rules lists every rule; a bad --format is a usage error", async () => {
    const rules = await runCli(["lint", "--rules"]);
    expect(rules.code).toBe(0);
    expect(rules.stdout).toContain("safety/host-mount");
    // Every row, the folder-wide duplicate-id check included, has its severity in the same column.
    const rows = rules.stdout.split("\n").filter((l) => /^ {2}\S+\/\S+ +(error|warning) /.test(l));
    expect(rows.map((l) => l.search(/ (error|warning) /)).filter((c, _i, all) => c !== all[0])).toEqual([]);
    expect(rows.at(-1)).toMatch(/front-matter\/duplicate-id/);
    const bad = await runCli(["lint", "--format", "xml"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--format must be text or json");
  });

  test("the real labs have no lint errors", async () => {
    const r = await runCli(["lint", "labs"]);
    expect(r.stdout).toMatch(/^0 errors, \d+ warnings? in \d+ files$/m);
    expect(r.code).toBe(0);
  });
});

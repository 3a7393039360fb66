// provision/dist-stamp.mjs: the fingerprint that lets the lab VM use the host's compiled dist/ instead of
// running tsc under emulation. It must change with anything tsc compiles from, and with nothing else.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";

const SCRIPT = join(ROOT, "provision/dist-stamp.mjs");
const dirs: string[] = [];

/** A minimal project tree: the files the fingerprint reads, and some it must ignore. */
function project(changes: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "rlt-dist-stamp-"));
  dirs.push(dir);
  const files: Record<string, string> = {
    "package.json": '{"name":"x"}',
    "package-lock.json": '{"lockfileVersion":3}',
    "tsconfig.json": "{}",
    "tsconfig.build.json": "{}",
    "src/cli/main.ts": "export {};\n",
    "src/vm/box/build.ts": "export const a = 1;\n",
    "labs/01-x.md": "# a lab\n",
    "README.md": "readme\n",
    ...changes,
  };
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

const stamp = (dir: string) => execFileSync(process.execPath, [SCRIPT, dir], { encoding: "utf8" }).trim();
const base = stamp(project());

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("dist-stamp fingerprint", () => {
  it.each([
    ["a source file's content", { "src/vm/box/build.ts": "export const a = 2;\n" }, true],
    ["a new source file", { "src/vm/new.ts": "export {};\n" }, true],
    ["a source file's name (same content)", { "src/vm/box/build.ts": "", "src/vm/box/build2.ts": "export const a = 1;\n" }, true],
    ["the lockfile (the compiler's version)", { "package-lock.json": '{"lockfileVersion":3,"x":1}' }, true],
    ["tsconfig.build.json", { "tsconfig.build.json": '{"x":1}' }, true],
    ["a lab (not compiled)", { "labs/01-x.md": "# changed\n" }, false],
    ["the README (not compiled)", { "README.md": "other\n" }, false],
  ])("%s: changes it = %s", (_what, changes, differs) => {
    expect(stamp(project(changes)) !== base).toBe(differs);
  });

  it("is the same for the same tree, and 64 hex digits", () => {
    expect(stamp(project())).toBe(base);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
  });

  it("--write puts it in dist/.source-sha256", () => {
    const dir = project();
    mkdirSync(join(dir, "dist"));
    execFileSync(process.execPath, [SCRIPT, "--write", dir]);
    expect(readFileSync(join(dir, "dist/.source-sha256"), "utf8")).toBe(`${base}\n`);
  });

  it("--fresh: exit 0 only when dist/ was built from these very sources (prepare then skips tsc)", () => {
    const fresh = (dir: string) => spawnSync(process.execPath, [SCRIPT, "--fresh", dir]).status;
    const dir = project();
    expect(fresh(dir)).toBe(1); // never built
    mkdirSync(join(dir, "dist"));
    execFileSync(process.execPath, [SCRIPT, "--write", dir]);
    expect(fresh(dir)).toBe(0);
    writeFileSync(join(dir, "src/cli/main.ts"), "export const changed = 1;\n");
    expect(fresh(dir)).toBe(1); // a source changed since
  });

  it("package.json's prepare builds only when dist/ is not fresh", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(pkg.scripts.prepare).toBe("node provision/dist-stamp.mjs --fresh . || npm run build");
  });

  it("a tree without src/ is an error that names the folder", () => {
    const dir = mkdtempSync(join(tmpdir(), "rlt-dist-stamp-"));
    dirs.push(dir);
    let err = "";
    try {
      execFileSync(process.execPath, [SCRIPT, dir], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (e) {
      err = String((e as { stderr?: string }).stderr);
    }
    expect(err).toContain(`dist-stamp: cannot fingerprint the sources in ${dir}`);
  });
});

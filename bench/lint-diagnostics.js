#!/usr/bin/env node
// Every diagnostic (parser + lint rules) of every lab file under labs/ and test/fixtures/, one JSON line each, in
// file order. For proving that a change to the parser, the shell lexer or lint (a speed-up, say) changes no
// finding: run it with the build before and after, on the same files, and compare.
//
//   node bench/lint-diagnostics.js [BUILD_DIR] [FILES_DIR] > after.txt
//
// BUILD_DIR holds the dist/ to use (default: this checkout), FILES_DIR the labs/ and test/fixtures/ to read
// (default: this checkout). E.g. `git archive main | tar -x -C /tmp/before && (cd /tmp/before && ln -s
// "$OLDPWD/node_modules" && npx tsc -p tsconfig.build.json)`, then `node bench/lint-diagnostics.js /tmp/before .
// > before.txt` and `cmp before.txt after.txt`.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = fileURLToPath(new URL("..", import.meta.url));
const build = resolve(process.argv[2] ?? HERE);
const files = resolve(process.argv[3] ?? HERE);
const { parseLab } = await import(join(build, "dist/format/parse.js"));
const { lintLab } = await import(join(build, "dist/lint/lint.js"));

const walk = (dir) =>
  readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : name.endsWith(".md") ? [path] : [];
    });

let count = 0;
const labFiles = [...walk(join(files, "labs")), ...walk(join(files, "test/fixtures"))];
for (const file of labFiles) {
  const source = readFileSync(file, "utf8");
  const name = relative(files, file); // the same names (and so the same messages) whichever folder is read
  const result = parseLab(source, name);
  const diagnostics = result.ok ? [...result.warnings, ...lintLab(result.lab, source)] : result.diagnostics;
  for (const d of diagnostics) process.stdout.write(`${JSON.stringify(d)}\n`);
  count += diagnostics.length;
}
process.stderr.write(`${labFiles.length} lab files, ${count} diagnostics (build ${build})\n`);

#!/usr/bin/env node
// The differential check for speed work on parse + lint: everything parseLab and lintLab say about a corpus, one
// JSON line per input — the parsed lab (front matter, steps, blocks, prose; not its source text), the parser's
// warnings or errors and every lint diagnostic. Run it with the build before and after a change and compare: a
// speed-up must print the same bytes.
//
//   node bench/parse-lint-diff.js [BUILD_DIR] [FILES_DIR] [--mutations N] > after.txt
//
// The corpus: every `.md` under labs/, test/fixtures/ (good, broken, malformed, the lint rules' and the bypass
// rounds' fixtures) and docs/ of FILES_DIR, and N seeded mutations of each lab of labs/ (default 40): lines
// deleted, doubled, swapped, re-indented or cut, and characters that mean something to YAML, Markdown or the
// shell put in — in the front matter as much as in the body, so every reader's fallbacks are exercised too.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const at = args.indexOf("--mutations");
const mutations = at >= 0 ? Number(args.splice(at, 2)[1]) : 40;
const HERE = fileURLToPath(new URL("..", import.meta.url));
const build = resolve(args[0] ?? HERE);
const files = resolve(args[1] ?? HERE);
const { parseLab } = await import(join(build, "dist/format/parse.js"));
const { lintLab } = await import(join(build, "dist/lint/lint.js"));

const walk = (dir) =>
  readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : name.endsWith(".md") ? [path] : [];
    });

/** mulberry32, as test/helpers/random.ts: the same seed gives the same corpus with every build. */
function random(seed) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ["`", "```", "```sh", "---", "#", "## ", "$", "$(", "'", '"', "\\", ":", ": ", " ", "  ", "\t", "- ", "-", "[", "]", "{", "}", ",", "&", "*", "!", "|", ">", "<", "?", "%", "@", "~", "=", ";", "\n", "\r", "ip link set eth0 down", "${X:-eth0}", "<!-- x -->", "> [!NOTE]", "1. ", "    ", "null", "yes", "0x1F", "1e3", "true", "#c"];

function mutate(text, next) {
  const lines = text.split("\n");
  const frontEnd = lines.indexOf("---", 1);
  // A quarter of the edits hit the front matter (a dozen lines among hundreds would otherwise rarely be touched).
  const pick = () => (next() < 0.25 && frontEnd > 0 ? Math.floor(next() * (frontEnd + 1)) : Math.floor(next() * lines.length));
  const edits = 1 + Math.floor(next() * 3);
  for (let e = 0; e < edits; e++) {
    const i = pick();
    const line = lines[i] ?? "";
    const kind = Math.floor(next() * 7);
    if (kind === 0) lines.splice(i, 1);
    else if (kind === 1) lines.splice(i, 0, line);
    else if (kind === 2) {
      const j = pick();
      lines[i] = lines[j] ?? "";
      lines[j] = line;
    } else if (kind === 3) lines[i] = (next() < 0.5 ? "  " : " ") + line;
    else if (kind === 4) lines[i] = line.slice(0, Math.floor(next() * (line.length + 1)));
    else {
      const p = Math.floor(next() * (line.length + 1));
      lines[i] = line.slice(0, p) + PIECES[Math.floor(next() * PIECES.length)] + line.slice(p);
    }
  }
  return lines.join("\n");
}

/** What parseLab and lintLab said about one input, as one line. */
function record(name, source) {
  const result = parseLab(source, name);
  const lab = result.ok ? result.lab : result.partial;
  const diagnostics = result.ok ? [...result.warnings, ...lintLab(result.lab, source)] : result.diagnostics;
  const shown = lab ? { ...lab, source: undefined } : null;
  return JSON.stringify({ name, ok: result.ok, diagnostics, lab: shown });
}

let count = 0;
const out = [];
const inputs = [...walk(join(files, "labs")), ...walk(join(files, "test/fixtures")), ...walk(join(files, "docs"))];
for (const file of inputs) {
  const source = readFileSync(file, "utf8");
  out.push(record(relative(files, file), source));
  count++;
}
walk(join(files, "labs")).forEach((file, f) => {
  const source = readFileSync(file, "utf8");
  const next = random(1000 + f);
  for (let m = 0; m < mutations; m++) {
    out.push(record(`${relative(files, file)}#${m}`, mutate(source, next)));
    count++;
  }
});
process.stdout.write(`${out.join("\n")}\n`);
process.stderr.write(`${count} inputs (${inputs.length} files, ${count - inputs.length} mutations; build ${build})\n`);

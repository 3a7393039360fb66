#!/usr/bin/env node
// Benchmarks (not tests): run with `npm run bench` as root on a disposable machine. Prints ratios measured in
// one run; the figures are recorded in docs/benchmarks.md. Targets: ≤ 2 ms added per block, start-up ≤ 150 ms
// over `node -e 0`, parsing + checking 500 labs < 1 s.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./stats.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "bin/rootlab.js");
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

function timeMs(cmd, args, env = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env: { ...process.env, ...env }, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return ms;
}

const repeat = (fn) => median(Array.from({ length: RUNS }, fn));
const fmt = (ms) => `${ms.toFixed(1)} ms`;

function labWith(blocks) {
  const body = Array.from({ length: blocks }, (_, i) => `\`\`\`sh\ntrue ${i}\n\`\`\`\n`).join("\n");
  return `---\nformat: 1\nid: bench-${blocks}\ntitle: Bench ${blocks}\nrequires:\n  root: true\n---\n\n# Bench\n\n## Blocks\n\n${body}`;
}

function blockOverhead(dir) {
  if (process.getuid?.() !== 0) return { skipped: "needs root (runs a real lab)" };
  const env = { ROOTLAB_DISPOSABLE: "1", NO_COLOR: "1", ROOTLAB_WORKDIR: dir };
  const files = [1, 200].map((n) => {
    const f = join(dir, `bench-${n}.md`);
    writeFileSync(f, labWith(n));
    return f;
  });
  const script = join(dir, "plain.sh");
  writeFileSync(script, Array.from({ length: 200 }, (_, i) => `true ${i}`).join("\n") + "\n");
  const one = repeat(() => timeMs(process.execPath, [BIN, "verify", files[0]], env));
  const many = repeat(() => timeMs(process.execPath, [BIN, "verify", files[1]], env));
  const bash = repeat(() => timeMs("bash", [script]));
  const perBlock = (many - one - bash) / 199;
  return { one, many, bash, perBlock };
}

/**
 * The session engine's own cost per block, as issue 10 defines it: a lab of 600 blocks of `/bin/echo stepN`, each
 * with its expect, against one of 10 such blocks; (t600 − t10) / 590, minus the same difference for a plain bash
 * script of the same commands; best of 3. Target ≤ 0.5 ms.
 */
function engineCost(dir) {
  if (process.getuid?.() !== 0) return { skipped: "needs root (runs a real lab)" };
  const env = { ROOTLAB_DISPOSABLE: "1", NO_COLOR: "1", ROOTLAB_WORKDIR: dir };
  const lab = (n) => {
    const body = Array.from({ length: n }, (_, i) => `\`\`\`sh\n/bin/echo step${i}\n\`\`\`\n\n\`\`\`text expect\nstep${i}\n\`\`\`\n`).join("\n");
    const f = join(dir, `echo-${n}.md`);
    writeFileSync(f, `---\nformat: 1\nid: echo-${n}\ntitle: Echo ${n}\nrequires:\n  root: true\n---\n\n# Echo\n\n## Blocks\n\n${body}`);
    return f;
  };
  const script = (n) => {
    const f = join(dir, `echo-${n}.sh`);
    writeFileSync(f, Array.from({ length: n }, (_, i) => `/bin/echo step${i}`).join("\n") + "\n");
    return f;
  };
  const best = (fn) => Math.min(fn(), fn(), fn());
  const [l10, l600, s10, s600] = [lab(10), lab(600), script(10), script(600)];
  const t10 = best(() => timeMs(process.execPath, [BIN, "verify", l10], env));
  const t600 = best(() => timeMs(process.execPath, [BIN, "verify", l600], env));
  const b10 = best(() => timeMs("bash", [s10]));
  const b600 = best(() => timeMs("bash", [s600]));
  return { t10, t600, b10, b600, perBlock: (t600 - t10) / 590 - (b600 - b10) / 590 };
}

async function parseBench() {
  const { parseLab } = await import(join(ROOT, "dist/format/parse.js"));
  let lint;
  try {
    ({ lintLab: lint } = await import(join(ROOT, "dist/lint/lint.js")));
  } catch {
    lint = undefined;
  }
  const labsDir = join(ROOT, "labs");
  const sources = readdirSync(labsDir).filter((f) => f.endsWith(".md")).map((f) => [f, readFileSync(join(labsDir, f), "utf8")]);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < 500; i++) {
    const [name, src] = sources[i % sources.length];
    const res = parseLab(src, `${i}-${name}`);
    if (lint && res.ok) lint(res.lab, src);
  }
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, checked: Boolean(lint), distinct: sources.length };
}

const dir = mkdtempSync(join(tmpdir(), "rootlab-bench-"));
try {
  const node0 = repeat(() => timeMs(process.execPath, ["-e", "0"]));
  const version = repeat(() => timeMs(process.execPath, [BIN, "--version"]));
  const list = repeat(() => timeMs(process.execPath, [BIN, "list"], { NO_COLOR: "1" }));
  const blocks = blockOverhead(dir);
  const engine = engineCost(dir);
  const parse = await parseBench();
  const ok = (cond) => (cond ? "OK" : "OVER TARGET");
  console.log(`rootlab benchmarks — median of ${RUNS} runs, ${new Date().toISOString()}, node ${process.version}, ${execFileSync("uname", ["-r"], { encoding: "utf8" }).trim()}`);
  console.log(`(b) start-up: node -e 0 ${fmt(node0)}; rootlab --version ${fmt(version)} (+${fmt(version - node0)}, ${(version / node0).toFixed(2)}×) ${ok(version - node0 <= 150)}`);
  console.log(`    rootlab list ${fmt(list)} (+${fmt(list - node0)}, ${(list / node0).toFixed(2)}×) ${ok(list - node0 <= 150)}`);
  if (blocks.skipped) console.log(`(a) blocks: skipped — ${blocks.skipped}`);
  else {
    console.log(`(a) blocks: lab of 1 block ${fmt(blocks.one)}; lab of 200 blocks ${fmt(blocks.many)}; plain bash script of 200 commands ${fmt(blocks.bash)}`);
    console.log(`    added per block: ${blocks.perBlock.toFixed(2)} ms (target ≤ 2 ms) ${ok(blocks.perBlock <= 2)}; ratio 200-block lab / bash script ${(blocks.many / blocks.bash).toFixed(1)}×`);
  }
  if (engine.skipped) console.log(`(d) engine cost per block: skipped — ${engine.skipped}`);
  else {
    console.log(`(d) engine: lab of 10 echo+expect blocks ${fmt(engine.t10)}; of 600 ${fmt(engine.t600)}; bash 10 ${fmt(engine.b10)}, 600 ${fmt(engine.b600)} (best of 3)`);
    console.log(`    engine cost per block: ${engine.perBlock.toFixed(2)} ms (target ≤ 0.5 ms) ${ok(engine.perBlock <= 0.5)}`);
  }
  console.log(`(c) parse${parse.checked ? " + lint" : ""} 500 labs (${parse.distinct} distinct sources): ${fmt(parse.ms)} (target < 1000 ms) ${ok(parse.ms < 1000)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

#!/usr/bin/env node
// Benchmarks (not tests): run with `npm run bench` as root on a disposable machine. Prints ratios measured in
// one run; the figures are recorded in docs/benchmarks.md. Targets: ≤ 2 ms added per block, start-up ≤ 150 ms
// over `node -e 0`, parsing + checking 500 labs < 1 s.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./stats.js";
import { parseLintRound } from "./parse-loop.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "bin/rootlab.js");
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const TICK_MS = 1000 / 100; // USER_HZ: /proc reports CPU time in 1/100 s

/** CPU time (user + system, ms) of this process's children that have been waited for: /proc/self/stat cutime + cstime. */
function childrenCpuMs() {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields from the 3rd (state) on
  return (Number(fields[13]) + Number(fields[14])) * TICK_MS; // cutime, cstime (fields 16 and 17)
}

/**
 * Runs a command and returns its wall time and its CPU time (user + system of the command and every process it
 * waited for, e.g. rootlab's sessions and what they ran), both in ms. The CPU time is what a loaded machine
 * changes least: compare it when wall times are noisy. Resolution of the CPU time: 10 ms per run.
 */
function timeMs(cmd, args, env = {}) {
  const cpu0 = childrenCpuMs();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env: { ...process.env, ...env }, encoding: "utf8" });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = childrenCpuMs() - cpu0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return { wall, cpu };
}

/** Median of RUNS runs, wall and CPU each. */
function repeat(fn) {
  const runs = Array.from({ length: RUNS }, fn);
  return { wall: median(runs.map((r) => r.wall)), cpu: median(runs.map((r) => r.cpu)) };
}
/** Best of 3 runs, wall and CPU each (issue 10's measure). */
function best(fn) {
  const runs = [fn(), fn(), fn()];
  return { wall: Math.min(...runs.map((r) => r.wall)), cpu: Math.min(...runs.map((r) => r.cpu)) };
}
const fmt = (ms) => `${ms.toFixed(1)} ms`;
const both = (t) => `${fmt(t.wall)} (CPU ${fmt(t.cpu)})`;

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
  const per = (k) => (many[k] - one[k] - bash[k]) / 199;
  return { one, many, bash, perBlock: per("wall"), perBlockCpu: per("cpu") };
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
  const [l10, l600, s10, s600] = [lab(10), lab(600), script(10), script(600)];
  const t10 = best(() => timeMs(process.execPath, [BIN, "verify", l10], env));
  const t600 = best(() => timeMs(process.execPath, [BIN, "verify", l600], env));
  const b10 = best(() => timeMs("bash", [s10]));
  const b600 = best(() => timeMs("bash", [s600]));
  const per = (k) => (t600[k] - t10[k]) / 590 - (b600[k] - b10[k]) / 590;
  return { t10, t600, b10, b600, perBlock: per("wall"), perBlockCpu: per("cpu") };
}

function parseBench() {
  return parseLintRound(ROOT);
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
  const [load1, load5, load15] = readFileSync("/proc/loadavg", "utf8").split(" ");
  console.log(`rootlab benchmarks — median of ${RUNS} runs, ${new Date().toISOString()}, node ${process.version}, ${execFileSync("uname", ["-r"], { encoding: "utf8" }).trim()}, load average ${load1} ${load5} ${load15} at the end`);
  console.log("Targets are on wall time; CPU time (user + system of rootlab and every process it waited for) is beside it, to judge a run on a loaded machine.");
  console.log(`(b) start-up: node -e 0 ${both(node0)}; rootlab --version ${both(version)} (+${fmt(version.wall - node0.wall)}, ${(version.wall / node0.wall).toFixed(2)}×) ${ok(version.wall - node0.wall <= 150)}`);
  console.log(`    rootlab list ${both(list)} (+${fmt(list.wall - node0.wall)}, CPU +${fmt(list.cpu - node0.cpu)}) ${ok(list.wall - node0.wall <= 150)}`);
  if (blocks.skipped) console.log(`(a) blocks: skipped — ${blocks.skipped}`);
  else {
    console.log(`(a) blocks: lab of 1 block ${both(blocks.one)}; lab of 200 blocks ${both(blocks.many)}; plain bash script of 200 commands ${both(blocks.bash)}`);
    console.log(`    added per block: ${blocks.perBlock.toFixed(2)} ms (CPU ${blocks.perBlockCpu.toFixed(2)} ms) (target ≤ 2 ms) ${ok(blocks.perBlock <= 2)}`);
  }
  if (engine.skipped) console.log(`(d) engine cost per block: skipped — ${engine.skipped}`);
  else {
    console.log(`(d) engine: lab of 10 echo+expect blocks ${both(engine.t10)}; of 600 ${both(engine.t600)}; bash 10 ${both(engine.b10)}, 600 ${both(engine.b600)} (best of 3)`);
    console.log(`    engine cost per block: ${engine.perBlock.toFixed(2)} ms (CPU ${engine.perBlockCpu.toFixed(2)} ms) (target ≤ 0.5 ms) ${ok(engine.perBlock <= 0.5)}`);
  }
  console.log(`(c) parse${parse.checked ? " + lint" : ""} 500 labs (${parse.distinct} distinct sources): ${fmt(parse.ms)} (CPU ${fmt(parse.cpu)}) (target < 1000 ms) ${ok(parse.ms < 1000)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

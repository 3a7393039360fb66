#!/usr/bin/env node
// Target (c)'s per-lab cost once V8 has warmed up, for A/B work on a loaded machine: the builds given are loaded in
// one process and the labs of the first are parsed + linted by each build in turn, batch by batch (10 × the labs),
// alternating the order every round, so load falls on each alike. Prints each build's CPU time per lab (median and
// best over the rounds). The cold figure `bench/run.js` measures is about twice this plus V8's warm-up.
//
//   node bench/parse-warm.js [--rounds N] BUILD_DIR [BUILD_DIR …]     (BUILD_DIR holds a dist/, see parse-lint.js)
import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { median } from "./stats.js";

const args = process.argv.slice(2);
const at = args.indexOf("--rounds");
const rounds = at >= 0 ? Number(args.splice(at, 2)[1]) : 20;
const builds = args.map((b) => resolve(b));
if (builds.length === 0) throw new Error("usage: node bench/parse-warm.js [--rounds N] BUILD_DIR [BUILD_DIR …]");
const mods = [];
for (const b of builds) {
  const { parseLab } = await import(join(b, "dist/format/parse.js"));
  const { lintLab } = await import(join(b, "dist/lint/lint.js"));
  mods.push({ build: b, parseLab, lintLab, cpu: [] });
}
const labsDir = join(builds[0], "labs");
const labs = readdirSync(labsDir).filter((f) => f.endsWith(".md")).map((f) => [f, readFileSync(join(labsDir, f), "utf8")]);

/** CPU ms per lab for one batch of 10 × the labs through one build. */
function batch(m) {
  const c0 = process.cpuUsage();
  for (let r = 0; r < 10; r++) {
    for (const [file, src] of labs) {
      const res = m.parseLab(src, file);
      if (res.ok) m.lintLab(res.lab, src);
    }
  }
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000 / (10 * labs.length);
}

for (let i = 0; i < 6; i++) for (const m of mods) batch(m); // warm-up, not counted
for (let i = 0; i < rounds; i++) for (const m of i % 2 ? [...mods].reverse() : mods) m.cpu.push(batch(m));
const [load1, load5] = readFileSync("/proc/loadavg", "utf8").split(" ");
console.log(`(c) warm: parse + lint CPU per lab, ${rounds} alternating rounds of ${10 * labs.length} labs, load average ${load1} ${load5} at the end`);
for (const m of mods) console.log(`  ${m.build}: median ${median(m.cpu).toFixed(3)} ms, best ${Math.min(...m.cpu).toFixed(3)} ms`);

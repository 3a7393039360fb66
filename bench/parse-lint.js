#!/usr/bin/env node
// Target (c) alone: parse + lint of 500 labs (the 14 real labs cycled), as `bench/run.js`'s parseBench measures
// it — one cold round per process — without running any lab (no root, no lock needed). Given several builds, it
// alternates them run by run, so a loaded machine's noise falls on each alike, and prints best and median.
//
//   node bench/parse-lint.js [--runs N] [BUILD_DIR …]
//
// BUILD_DIR holds a dist/ (default: this checkout). E.g. main's: `git archive main | tar -x -C /tmp/main && (cd
// /tmp/main && ln -s "$OLDPWD/node_modules" && npx tsc -p tsconfig.build.json)`, then
// `node bench/parse-lint.js /tmp/main .`. The labs read are each build's own labs/.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./stats.js";
import { parseLintRound } from "./parse-loop.js";

const HERE = fileURLToPath(new URL("..", import.meta.url));

/** One cold round in this process (the child): prints `wall cpu` in ms. */
async function round(build) {
  const { ms, cpu } = await parseLintRound(build);
  console.log(`${ms} ${cpu}`);
}

const args = process.argv.slice(2);
if (args[0] === "--child") await round(args[1]);
else {
  const at = args.indexOf("--runs");
  const runs = at >= 0 ? Number(args.splice(at, 2)[1]) : 5;
  const builds = (args.length > 0 ? args : [HERE]).map((b) => resolve(b));
  const results = new Map(builds.map((b) => [b, []]));
  for (let r = 0; r < runs; r++) {
    for (const build of builds) {
      const out = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--child", build], { encoding: "utf8" });
      if (out.status !== 0) throw new Error(`${build}: ${out.stderr}`);
      const [wall, cpu] = out.stdout.trim().split(" ").map(Number);
      results.get(build).push({ wall, cpu });
      process.stderr.write(`run ${r + 1}/${runs} ${build}: ${wall.toFixed(0)} ms (CPU ${cpu.toFixed(0)} ms)\n`);
    }
  }
  const [load1, load5] = readFileSync("/proc/loadavg", "utf8").split(" ");
  console.log(`(c) parse + lint 500 labs, one cold round per process, ${runs} runs each, load average ${load1} ${load5} at the end (target < 1000 ms wall)`);
  for (const [build, list] of results) {
    const f = (k) => `best ${Math.min(...list.map((x) => x[k])).toFixed(0)} / median ${median(list.map((x) => x[k])).toFixed(0)} ms`;
    console.log(`  ${build}: wall ${f("wall")}; CPU ${f("cpu")}`);
  }
}

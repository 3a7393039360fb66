// Target (c)'s loop, shared by bench/run.js and bench/parse-lint.js: parse + lint of 500 labs, the labs/ of BUILD
// (a folder holding dist/) cycled, one cold round in this process. A build without lint is measured on parsing.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

export async function parseLintRound(build) {
  const { parseLab } = await import(join(build, "dist/format/parse.js"));
  let lint;
  try {
    ({ lintLab: lint } = await import(join(build, "dist/lint/lint.js")));
  } catch {
    lint = undefined;
  }
  const labsDir = join(build, "labs");
  const sources = readdirSync(labsDir).filter((f) => f.endsWith(".md")).map((f) => [f, readFileSync(join(labsDir, f), "utf8")]);
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < 500; i++) {
    const [name, src] = sources[i % sources.length];
    const res = parseLab(src, `${i}-${name}`);
    if (lint && res.ok) lint(res.lab, src);
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  return { ms, cpu: (cpu.user + cpu.system) / 1000, checked: Boolean(lint), distinct: sources.length };
}

#!/usr/bin/env node
// Where a block's time goes, without a lab run around it (not a test): drives the session engine directly — one
// host session, N blocks — and prints per block the wall time and the CPU time of node and of the session's bash
// (itself, and the commands it ran). Run as root after `npm run build`: `node bench/engine.js [N] [COMMAND]`.
// COMMAND defaults to `:` (no process: the engine alone); `/bin/echo x` adds a fork and exec as labs do.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const N = Number(process.argv[2] ?? 1000);
const CODE = process.argv[3] ?? ":";
const { openSessions } = await import(join(ROOT, "dist/exec/sessions.js"));

/** CPU time (ms) of a process and of its waited-for children, from /proc/PID/stat (1/100 s ticks). */
function cpuOf(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { self: (Number(f[11]) + Number(f[12])) * 10, children: (Number(f[13]) + Number(f[14])) * 10 };
}

const labDir = mkdtempSync(join(tmpdir(), "rootlab-engine-"));
const env = { ...process.env, LAB_DIR: labDir, TERM: "dumb", LC_ALL: "C.UTF-8" };
for (const k of Object.keys(env)) if (/^(npm_|NODE_)/.test(k)) delete env[k];
const sessions = await openSessions({ env, labDir });
try {
  const bash = sessions.pid("host");
  const bash0 = cpuOf(bash);
  const node0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const r = await sessions.run({ code: CODE, codeLine: 1, session: "host", timeoutMs: 10_000, mode: "script" });
    if (r.kind !== "ok" || r.exitCode !== 0) throw new Error(`block ${i} failed: ${r.reason ?? r.exitCode} ${r.stderr}`);
  }
  const wall = performance.now() - t0;
  const node = process.cpuUsage(node0);
  const bash1 = cpuOf(bash);
  const per = (ms) => `${(ms / N).toFixed(3)} ms`;
  const [l1, l5] = readFileSync("/proc/loadavg", "utf8").split(" ");
  console.log(`${N} blocks of ${JSON.stringify(CODE)} in the host session, load average ${l1} ${l5}; per block:`);
  console.log(`  wall ${per(wall)}; CPU: node ${per((node.user + node.system) / 1000)}, bash ${per(bash1.self - bash0.self)}, what bash ran ${per(bash1.children - bash0.children)}`);
} finally {
  await sessions.close();
  rmSync(labDir, { recursive: true, force: true });
}

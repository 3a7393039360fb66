// explain's cost: the snapshot and diff around every step, over the shipped labs (median per step ≤ 30 ms).
// Runs real labs as root on a disposable machine, like `rootlab verify --explain`. Not part of the tests.
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { findLabFiles, loadLab } from "../dist/format/load.js";
import { planLabs, verifyLabs } from "../dist/exec/verify-labs.js";
import { assertMayExecute } from "../dist/host/guard.js";
import { median } from "./stats.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

if (process.getuid?.() !== 0) {
  console.log("(e) explain: skipped — needs root (it runs the labs)");
  process.exit(0);
}
// ROOTLAB_BENCH_LABS=runtime-in-shell,unshare-pivot-root measures only those (one lab's numbers in seconds).
const only = (process.env.ROOTLAB_BENCH_LABS ?? "").split(",").filter(Boolean);
const labs = [];
for (const file of await findLabFiles(join(ROOT, "labs"))) {
  const r = await loadLab(file);
  if (r.ok && (only.length === 0 || only.includes(r.lab.meta.id))) labs.push(r.lab);
}
const costs = [];
const perLab = new Map();
const summaries = await verifyLabs(planLabs(labs), {
  explain: true,
  permit: assertMayExecute({ disposableFlag: true }),
  emit: (e) => {
    if (e.type !== "step-changes" || e.stepIndex < 0) return;
    costs.push(e.costMs);
    perLab.set(e.labId, [...(perLab.get(e.labId) ?? []), e.costMs]);
  },
});
const ran = summaries.filter((s) => s.outcome.status !== "skipped").map((s) => s.id);
const m = median(costs) ?? 0;
console.log(`(e) explain: snapshot + diff per step over ${costs.length} steps of ${ran.length} labs: median ${m.toFixed(1)} ms, max ${Math.max(...costs).toFixed(1)} ms (target median ≤ 30 ms) ${m <= 30 ? "OK" : "OVER TARGET"}`);
for (const [id, xs] of perLab) console.log(`    ${id}: median ${median(xs).toFixed(1)} ms over ${xs.length} steps`);

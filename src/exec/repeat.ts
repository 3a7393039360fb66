// --repeat: the same lab run several times; a step whose outcome changes between runs is flaky.
import type { LabSummary } from "./types.js";

/** One line per flaky step, e.g. `bridges step 3 "Ping across the bridge": pass, fail, pass`. */
export function flakySteps(runs: LabSummary[][]): string[] {
  const seen = new Map<string, { label: string; statuses: string[] }>();
  for (const run of runs) {
    for (const lab of run) {
      for (const step of lab.steps) {
        const key = `${lab.id}\u0000${step.index}`;
        const entry = seen.get(key) ?? { label: `${lab.id} step ${step.index + 1} "${step.title}"`, statuses: [] };
        entry.statuses.push(step.outcome.status);
        seen.set(key, entry);
      }
    }
  }
  return [...seen.values()].filter((e) => new Set(e.statuses).size > 1).map((e) => `${e.label}: ${e.statuses.join(", ")}`);
}

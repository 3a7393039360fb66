// `rootlab verify --explain --report json` on one lab, as the explain e2e tests read it: the lab's report with
// each step's changes (docs/report-json.md), and lookups by step slug. One copy for every explain test.
import { expect } from "vitest";
import { runCli } from "./cli.js";

export interface Change {
  kind: string;
  action: string;
  subject: string;
  text: string;
}

export interface ExplainedLab {
  id: string;
  outcome: { status: string; reason?: string };
  steps: { slug: string; changes?: Change[] }[];
  changesAfterCleanup?: Change[];
}

/** Runs LAB (an id or a file) with --explain; fails the test, with rootlab's stderr, unless it exits 0. */
export async function explained(lab: string): Promise<ExplainedLab> {
  const r = await runCli(["verify", lab, "--explain", "--report", "json", "--disposable"]);
  expect(r.code, r.stderr).toBe(0);
  const out = (JSON.parse(r.stdout) as { labs: ExplainedLab[] }).labs[0];
  if (!out) throw new Error(`no lab in the report of ${lab}:\n${r.stdout}`);
  return out;
}

export const texts = (cs: Change[] | undefined): string[] => (cs ?? []).map((c) => c.text);

/** The changes' texts of the step whose slug starts with PREFIX; throws, naming the slugs there are, if none does. */
export function stepTexts(lab: ExplainedLab, prefix: string): string[] {
  const found = lab.steps.find((s) => s.slug.startsWith(prefix));
  if (!found) throw new Error(`no step ${prefix}… in ${lab.steps.map((s) => s.slug).join(", ")}`);
  return texts(found.changes);
}

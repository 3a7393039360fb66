// JUnit XML, as Jenkins, GitLab and GitHub test-report actions read it: <testsuites> → one <testsuite> per lab
// run → one <testcase> per step (classname = lab id, name = "N. step title"), plus "cleanup and leak check".
// A skipped lab is one testcase "lab" with <skipped>. Counts on every suite are computed from its cases.
import type { Outcome } from "../exec/types.js";
import type { LabReport, RunReport } from "./collect.js";
import { cleanupVerdict, describeFailure, wrongAttemptLine, type StepFailure } from "./details.js";
import { markdownToPlain } from "../term/plain.js";
import { attrs, escapeText, seconds, timestamp } from "./xml.js";
import { guardStatusLine } from "../host/net-guard.js";

interface Case {
  name: string;
  ms: number;
  /** verify --strict: one line per wrong attempt, in <system-out>. */
  out?: string[];
  result: { kind: "pass" } | { kind: "skipped"; message: string } | { kind: "failure" | "error"; failure: StepFailure };
}

const CLEANUP_CASE = "cleanup and leak check";

function resultOf(outcome: Outcome, failure: () => StepFailure): Case["result"] {
  switch (outcome.status) {
    case "pass":
      return { kind: "pass" };
    case "skipped":
      return { kind: "skipped", message: outcome.reason };
    case "fail":
      return { kind: "failure", failure: failure() };
    case "error":
      return { kind: "error", failure: failure() };
  }
}

function casesOf(lab: LabReport): Case[] {
  if (lab.outcome.status === "skipped") return [{ name: "lab", ms: 0, result: { kind: "skipped", message: lab.outcome.reason } }];
  const cases: Case[] = lab.steps.map((s) => ({
    name: `${s.index + 1}. ${s.title}`,
    ms: s.durationMs,
    result: resultOf(s.outcome, () => describeFailure((s.outcome as { reason: string }).reason, s.blocks, s.hint ? markdownToPlain(s.hint) : undefined)),
    ...(s.wrongAttempts ? { out: s.wrongAttempts.map((w) => wrongAttemptLine(w)) } : {}),
  }));
  if (lab.cleanup.length > 0 || lab.leaks !== undefined) {
    const v = cleanupVerdict(lab.cleanup, lab.leaks);
    cases.push({
      name: CLEANUP_CASE,
      ms: lab.cleanup.reduce((sum, b) => sum + b.result.durationMs, 0),
      result: resultOf(v.outcome, () => {
        const reason = (v.outcome as { reason: string }).reason;
        const f = describeFailure(reason, v.failed);
        const text = [v.failed.length > 0 ? f.text : "", v.leakText ?? ""].filter((t) => t !== "").join("\n\n");
        return { type: v.failed.length > 0 ? f.type : "leak", message: reason, text };
      }),
    });
  }
  // A lab can fail or error with no failing step (fixtures could not be prepared, LAB_DIR not removed):
  // the suite must still show it.
  const anyFailed = cases.some((c) => c.result.kind === "failure" || c.result.kind === "error");
  if ((lab.outcome.status === "fail" || lab.outcome.status === "error") && !anyFailed) {
    const failure: StepFailure = { type: lab.outcome.status === "error" ? "lab-error" : "lab-failed", message: lab.outcome.reason, text: lab.outcome.reason };
    cases.unshift({ name: "lab", ms: 0, result: { kind: lab.outcome.status === "error" ? "error" : "failure", failure } });
  }
  return cases;
}

function caseXml(c: Case, lab: LabReport): string {
  const open = `    <testcase${attrs({ classname: lab.id, name: c.name, time: seconds(c.ms), file: lab.file })}`;
  const r = c.result;
  const out = c.out ? `\n      <system-out>${escapeText(c.out.join("\n"))}</system-out>` : "";
  if (r.kind === "pass") return out ? `${open}>${out}\n    </testcase>` : `${open}/>`;
  if (r.kind === "skipped") return `${open}>\n      <skipped${attrs({ message: r.message })}/>${out}\n    </testcase>`;
  const f = r.failure;
  return `${open}>\n      <${r.kind}${attrs({ message: f.message, type: f.type })}>${escapeText(f.text)}</${r.kind}>${out}\n    </testcase>`;
}

function counts(cases: Case[]) {
  return {
    tests: cases.length,
    failures: cases.filter((c) => c.result.kind === "failure").length,
    errors: cases.filter((c) => c.result.kind === "error").length,
    skipped: cases.filter((c) => c.result.kind === "skipped").length,
  };
}

export function renderJunit(run: RunReport): string {
  const suites = run.labs.map((lab) => ({ lab, cases: casesOf(lab) }));
  const all = suites.flatMap((s) => s.cases);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites${attrs({ name: "rootlab", ...counts(all), time: seconds(run.durationMs), timestamp: timestamp(run.startedAt) })}>`];
  for (const { lab, cases } of suites) {
    const name = lab.run > 1 ? `${lab.id} (run ${lab.run})` : lab.id;
    lines.push(`  <testsuite${attrs({ name, ...counts(cases), time: seconds(lab.durationMs), timestamp: timestamp(lab.startedAt ?? run.startedAt), file: lab.file })}>`);
    lines.push(`    <properties>`, `      <property${attrs({ name: "title", value: lab.title })}/>`, `      <property${attrs({ name: "outcome", value: lab.outcome.status })}/>`);
    // The host's guard route for the labs' range (src/host/net-guard.ts): its state, and the console's line for it.
    if (lab.netGuard) lines.push(`      <property${attrs({ name: "net-guard", value: lab.netGuard.state })}/>`, `      <property${attrs({ name: "net-guard-detail", value: guardStatusLine(lab.netGuard) })}/>`);
    lines.push(`    </properties>`);
    for (const c of cases) lines.push(caseXml(c, lab));
    lines.push("  </testsuite>");
  }
  lines.push("</testsuites>");
  return `${lines.join("\n")}\n`;
}

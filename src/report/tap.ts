// TAP version 14: one test point per lab (plan 1..N), each with a subtest of its steps (indented 4 spaces,
// its own plan) and a YAML diagnostic block when something failed. Skipped labs are `ok N - … # SKIP reason`.
import type { Outcome } from "../exec/types.js";
import type { LabReport, RunReport, StepReport } from "./collect.js";
import { cleanupVerdict, describeFailure, wrongAttemptLine } from "./details.js";
import { countOutcomes } from "./json.js";
import { markdownToPlain } from "../term/plain.js";
import { toYamlLines, type YamlValue } from "./tap-yaml.js";
import { guardStatusLine } from "../host/net-guard.js";

const SUBTEST = "    ";

/** A description on one line, with `#` and `\` escaped as TAP 14 requires. */
function description(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").replace(/\\/g, "\\\\").replace(/#/g, "\\#");
}

function directiveReason(text: string): string {
  return text.replace(/\s*\n\s*/g, " ");
}

function point(n: number, outcome: Outcome, desc: string): string {
  const ok = outcome.status === "pass" || outcome.status === "skipped";
  const skip = outcome.status === "skipped" ? ` # SKIP ${directiveReason(outcome.reason)}` : "";
  return `${ok ? "ok" : "not ok"} ${n} - ${description(desc)}${skip}`;
}

/** A YAML diagnostic block for the test point above, indented two spaces past it. */
function yamlBlock(indent: string, value: { [key: string]: YamlValue | undefined }): string[] {
  return [`${indent}  ---`, ...toYamlLines(value, `${indent}  `), `${indent}  ...`];
}

function stepLines(step: StepReport, n: number): string[] {
  const lines = [point(n, step.outcome, `${step.index + 1}. ${step.title}`)];
  if (step.outcome.status === "fail" || step.outcome.status === "error") {
    const f = describeFailure(step.outcome.reason, step.blocks, step.hint ? markdownToPlain(step.hint) : undefined);
    const first = step.blocks.find((b) => b.outcome.status === "fail" || b.outcome.status === "error");
    lines.push(
      ...yamlBlock("", {
        message: f.message,
        severity: step.outcome.status,
        type: f.type,
        at: first ? { file: first.ref.file, line: first.result.failedLine ?? first.ref.line, session: first.ref.session } : undefined,
        durationMs: Math.round(step.durationMs),
        details: f.text,
        wrongAttempts: step.wrongAttempts?.map((w) => wrongAttemptLine(w)),
      }),
    );
  } else if (step.wrongAttempts) {
    // A passing step's proof (verify --strict): which check rejected each wrong attempt, as TAP comments.
    lines.push(...step.wrongAttempts.map((w) => `# ${directiveReason(wrongAttemptLine(w))}`));
  }
  return lines;
}

function cleanupLines(lab: LabReport, n: number): string[] {
  const v = cleanupVerdict(lab.cleanup, lab.leaks);
  const lines = [point(n, v.outcome, "cleanup and leak check")];
  if (v.outcome.status === "fail") {
    lines.push(
      ...yamlBlock("", {
        message: v.outcome.reason,
        severity: "fail",
        leaks: (lab.leaks ?? []).map((l) => ({ kind: l.kind, name: l.name })),
        details: v.failed.length > 0 ? describeFailure(v.outcome.reason, v.failed).text : undefined,
      }),
    );
  }
  return lines;
}

function labLines(lab: LabReport, n: number): string[] {
  const desc = `${lab.id}: ${lab.title}${lab.run > 1 ? ` (run ${lab.run})` : ""}`;
  if (lab.outcome.status === "skipped") return [point(n, lab.outcome, desc)];
  const children: string[][] = lab.steps.map((s, k) => stepLines(s, k + 1));
  if (lab.cleanup.length > 0 || lab.leaks !== undefined) children.push(cleanupLines(lab, children.length + 1));
  // The host's guard route for the labs' range (src/host/net-guard.ts), as the console says it: a comment.
  const guard = lab.netGuard ? [`# ${guardStatusLine(lab.netGuard).replace(/\s*\n\s*/g, " ")}`] : [];
  const sub = [...guard, `1..${children.length}`, ...children.flat()].map((l) => `${SUBTEST}${l}`);
  const lines = [`# Subtest: ${description(desc)}`, ...sub, point(n, lab.outcome, desc)];
  if (lab.outcome.status === "fail" || lab.outcome.status === "error") {
    lines.push(...yamlBlock("", { message: lab.outcome.reason, severity: lab.outcome.status, file: lab.file, durationMs: Math.round(lab.durationMs) }));
  }
  return lines;
}

export function renderTap(run: RunReport): string {
  const lines = ["TAP version 14", `1..${run.labs.length}`];
  run.labs.forEach((lab, k) => lines.push(...labLines(lab, k + 1)));
  const c = countOutcomes(run.labs.map((l) => l.outcome));
  // An interrupted run is not a pass: "Bail out!" makes every TAP consumer read it as failed.
  if (run.interrupted) lines.push(`Bail out! interrupted by ${run.interrupted}`);
  lines.push(`# ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`);
  return `${lines.join("\n")}\n`;
}

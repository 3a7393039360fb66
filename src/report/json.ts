// The JSON report: one document for the whole run. Every field is described in docs/report-json.md;
// bump FORMAT when a field changes meaning or goes away (adding fields is not a break).
import { readFileSync } from "node:fs";
import type { NetGuardStatus, Outcome } from "../exec/types.js";
import { GUARD_ROUTE_TEXT } from "../host/net-guard.js";
import type { BlockRecord, LabReport, RunReport } from "./collect.js";
import { exitStatusInWords } from "../term/words.js";
import { outputLines, tail } from "./details.js";
import type { Change } from "../explain/types.js";

export const JSON_REPORT_FORMAT = 1;
/** Lines of stdout and of stderr kept per block. */
export const JSON_TAIL_LINES = 50;

let cachedVersion: string | undefined;

/** rootlab's version, from package.json (two levels up from both src/report and dist/report). */
export function rootlabVersion(): string {
  if (cachedVersion === undefined) {
    try {
      const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: string };
      cachedVersion = pkg.version ?? "unknown";
    } catch {
      cachedVersion = "unknown";
    }
  }
  return cachedVersion;
}

export function countOutcomes(outcomes: Outcome[]): { passed: number; failed: number; skipped: number } {
  return {
    passed: outcomes.filter((o) => o.status === "pass").length,
    failed: outcomes.filter((o) => o.status === "fail" || o.status === "error").length,
    skipped: outcomes.filter((o) => o.status === "skipped").length,
  };
}

function textTail(text: string): { tail: string; lines: number } {
  const t = tail(outputLines(text), JSON_TAIL_LINES);
  return { tail: t.lines.join("\n"), lines: t.total };
}

function blockJson(b: BlockRecord) {
  const r = b.result;
  const stdout = textTail(r.stdout);
  const stderr = textTail(r.stderr);
  return {
    kind: b.kind,
    role: b.ref.role,
    file: b.ref.file,
    line: b.ref.line,
    session: b.ref.session,
    ...(b.ref.name !== undefined ? { name: b.ref.name } : {}),
    ...(b.phase !== undefined ? { phase: b.phase } : {}),
    ...(b.attempts !== undefined ? { attempts: b.attempts } : {}),
    outcome: b.outcome,
    result: r.kind,
    exitCode: r.exitCode,
    ...(r.exitCode !== null ? { exitCodeWords: exitStatusInWords(r.exitCode, b.block?.code, b.block && r.failedLine !== undefined ? r.failedLine - b.block.codeLine : undefined) } : {}),
    ...(b.kind === "block" && b.block ? { expectedExitCode: b.block.exit } : {}),
    ...(r.reason !== undefined ? { reason: r.reason } : {}),
    durationMs: Math.round(r.durationMs),
    ...(r.failedLine !== undefined ? { failedLine: r.failedLine } : {}),
    stdoutTail: stdout.tail,
    stdoutLines: stdout.lines,
    stderrTail: stderr.tail,
    stderrLines: stderr.lines,
    ...(b.expect ? { expect: { firstDifference: b.expect.firstDifference, report: b.expect.report } } : {}),
  };
}

function labJson(l: LabReport) {
  return {
    id: l.id,
    title: l.title,
    file: l.file,
    run: l.run,
    outcome: l.outcome,
    durationMs: Math.round(l.durationMs),
    preflight: l.preflight,
    fixtures: l.fixtures,
    netGuard: l.netGuard ? netGuardJson(l.netGuard) : null,
    steps: l.steps.map((s) => ({
      index: s.index,
      number: s.index + 1,
      title: s.title,
      slug: s.slug,
      outcome: s.outcome,
      durationMs: Math.round(s.durationMs),
      blocks: s.blocks.map(blockJson),
      ...(s.wrongAttempts ? { wrongAttempts: s.wrongAttempts.map((w) => ({ ...w, durationMs: Math.round(w.durationMs) })) } : {}),
      ...(s.changes ? { changes: s.changes.map(changeJson) } : {}),
    })),
    cleanup: l.cleanup.map(blockJson),
    leakCheck: l.leaks === undefined ? "not-run" : l.leaks.length === 0 ? "clean" : "leaked",
    leaks: l.leaks ?? [],
    ...(l.changesAfterCleanup ? { changesAfterCleanup: l.changesAfterCleanup.map(changeJson) } : {}),
  };
}

/** The guard route as docs/report-json.md names it: its state, the route, and why it was off. */
function netGuardJson(g: NetGuardStatus) {
  return { state: g.state, route: GUARD_ROUTE_TEXT, ...(g.state === "off" ? { reason: g.reason } : {}) };
}

/** {kind, action, subject, text} in the vocabulary of docs/report-json.md. */
function changeJson(c: Change) {
  return { kind: c.kind, action: c.action, subject: c.subject, text: c.text };
}

export function renderJson(run: RunReport): string {
  const doc = {
    rootlab: rootlabVersion(),
    format: JSON_REPORT_FORMAT,
    startedAt: run.startedAt.toISOString(),
    durationMs: Math.round(run.durationMs),
    strict: run.strict,
    ...(run.interrupted ? { interrupted: run.interrupted } : {}),
    summary: countOutcomes(run.labs.map((l) => l.outcome)),
    labs: run.labs.map(labJson),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

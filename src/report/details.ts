// What to tell a person about one block: a short label, and for a failure the details (why, where, the exit
// status in words, the end of its output, the expect mismatch, a hint). Plain data: the console colours it,
// JUnit and TAP print it as text.
import type { Block } from "../format/types.js";
import type { BlockRef, BlockResult, CheckPhase, ExpectMismatch, Leak, Outcome, WrongAttemptResult } from "../exec/types.js";
import { exitStatusInWords } from "../term/words.js";
import { stripAnsi } from "../term/width.js";

export interface Detail {
  label: string;
  /** One line of text after the label. */
  text?: string;
  /** Lines shown indented below the label (output, the expect report). */
  lines?: string[];
}

/** What failure details need; BlockRecord (collect.ts) fits, and so does the console's own bookkeeping. */
export interface FailedBlock {
  kind: "block" | "check" | "cleanup";
  ref: BlockRef;
  block?: Block;
  phase?: CheckPhase;
  outcome: Outcome;
  result: BlockResult;
  expect?: ExpectMismatch;
}

export const TAIL_LINES = 20;
const LABEL_WIDTH = 60;

function firstCommandLine(code: string): { line: string; more: boolean } {
  const lines = code.split("\n").filter((l) => l.trim() !== "" && !l.trim().startsWith("#"));
  return { line: (lines[0] ?? "").trim(), more: lines.length > 1 };
}

/** "ip netns add rl-red", "check \"both namespaces exist\"", "setup: mkdir -p …", "block at labs/x.md:12". */
export function blockLabel(ref: BlockRef, block: Block | undefined, ellipsis = "…"): string {
  if (ref.role === "verify") return ref.name ? `check "${ref.name}"` : `check at ${ref.file}:${ref.line}`;
  if (!block) return `${ref.role} block at ${ref.file}:${ref.line}`;
  const { line, more } = firstCommandLine(block.code);
  if (line === "") return `${ref.role} block at ${ref.file}:${ref.line}`;
  const chars = [...line];
  const cut = chars.length > LABEL_WIDTH ? `${chars.slice(0, LABEL_WIDTH - 1).join("")}${ellipsis}` : more ? `${line} ${ellipsis}` : line;
  if (ref.role === "wrong") return `wrong attempt${ref.name ? ` "${ref.name}"` : ""}: ${cut}`;
  return ref.role === "command" ? cut : `${ref.role}: ${cut}`;
}

/** One line per wrong attempt: "wrong attempt "X" rejected by check "Y"", or why it was not. */
export function wrongAttemptLine(w: WrongAttemptResult, short = false): string {
  const at = short ? `line ${w.line}` : `${w.file}:${w.line}`;
  if (w.verdict === "rejected") return `wrong attempt "${w.name}" (${at}) rejected by check "${w.rejectedBy?.name ?? "?"}" (line ${w.rejectedBy?.line ?? "?"})`;
  // The reason already names the attempt and where it is.
  return w.reason ?? `wrong attempt "${w.name}" (${at}) ${w.verdict === "accepted" ? "passed every check" : "did not run"}`;
}

/**
 * Lines of output as a terminal would have left them: ANSI escapes and control characters removed (they
 * would garble reports and logs), a carriage return keeps what was written after it (progress meters),
 * trailing empty line dropped.
 */
export function outputLines(text: string): string[] {
  if (text === "") return [];
  const lines = stripAnsi(text)
    .replace(/\r+\n/g, "\n")
    .split("\n")
    .map((l) => (l.includes("\r") ? (l.split("\r").filter((part) => part !== "").pop() ?? "") : l).replace(/[\x00-\x08\x0b-\x1f\x7f]/g, ""));
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** The last `n` lines (all when n is undefined) and how many there were. */
export function tail(lines: string[], n?: number): { lines: string[]; total: number } {
  return { lines: n === undefined ? lines : lines.slice(-n), total: lines.length };
}

/** The exit status in words, when it is what went wrong and the reason does not say so already. */
function statusLine(rec: FailedBlock, reason: string): string | undefined {
  const { result } = rec;
  if (result.kind !== "ok" || result.exitCode === null || rec.kind === "check") return undefined;
  const expectedExit = rec.kind === "cleanup" ? 0 : (rec.block?.exit ?? 0);
  if (result.exitCode === expectedExit) return undefined;
  const inCode = rec.block && result.failedLine !== undefined ? result.failedLine - rec.block.codeLine : undefined;
  const words = exitStatusInWords(result.exitCode, rec.block?.code, inCode);
  if (reason.includes(words)) return undefined; // the runner's reason already says it
  return `exit status ${result.exitCode} (${words})${expectedExit !== 0 ? `; expected ${expectedExit}` : ""}`;
}

export interface DetailOptions {
  /** Interleaved stdout+stderr, when known (from output events); otherwise stdout then stderr. */
  transcript?: string;
  /** How many output lines to show; undefined = all. */
  tailLines?: number;
  /** The step's first hint, as plain text. */
  hint?: string;
  /** Why the check may have passed before its step, and the fix (see before-note.ts). */
  note?: string;
}

export function failureDetails(rec: FailedBlock, opts: DetailOptions = {}): Detail[] {
  const { ref, result, outcome } = rec;
  const details: Detail[] = [];
  const reason = outcome.status === "pass" ? "" : outcome.reason;
  if (reason) details.push({ label: "why", text: reason });
  const status = statusLine(rec, reason);
  if (status) details.push({ label: "status", text: status });
  const failedAt = result.failedLine !== undefined && result.failedLine !== ref.line ? `, failing command at line ${result.failedLine}` : "";
  details.push({ label: "where", text: `${ref.file}:${ref.line}${failedAt} (session ${ref.session})` });

  const all = opts.transcript !== undefined ? outputLines(opts.transcript) : [...outputLines(result.stdout), ...outputLines(result.stderr)];
  const out = tail(all, opts.tailLines);
  if (out.total > 0) {
    const label = out.lines.length < out.total ? `output (last ${out.lines.length} of ${out.total} lines)` : "output";
    details.push({ label, lines: out.lines });
  } else if (rec.phase !== "before") {
    details.push({ label: "output", text: "(none)" });
  }
  if (rec.expect) details.push({ label: "expected output differs", lines: rec.expect.report });
  if (opts.note) details.push({ label: "fix", text: opts.note });
  if (opts.hint) details.push({ label: "hint", text: opts.hint });
  return details;
}

/** Details as plain lines (JUnit failure bodies, TAP diagnostics). */
export function detailsText(details: Detail[]): string {
  const out: string[] = [];
  for (const d of details) {
    out.push(d.text !== undefined ? `${d.label}: ${d.text}` : `${d.label}:`);
    for (const l of d.lines ?? []) out.push(`  ${l}`);
  }
  return out.join("\n");
}

export interface StepFailure {
  /** A short machine-friendly kind: exit-status, expect-mismatch, timeout, check-failed, … */
  type: string;
  message: string;
  /** Plain text: each failing block with its details. */
  text: string;
}

function failureType(rec: FailedBlock): string {
  if (rec.kind === "check") return rec.phase === "before" ? "check-passed-before-step" : "check-failed";
  if (rec.expect) return "expect-mismatch";
  if (rec.result.kind !== "ok") return rec.result.kind;
  return rec.kind === "cleanup" ? "cleanup-failed" : "exit-status";
}

/**
 * Why a step (or the cleanup) failed, for JUnit and TAP: the first failing block decides the type; the text
 * lists every failing block with its details, then the hint. `hintPlain` is the step's first hint as text.
 */
export function describeFailure(reason: string, blocks: FailedBlock[], hintPlain?: string): StepFailure {
  const failing = blocks.filter((b) => b.outcome.status === "fail" || b.outcome.status === "error");
  const parts = failing.map((b) => {
    const body = detailsText(failureDetails(b, { tailLines: TAIL_LINES }));
    return `${blockLabel(b.ref, b.block, "...")}\n${body.replace(/^/gm, "  ")}`;
  });
  if (hintPlain) parts.push(`hint: ${hintPlain}`);
  return { type: failing[0] ? failureType(failing[0]) : "step-failed", message: reason, text: parts.length > 0 ? parts.join("\n\n") : reason };
}

export interface CleanupVerdict {
  outcome: Outcome;
  failed: FailedBlock[];
  leakText?: string;
}

/** The "cleanup and leak check" result of a lab run: failed cleanup blocks and leftovers. */
export function cleanupVerdict(cleanup: FailedBlock[], leaks: Leak[] | undefined): CleanupVerdict {
  const failed = cleanup.filter((b) => b.outcome.status === "fail" || b.outcome.status === "error");
  const leakText = leaks && leaks.length > 0 ? `leaked: ${leaks.map((l) => `${l.kind} ${l.name}`).join(", ")}` : undefined;
  const problems = [...failed.map((b) => `cleanup at ${b.ref.file}:${b.ref.line} failed`), ...(leakText ? [leakText] : [])];
  const outcome: Outcome = problems.length > 0 ? { status: "fail", reason: problems.join("; ") } : { status: "pass" };
  return { outcome, failed, ...(leakText ? { leakText } : {}) };
}

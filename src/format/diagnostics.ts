// Collecting and printing diagnostics. The parser reports every problem it finds, never only the first.
import type { Diagnostic, Severity } from "./types.js";

export interface Problem {
  line: number;
  column?: number;
  code: string;
  message: string;
  expected?: string;
  example?: string;
}

/** Collects the problems of one file; stages add to it and carry on. */
export class DiagnosticSink {
  readonly items: Diagnostic[] = [];

  constructor(readonly file: string) {}

  error(p: Problem): void {
    this.add("error", p);
  }

  warning(p: Problem): void {
    this.add("warning", p);
  }

  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === "error");
  }

  /** Diagnostics in file order (line, then column). */
  sorted(): Diagnostic[] {
    return [...this.items].sort((a, b) => a.line - b.line || a.column - b.column);
  }

  private add(severity: Severity, p: Problem): void {
    const d: Diagnostic = {
      file: this.file,
      line: Math.max(1, p.line),
      column: Math.max(1, p.column ?? 1),
      severity,
      code: p.code,
      message: p.message,
    };
    if (p.expected !== undefined) d.expected = p.expected;
    if (p.example !== undefined) d.example = p.example;
    this.items.push(d);
  }
}

/** A path as text on one line: one with a newline or another control character is quoted with escapes. */
export function shownPath(path: string): string {
  return /[\u0000-\u001f\u007f]/.test(path) ? JSON.stringify(path) : path;
}

/**
 * One diagnostic as text: `file:line:col  severity  code  message`, then indented `expected:` / `example:` lines
 * (a multi-line example is indented as a block so it can be copied).
 */
export function formatDiagnostic(d: Diagnostic): string {
  const lines = [`${shownPath(d.file)}:${d.line}:${d.column}  ${d.severity}  ${d.code}  ${d.message}`];
  if (d.expected) lines.push(`    expected: ${d.expected}`);
  if (d.example) {
    const [first, ...rest] = d.example.split("\n");
    lines.push(`    example:  ${first ?? ""}`, ...rest.map((l) => `              ${l}`));
  }
  return lines.join("\n");
}

// rootlab lint: every problem of every lab file, with its fix, sorted; a summary line; exit 2 on errors.
import { relative, isAbsolute } from "node:path";
import type { Command } from "../command.js";
import { UsageError } from "../../core/errors.js";
import { labsDir } from "../../format/load.js";
import { diagnosticText } from "../../term/diagnostic-text.js";
import type { Diagnostic } from "../../format/types.js";
import { lintFiles } from "../../lint/lint.js";
import { NEXT_LINK_CODE, NEXT_LINK_DESCRIPTION } from "../../lint/path-order.js";
import { RULES } from "../../lint/rules/index.js";
import { forTerminal } from "../fit-terminal.js";

const HELP = `Usage: rootlab lint [paths...] [options]

Checks lab files against the format (front matter, fences, roles, attributes, expect placement) and the
authoring rules (named checks, cleanups, hints, safety). Reports every problem as
  file:line:col  severity  code  message
with what was expected and an example, sorted by file and line, then a summary line.
A path may be a lab file or a folder of labs (default: $ROOTLAB_LABS, else ./labs if it has labs, else rootlab's labs).

Options:
  --strict-warnings   Treat warnings as errors (exit 2 when there are any)
  --format <f>        text (default) or json
  --rules             List the rules (code, severity, what they check) and exit
  -h, --help          Show this help

JSON output (--format json), one document on stdout:
  { "files": <number of files>, "errors": <n>, "warnings": <n>,
    "diagnostics": [ { "file", "line", "column", "severity": "error"|"warning",
                       "code", "message", "expected"?, "example"? } ] }
  Lines and columns are 1-based; diagnostics are sorted by file, line, column.

Exit codes: 0 no errors (warnings allowed); 2 errors found (or warnings with --strict-warnings), or bad usage.

Examples:
  rootlab lint
  rootlab lint labs/03-netns-veth.md
  rootlab lint --strict-warnings --format json labs/ > lint.json`;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** Paths under the working directory are shown relative to it, as editors and terminals link them. */
function display(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : file;
}

export function rulesTable(): string {
  // The folder-wide checks (the path's Next: links, two labs with one id) are not per-file rules, but they are
  // listed with them.
  const rows = [
    ...RULES.map((r) => ({ code: r.code, severity: r.severity, description: r.description })),
    { code: NEXT_LINK_CODE, severity: "warning", description: NEXT_LINK_DESCRIPTION },
    { code: "front-matter/duplicate-id", severity: "error", description: "two lab files have the same id" },
  ];
  const width = Math.max(...rows.map((r) => r.code.length));
  return [
    "Rules (parser diagnostics — front-matter/*, fence/*, expect/*, cleanup/*, block/*, step/empty, hint/outside-step — come first):",
    ...rows.map((r) => `  ${r.code.padEnd(width)}  ${r.severity.padEnd(7)}  ${r.description}`),
  ].join("\n");
}

export const command: Command = {
  name: "lint",
  summary: "Check lab files against the format and the authoring rules",
  help: HELP,
  allowPositionals: true,
  options: {
    "strict-warnings": { type: "boolean" },
    format: { type: "string" },
    rules: { type: "boolean" },
  },
  async run({ values, positionals }) {
    const format = String(values.format ?? "text");
    if (format !== "text" && format !== "json") throw new UsageError(`--format must be text or json, got "${format}".`);
    if (values.rules) {
      // On a terminal, each rule's text wraps under its column (the terminal cut them mid-word at 80).
      process.stdout.write(`${forTerminal(process.stdout, rulesTable())}\n`);
      return 0;
    }
    const report = await lintFiles(positionals.length > 0 ? positionals : [labsDir()]);
    if (report.files.length === 0) {
      throw new UsageError(`no lab files (*.md) in ${positionals.length > 0 ? positionals.join(", ") : labsDir()}.\nGive lab files or folders: rootlab lint labs/`);
    }
    const promote = Boolean(values["strict-warnings"]);
    const diagnostics: Diagnostic[] = report.diagnostics.map((d) => ({ ...d, file: display(d.file), ...(promote ? { severity: "error" as const } : {}) }));
    const errors = diagnostics.filter((d) => d.severity === "error").length;
    const warnings = diagnostics.length - errors;
    if (format === "json") {
      process.stdout.write(`${JSON.stringify({ files: report.files.length, errors, warnings, diagnostics }, null, 2)}\n`);
    } else {
      const width = process.stdout.isTTY ? process.stdout.columns : undefined;
      for (const d of diagnostics) process.stdout.write(`${diagnosticText(d, width)}\n`);
      const files = plural(report.files.length, "file");
      process.stdout.write(`${diagnostics.length > 0 ? "\n" : ""}${plural(errors, "error")}, ${plural(warnings, "warning")} in ${files}\n`);
    }
    return errors > 0 ? 2 : 0;
  },
};

// rootlab lint: parser diagnostics + the rule table + cross-file checks (duplicate ids), every problem reported.
import { existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import { parseLab } from "../format/parse.js";
import { findLabFiles, loadLab, readLabSource } from "../format/load.js";
import type { Diagnostic, Lab } from "../format/types.js";
import { RULES } from "./rules/index.js";
import { nextLinkDiagnostics, type PathLab } from "./path-order.js";
import { commandSites } from "./sites.js";
import type { LintContext } from "./types.js";

/** HTML comments with the line they start on. */
export function htmlComments(source: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  // Lines counted from the previous comment on, not from the start of the file for each one.
  let line = 1;
  let counted = 0;
  for (const m of source.matchAll(/<!--([\s\S]*?)-->/g)) {
    for (let k = source.indexOf("\n", counted); k >= 0 && k < m.index; k = source.indexOf("\n", k + 1)) line++;
    counted = m.index;
    out.push({ text: m[1] ?? "", line });
  }
  return out;
}

/**
 * The rule diagnostics of one parsed lab. Pure. Give the lab's source to let rules see author comments
 * (`<!-- no-hint: … -->`) and point at exact columns; without it they still run. `disk.fileExists` lets the
 * link rule look for the files a lab links to (lintFiles gives it; the lab stays pure without it).
 */
export function lintLab(lab: Lab, source?: string, disk?: Pick<LintContext, "fileExists">): Diagnostic[] {
  // The parser's lab.source is normalised already: the scan for a CR is cheaper than a replace over the text.
  const text = source !== undefined && source.includes("\r") ? source.replace(/\r\n?/g, "\n") : source;
  const ctx: LintContext = { lab, sites: commandSites(lab), lines: text?.split("\n") ?? [], comments: text ? htmlComments(text) : [], ...disk };
  const out: Diagnostic[] = [];
  // A command the gate reads in several ways (each value of a variable) may trip a rule more than once: say it once.
  const seen = new Set<string>();
  for (const rule of RULES) {
    let problems;
    try {
      problems = rule.check(ctx);
    } catch (err) {
      // A bug in one rule must not hide the others' findings or crash lint over many labs.
      problems = [{ line: 1, code: "internal/lint", message: `lint rule ${rule.code} failed (a bug in rootlab, please report it): ${(err as Error)?.message ?? String(err)}` }];
    }
    for (const p of problems) {
      const key = `${p.line}:${p.column ?? 1}:${p.code}:${p.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const d: Diagnostic = { file: lab.file, line: Math.max(1, p.line), column: Math.max(1, p.column ?? 1), severity: rule.severity, code: p.code, message: p.message };
      if (p.expected !== undefined) d.expected = p.expected;
      if (p.example !== undefined) d.example = p.example;
      out.push(d);
    }
  }
  return sortDiagnostics(out);
}

export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column || a.code.localeCompare(b.code));
}

export interface LintReport {
  /** Lab files that were read. */
  files: string[];
  diagnostics: Diagnostic[];
}

/** The lab files named by paths: a folder means its lab files (`*.md` but README.md), a file itself. */
export async function expandPaths(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const isDir = await stat(path).then((s) => s.isDirectory(), () => false);
    files.push(...(isDir ? await findLabFiles(path) : [path]));
  }
  return [...new Set(files)];
}

/** Lint files and folders: every problem of every file, sorted by file, line and column. */
export async function lintFiles(paths: string[]): Promise<LintReport> {
  const files = await expandPaths(paths);
  const diagnostics: Diagnostic[] = [];
  const ids = new Map<string, { file: string; line: number }>();
  const parsed = new Map<string, PathLab>();
  for (const file of files) {
    // Not a plain read: a named pipe would hang it, a 50 MB file cost seconds (loadLab says what is wrong).
    const source = await readLabSource(file);
    const result = source === undefined ? await loadLab(file) : parseLab(source, file);
    if (!result.ok) {
      diagnostics.push(...result.diagnostics);
      // A broken front matter or fence must not hide a dangerous command: the safety gate reads what could be
      // parsed. The other rules do not: about a half-read lab they say what the parse errors already said (a step
      // whose broken block was dropped "has no check"; a lab whose body was taken for front matter "has no steps").
      if (result.partial) diagnostics.push(...lintLab(result.partial, source).filter((d) => d.code.startsWith("safety/")));
      continue;
    }
    diagnostics.push(...result.warnings, ...lintLab(result.lab, source, { fileExists: existsSync }));
    const id = result.lab.meta.id;
    parsed.set(file, { file, id, source: source ?? "" });
    const idLine = idLineOf(source ?? "");
    const first = ids.get(id);
    if (first) {
      diagnostics.push({
        file,
        line: idLine,
        column: 1,
        severity: "error",
        code: "front-matter/duplicate-id",
        message: `the id "${id}" is already used by ${first.file}:${first.line}`,
        expected: "an id no other lab has: ids name labs on the command line and in progress files",
        example: `id: ${id}-2`,
      });
    } else ids.set(id, { file, line: idLine });
  }
  // A folder's file order is the students' path; its "Next:" links must follow it.
  for (const folder of await foldersOf(paths)) {
    const inOrder = folder.flatMap((f) => parsed.get(f) ?? []);
    diagnostics.push(...nextLinkDiagnostics(inOrder));
  }
  return { files, diagnostics: sortDiagnostics(diagnostics) };
}

/** The lab files of each folder among paths, in path order (single files belong to no path). */
async function foldersOf(paths: string[]): Promise<string[][]> {
  const out: string[][] = [];
  for (const path of new Set(paths)) {
    if (await stat(path).then((s) => s.isDirectory(), () => false)) out.push(await findLabFiles(path));
  }
  return out;
}

function idLineOf(source: string): number {
  const at = source.split("\n").findIndex((l) => /^id\s*:/.test(l));
  return at === -1 ? 1 : at + 1;
}

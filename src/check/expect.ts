// Expected-output matching for `expect` blocks (LAB-FORMAT.md, "Expected-output matching"). Pure.
// A line that is exactly `...` matches any number of lines (including none); a line ending in ` (re)` is a
// regular expression for the whole line; everything else is literal. Both sides are compared after trailing
// whitespace is trimmed. On mismatch the report is an aligned, ASCII-only expected-vs-actual listing that
// every reporter (console, JUnit, TAP, JSON) can show as-is.
import type { ExpectMismatch } from "./types.js";

export type ExpectResult = { ok: true } | { ok: false; mismatch: ExpectMismatch };

type Pattern =
  | { kind: "any" }
  | { kind: "literal"; text: string }
  | { kind: "regex"; re: RegExp }
  | { kind: "bad-regex"; source: string; error: string };

const ANY = "...";
const RE_SUFFIX = " (re)";

/** Why an expect line's `(re)` source is not a regular expression the matcher can use, or undefined (lint uses it). */
export function regexError(source: string): string | undefined {
  const p = compile(`${source}${RE_SUFFIX}`);
  return p.kind === "bad-regex" ? p.error : undefined;
}

/** Compiles one expected line. Never throws: an invalid regex becomes a `bad-regex` pattern. */
function compile(line: string): Pattern {
  if (line === ANY) return { kind: "any" };
  if (!line.endsWith(RE_SUFFIX)) return { kind: "literal", text: line };
  const source = line.slice(0, -RE_SUFFIX.length);
  try {
    // Validate the source alone first: only a balanced pattern can be safely wrapped in (?:…) for anchoring
    // (otherwise `a)|(b` would turn into a different, valid pattern).
    new RegExp(source);
    return { kind: "regex", re: new RegExp(`^(?:${source})$`) };
  } catch (err) {
    return { kind: "bad-regex", source, error: (err as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, "") };
  }
}

function lineMatches(p: Pattern, line: string): boolean {
  switch (p.kind) {
    case "literal":
      return p.text === line;
    case "regex":
      return p.re.test(line);
    default:
      return false;
  }
}

/** Actual output → lines: CRLF → LF, trailing whitespace trimmed, one trailing empty line dropped. */
export function outputLines(actual: string): string[] {
  const lines = actual.replace(/\r\n/g, "\n").split("\n").map((l) => l.trimEnd());
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/**
 * reach[i][j] (flattened): the first i patterns can match exactly the first j actual lines. Dynamic programming
 * instead of recursive backtracking, so several or consecutive `...` lines cost O(patterns × lines), never
 * exponential time.
 */
function reachability(patterns: Pattern[], actual: string[]): Uint8Array {
  const cols = actual.length + 1;
  const reach = new Uint8Array((patterns.length + 1) * cols);
  reach[0] = 1;
  for (let i = 0; i < patterns.length; i++) {
    const p = patterns[i]!;
    let seen = false;
    for (let j = 0; j < cols; j++) {
      const here = reach[i * cols + j] === 1;
      if (p.kind === "any") {
        seen = seen || here;
        if (seen) reach[(i + 1) * cols + j] = 1;
      } else if (here && j < actual.length && lineMatches(p, actual[j]!)) {
        reach[(i + 1) * cols + j + 1] = 1;
      }
    }
  }
  return reach;
}

/** One row of the aligned listing. Line numbers are 1-based; undefined = nothing on that side. */
interface Row {
  exp?: number;
  act?: number;
  mark: " " | ">" | "!";
  /** An actual line swallowed by a `...` (the expected column shows `...`). */
  dots?: boolean;
  /** A note instead of a line, e.g. how many lines a long `...` run matched. */
  note?: string;
}

/** A `...` that matched many lines shows its first and last lines and how many were in between. */
const DOTS_KEEP = 2;

function dotsRun(exp: number, from: number, to: number): Row[] {
  const rows: Row[] = [];
  for (let a = from; a < to; a++) rows.push({ exp: a === from ? exp : undefined, act: a + 1, mark: " ", dots: true });
  if (rows.length <= 2 * DOTS_KEEP + 1) return rows.length > 0 ? rows : [{ exp, mark: " ", dots: true }];
  const hidden = rows.length - 2 * DOTS_KEEP;
  return [...rows.slice(0, DOTS_KEEP), { mark: " ", note: `(${hidden} more lines matched by ...)` }, ...rows.slice(-DOTS_KEEP)];
}

/** Rebuilds the rows of one successful partial match ending at (i, j), walking the reach table backwards. */
function alignPrefix(patterns: Pattern[], actual: string[], reach: Uint8Array, i: number, j: number): Row[] {
  const cols = actual.length + 1;
  const rows: Row[] = [];
  while (i > 0) {
    const p = patterns[i - 1]!;
    if (p.kind === "any") {
      // Find where this `...` started: the smallest k ≤ j the previous patterns reached.
      let k = 0;
      while (reach[(i - 1) * cols + k] !== 1) k++;
      rows.unshift(...dotsRun(i, k, j));
      j = k;
    } else {
      rows.unshift({ exp: i, act: j, mark: " " });
      j -= 1;
    }
    i -= 1;
  }
  return rows;
}

const CONTEXT_BEFORE = 3;
const ROWS_AFTER = 12;
const NUM = 4;
const TEXT = 27;

/** Shows invisible characters so that `a\tb` and `a b` look different; cuts long lines to the column. */
function cell(text: string | undefined): string {
  if (text === undefined) return "".padEnd(TEXT);
  const visible = text.replace(/\t/g, "\\t").replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
  const chars = [...visible];
  return chars.length > TEXT ? `${chars.slice(0, TEXT - 3).join("")}...` : visible.padEnd(TEXT + visible.length - chars.length);
}

function num(n: number | undefined): string {
  return n === undefined ? "".padStart(NUM) : String(n).padStart(NUM);
}

function renderRows(rows: Row[], expected: string[], actual: string[]): string[] {
  const out = [`  ${"exp".padStart(NUM)}  ${"expected".padEnd(TEXT)} | ${"act".padStart(NUM)}  actual`];
  const first = rows.findIndex((r) => r.mark === ">");
  // Hiding one or two lines behind a note saves nothing.
  const from = first - CONTEXT_BEFORE > 2 ? first - CONTEXT_BEFORE : 0;
  if (from > 0) out.push(`  ${"".padStart(NUM)}  (${from} matching line${from === 1 ? "" : "s"} above)`);
  const to = Math.min(rows.length, first + ROWS_AFTER);
  for (const r of rows.slice(from, to)) {
    if (r.note !== undefined) {
      out.push(`  ${"".padStart(NUM)}  ${r.note}`);
      continue;
    }
    const e = r.dots ? "..." : r.exp === undefined ? undefined : expected[r.exp - 1];
    const a = r.act === undefined ? undefined : actual[r.act - 1];
    const right = a === undefined ? "" : ` | ${num(r.act)}  ${cell(a)}`;
    out.push(`${r.mark} ${num(r.exp)}  ${cell(e)}${right}`.trimEnd());
  }
  if (to < rows.length) out.push(`  ${"".padStart(NUM)}  (${rows.length - to} more line${rows.length - to === 1 ? "" : "s"} not shown)`);
  return out;
}

/** How many of the next rows line up if expected line i and actual line j are paired from here on. */
function lineUpScore(patterns: Pattern[], actual: string[], i: number, j: number): number {
  let score = 0;
  for (let k = 0; k < SCORE_WINDOW && i + k < patterns.length && j + k < actual.length; k++) {
    if (lineMatches(patterns[i + k]!, actual[j + k]!)) score++;
  }
  return score;
}

const SCORE_WINDOW = 50;

/**
 * Where to say the outputs part ways: the most expected lines matched; among the places in the output where
 * that many matched (a `...` leaves several), the one after which most of the remaining lines still line up
 * (so `...` does not swallow the line that differs), and on a tie the furthest (so a missing last line after
 * `...` is reported as missing).
 */
function furthest(patterns: Pattern[], actual: string[], reach: Uint8Array): { i: number; j: number } {
  const cols = actual.length + 1;
  for (let i = patterns.length; i >= 0; i--) {
    let best: { j: number; score: number } | undefined;
    for (let j = cols - 1; j >= 0; j--) {
      if (reach[i * cols + j] !== 1) continue;
      const score = lineUpScore(patterns, actual, i, j);
      if (best === undefined || score > best.score) best = { j, score };
    }
    if (best !== undefined) return { i, j: best.j };
  }
  return { i: 0, j: 0 };
}

/**
 * Matches actual output against an expect block's lines.
 * `firstDifference` is the 1-based index into `expected` of the first line that does not match;
 * expected.length + 1 when all expected lines matched but the actual output has more lines.
 */
export function matchExpect(expected: string[], actual: string): ExpectResult {
  const exp = expected.map((l) => l.trimEnd());
  const act = outputLines(actual);
  const patterns = exp.map(compile);
  const notes: string[] = [];
  patterns.forEach((p, k) => {
    if (p.kind === "bad-regex") {
      notes.push(`expected line ${k + 1} is an invalid regular expression (${p.error}): ${p.source}`);
    }
  });
  const cols = act.length + 1;
  const reach = reachability(patterns, act);
  if (notes.length === 0 && reach[patterns.length * cols + act.length] === 1) return { ok: true };

  const { i, j } = furthest(patterns, act, reach);
  const rows = alignPrefix(patterns, act, reach, i, j);
  // After the furthest point, pair the rest one to one so the reader sees what came instead.
  const rest = Math.max(patterns.length - i, act.length - j);
  for (let k = 0; k < rest; k++) {
    const e = i + k < patterns.length ? i + k + 1 : undefined;
    const a = j + k < act.length ? j + k + 1 : undefined;
    const p = e === undefined ? undefined : patterns[e - 1]!;
    const same = p?.kind === "any" || (p !== undefined && a !== undefined && lineMatches(p, act[a - 1]!));
    rows.push({ exp: e, act: a, mark: k === 0 ? ">" : same ? " " : "!" });
  }
  const firstDifference = i + 1;
  const what =
    i >= patterns.length
      ? `output has ${act.length - j} more line${act.length - j === 1 ? "" : "s"} than expected`
      : j >= act.length
        ? `expected line ${firstDifference} is missing from the output`
        : `expected line ${firstDifference} does not match output line ${j + 1}`;
  // Kept short: reporters indent this line, and it should still fit 80 columns.
  const legend = `${act.length === 0 ? "no output; " : ""}marked >${rows.some((r) => r.mark === "!") ? "; ! differs too" : ""}`;
  const header = [...notes, `${what} (${legend})`];
  return { ok: false, mismatch: { report: [...header, ...renderRows(rows, exp, act)], firstDifference } };
}

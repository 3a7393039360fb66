// A guard in front of marked: lists or quotes nested hundreds of levels deep make its block lexer take time that
// grows with the cube of the depth (400 levels: 1.3 s, 800: 10.6 s, 2000: minutes) or overflow its stack, so one
// malformed file could hang `rootlab lint` over a folder. No lab nests anywhere near the limit; a file that does is
// refused with a message that says so.

/** Deepest nesting read: list levels plus quote levels (a list level is a marker or two columns of indent). */
export const MAX_NESTING = 40;

const FENCE = /^[ \t>]*(`{3,}|~{3,})/;
/** One level of a line's prefix: a quote marker, or a list marker followed by a blank. */
const LEVEL = /^[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$))/;
/** A character a LEVEL can start with (after blanks). */
const MARKER_START = /^[>*+\-0-9]$/;
const THEMATIC_BREAK = /^[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$/;

function columns(indent: string): number {
  let n = 0;
  for (const c of indent) n = c === "\t" ? n + 4 - (n % 4) : n + 1;
  return n;
}

/** How deep a line's prefix nests: quote and list markers, plus its leading indent counted as list levels. */
export function nestingOf(line: string): number {
  if (THEMATIC_BREAK.test(line)) return 0;
  const indent = columns(/^[ \t]*/.exec(line)![0]);
  let rest = line;
  let markers = 0;
  for (let m = LEVEL.exec(rest); m; m = LEVEL.exec(rest)) {
    markers++;
    rest = rest.slice(m[0].length);
  }
  return markers + Math.floor(indent / 2);
}

/** The first line (1-based) nested deeper than rootlab reads, outside fenced code, with its depth. */
export function findTooDeep(body: string): { line: number; depth: number } | undefined {
  let fence: string | undefined;
  // Line by line without splitting the body: most lines are decided by their first characters.
  for (let start = 0, lineNo = 1; start <= body.length; lineNo++) {
    const next = body.indexOf("\n", start);
    const end = next < 0 ? body.length : next;
    const lineStart = start;
    start = end + 1;
    // A fence (FENCE) starts after blanks and `>`: without a backtick or tilde there, the line is no fence.
    let k = lineStart;
    for (let c = body.charCodeAt(k); k < end && (c === 32 || c === 9 || c === 62); c = body.charCodeAt(++k));
    const first = k < end ? body.charCodeAt(k) : -1;
    const f = first === 96 || first === 126 ? FENCE.exec(body.slice(lineStart, end)) : null;
    if (fence !== undefined) {
      if (f && f[1]![0] === fence[0] && f[1]!.length >= fence.length) fence = undefined;
      continue;
    }
    if (f) {
      fence = f[1];
      continue;
    }
    // Most lines start with neither a list nor a quote marker and have little indent: too shallow to measure.
    let blanks = lineStart;
    while (blanks < end && (body.charCodeAt(blanks) === 32 || body.charCodeAt(blanks) === 9)) blanks++;
    if (!MARKER_START.test(blanks < end ? body[blanks]! : "") && 2 * (blanks - lineStart) <= MAX_NESTING) continue; // a tab is at most 2 levels
    const depth = nestingOf(body.slice(lineStart, end));
    if (depth > MAX_NESTING) return { line: lineNo, depth };
  }
  return undefined;
}

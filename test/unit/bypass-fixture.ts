// The bypass fixtures' rows (test/fixtures/lint/bypasses/round*.md): the lines of a code block since the previous
// annotation, and the annotation `#> expect: RULE[, RULE] — why` or `#> clean — why` that ends them.
import { readFileSync } from "node:fs";

export interface BypassRow {
  first: number;
  last: number;
  expected: string[];
  why: string;
  code: string;
}

export function bypassRows(file: string): BypassRow[] {
  const out: BypassRow[] = [];
  const source = readFileSync(file, "utf8").split("\n");
  let first: number | undefined;
  let inCode = false;
  source.forEach((line, i) => {
    const n = i + 1;
    if (/^```/.test(line)) {
      inCode = /^```sh( (enter|session)=\S+)?$/.test(line);
      first = inCode ? n + 1 : undefined;
      return;
    }
    const m = /^#> (?:expect: ([^—]+)|clean) — (.+)$/.exec(line);
    if (!inCode || !m || first === undefined) return;
    out.push({ first, last: n - 1, expected: m[1] ? m[1].split(",").map((c) => c.trim()).sort() : [], why: m[2] as string, code: source.slice(first - 1, n - 1).join("\n") });
    first = n + 1;
  });
  return out;
}

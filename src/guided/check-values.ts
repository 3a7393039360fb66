// A failed check, in terms of its condition: the line that failed and, for a `[ … ]` / `test` comparison, the
// two values it compared — read by running the check's lines before it and then printing the operands, in a
// subshell of the check's own session (checks only observe, so this is as harmless as running the check again).
import type { Block, Step } from "../format/types.js";
import type { CheckRun } from "../exec/lab-run.js";
import type { Guided } from "./context.js";

/** The check's line that failed, as written in the lab (the first line of a multi-line command). */
export function failedLineText(run: Pick<CheckRun, "block" | "result">): string | undefined {
  const at = run.result.failedLine;
  if (at === undefined) return undefined;
  return run.block.code.split("\n")[at - run.block.codeLine]?.trim() || undefined;
}

/** Top-level words of a shell line: quotes, `$(…)`, `${…}` and backquotes kept inside their word. Pure. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = "";
  let quote: "'" | '"' | "`" | undefined;
  let depth = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "\\" && quote !== "'") {
      word += c + (line[++i] ?? "");
      continue;
    }
    if (quote) {
      if (c === quote && depth === 0) quote = undefined;
      else if (c === "$" && line[i + 1] === "(" && quote === '"') depth++;
      else if (c === ")" && depth > 0) depth--;
      word += c;
      continue;
    }
    if (c === "'" || c === '"' || c === "`") quote = c;
    else if (c === "$" && (line[i + 1] === "(" || line[i + 1] === "{")) depth++;
    else if ((c === ")" || c === "}") && depth > 0) depth--;
    else if (/\s/.test(c) && depth === 0) {
      if (word) words.push(word);
      word = "";
      continue;
    }
    word += c;
  }
  if (word) words.push(word);
  return words;
}

const BINARY = new Set(["=", "==", "!=", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef"]);

/** The operands of a `[ A op B ]`, `test A op B` or `[ -e A ]` line, as written; undefined for anything else. */
export function comparedOperands(line: string): { operands: string[]; op: string } | undefined {
  let words = shellWords(line.replace(/\s*(&&|\|\||;).*$/, ""));
  if (words[0] === "!") words = words.slice(1);
  if (words[0] === "[" && words.at(-1) === "]") words = words.slice(1, -1);
  else if (words[0] === "test") words = words.slice(1);
  else return undefined;
  if (words[0] === "!") words = words.slice(1);
  if (words.length === 3 && BINARY.has(words[1]!)) return { operands: [words[0]!, words[2]!], op: words[1]! };
  if (words.length === 2 && /^-[a-zA-Z]$/.test(words[0]!)) return { operands: [words[1]!], op: words[0]! };
  return undefined;
}

/** Marks where the values start in the probe's output (the check's earlier lines may print too). */
const VALUES = "__rootlab_values__";

/**
 * The shell text that prints the operands as the failing line saw them: the check's earlier lines run first (they
 * may set the variables it compares: `inside=$(…)` then `[ "$inside" -eq 0 ]`), all in a subshell, so nothing of it
 * stays in the session. Pure.
 */
export function valuesProbe(code: string, failedAt: number, operands: string[]): string {
  const before = code.split("\n").slice(0, Math.max(0, failedAt)).join("\n").trim();
  const print = `printf '%s\\n' ${VALUES} ${operands.join(" ")}`;
  return before ? `(\n${before}\n${print}\n)` : `(${print})`;
}

/** The values a probe printed, after its marker; undefined when they are not all there. */
export function probeValues(stdout: string, count: number): string[] | undefined {
  const lines = stdout.replace(/\n$/, "").split("\n");
  const at = lines.lastIndexOf(VALUES);
  const values = at < 0 ? [] : lines.slice(at + 1);
  return values.length === count ? values : undefined;
}

/** "left: …" / "right: …" (or "value: …") lines for a failed comparison; empty when there is nothing cheap to show. */
export async function comparedValues(g: Guided, step: Step, run: CheckRun): Promise<string[]> {
  const line = failedLineText(run);
  const cmp = line ? comparedOperands(line) : undefined;
  if (!cmp || run.result.failedLine === undefined) return [];
  const code = valuesProbe(run.block.code, run.result.failedLine - run.block.codeLine, cmp.operands);
  const probe: Block = { ...run.block, code, exit: 0, enter: undefined, background: false, retryMs: undefined, name: undefined, expect: undefined };
  g.live.setQuiet(true);
  try {
    const r = await g.run.runBlock(step, probe);
    g.live.takeQuietOutput();
    if (r.result.kind !== "ok" || r.result.exitCode !== 0) return [];
    const values = probeValues(r.result.stdout, cmp.operands.length);
    if (!values) return [];
    const show = (v: string) => JSON.stringify(v);
    return values.length === 2 ? [`left:  ${show(values[0]!)}`, `right: ${show(values[1]!)}   (compared with ${cmp.op})`] : [`value: ${show(values[0]!)}   (tested with ${cmp.op})`];
  } finally {
    g.live.setQuiet(false);
  }
}

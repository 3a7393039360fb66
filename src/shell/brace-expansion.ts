// Brace expansion as bash does it before any other expansion (`{ip,}` → `ip`, `rl-v{1..3}` → three words), on a
// word's unquoted text only. Its own file because it is the one step that turns one word into several; lint
// (../lint/expand.ts) runs it before it reads a command's name, so `{ip,} link del x` is seen as `ip`.
import { backtickEnd, balancedEnd, doubleEnd } from "./words.js";

/**
 * Brace expansion of the word's unquoted text (`{ip,}` → `ip`, `rl-v{1..3}` → three words), as bash does before
 * any other expansion. Raw words in, raw words out; at most `limit` words (the rest are dropped).
 */
export function braceExpand(raw: string, limit = 32): string[] {
  if (!raw.includes("{")) return [raw];
  const open = unquotedBrace(raw);
  if (open < 0) return [raw];
  const close = matchingBrace(raw, open);
  if (close < 0) return [raw];
  const inner = raw.slice(open + 1, close);
  const alternatives = splitTopCommas(inner) ?? sequence(inner);
  if (!alternatives) {
    // `{x}` or `${…}`-like text: not an expansion; look further right.
    const rest = braceExpand(raw.slice(close + 1), limit);
    return rest.map((r) => raw.slice(0, close + 1) + r);
  }
  const out: string[] = [];
  // Stop at the limit: expanding every alternative first is 2^n work for n brace groups.
  for (const alt of alternatives) {
    if (out.length >= limit) break;
    for (const w of braceExpand(raw.slice(0, open) + alt + raw.slice(close + 1), limit - out.length)) out.push(w);
  }
  // An alternative that leaves nothing (`{ip,}` → "") is no word at all.
  return out.filter((w) => w !== "");
}

function unquotedBrace(raw: string): number {
  for (let k = 0; k < raw.length; k++) {
    const c = raw[k];
    if (c === "\\") k++;
    else if (c === "'") k = raw.indexOf("'", k + 1) < 0 ? raw.length : raw.indexOf("'", k + 1);
    else if (c === '"') k = doubleEnd(raw, k) - 1;
    else if (c === "$" && (raw[k + 1] === "{" || raw[k + 1] === "(")) k = balancedEnd(raw, k + 1) - 1;
    else if (c === "`") k = backtickEnd(raw, k) - 1;
    else if (c === "{") return k;
  }
  return -1;
}

function matchingBrace(raw: string, open: number): number {
  let depth = 0;
  for (let k = open; k < raw.length; k++) {
    const c = raw[k];
    if (c === "\\") k++;
    else if (c === "'") k = raw.indexOf("'", k + 1) < 0 ? raw.length : raw.indexOf("'", k + 1);
    else if (c === '"') k = doubleEnd(raw, k) - 1;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return k;
  }
  return -1;
}

function splitTopCommas(inner: string): string[] | undefined {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let k = 0; k < inner.length; k++) {
    const c = inner[k];
    if (c === "\\") k++;
    else if (c === "'") k = inner.indexOf("'", k + 1) < 0 ? inner.length : inner.indexOf("'", k + 1);
    else if (c === "{") depth++;
    else if (c === "}") depth--;
    else if (c === "," && depth === 0) {
      out.push(inner.slice(from, k));
      from = k + 1;
    }
  }
  if (out.length === 0) return undefined;
  out.push(inner.slice(from));
  return out;
}

function sequence(inner: string): string[] | undefined {
  const num = /^(-?\d+)\.\.(-?\d+)(?:\.\.(-?\d+))?$/.exec(inner);
  if (num) {
    const [a, b] = [Number(num[1]), Number(num[2])];
    const step = Math.max(1, Math.abs(Number(num[3] ?? 1)));
    const out: string[] = [];
    for (let v = a; a <= b ? v <= b : v >= b; v += a <= b ? step : -step) if (out.push(String(v)) >= 64) break;
    return out;
  }
  const chr = /^([A-Za-z])\.\.([A-Za-z])$/.exec(inner);
  if (!chr) return undefined;
  const [a, b] = [(chr[1] as string).charCodeAt(0), (chr[2] as string).charCodeAt(0)];
  const out: string[] = [];
  for (let v = a; a <= b ? v <= b : v >= b; v += a <= b ? 1 : -1) out.push(String.fromCharCode(v));
  return out;
}

// What a shell word means, the way bash reads it: quotes removed, backslashes and `$'…'` (ANSI-C) decoded, and
// the parts bash only knows at run time ($x, ${x…}, $( ), backticks, $(( ))) kept as written and marked. Pure.
// The safety gate expands a word with what it can know (./commands.ts keeps the raw word for that): bash runs
// `$'\x69p' link set eth0 down` as `ip link set eth0 down`, so the gate must read it so too.

/** A piece of a word: literal text, or an expansion bash makes at run time. */
export type WordPart =
  | { kind: "text"; text: string; quoted: boolean }
  /** `$name` / `${name}` (a plain parameter; `op` holds what follows the name inside `${…}`, e.g. `:-x`). */
  | { kind: "param"; name: string; op: string; raw: string; quoted: boolean }
  /** $( ), backticks, $(( )), $1, $@, ${#x}…: nothing the gate can know before the run. */
  | { kind: "dynamic"; raw: string; quoted: boolean };

const SIMPLE_ESCAPES: Record<string, string> = { a: "\x07", b: "\b", e: "\x1b", E: "\x1b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\", "'": "'", '"': '"', "?": "?" };

/** The body of `$'…'` decoded exactly as bash does (escapes `\n`, `\xHH`, `\nnn`, `\uHHHH`, `\cX`, …). */
export function decodeAnsiC(body: string): string {
  let out = "";
  for (let k = 0; k < body.length; k++) {
    const c = body[k] as string;
    if (c !== "\\" || k + 1 >= body.length) {
      out += c;
      continue;
    }
    const e = body[++k] as string;
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) out += simple;
    else if (/[0-7]/.test(e)) {
      const m = /^[0-7]{1,3}/.exec(body.slice(k)) as RegExpExecArray;
      out += String.fromCharCode(parseInt(m[0], 8) & 0xff);
      k += m[0].length - 1;
    } else if (e === "x" || e === "u" || e === "U") {
      const max = e === "x" ? 2 : e === "u" ? 4 : 8;
      const m = new RegExp(`^[0-9a-fA-F]{1,${max}}`).exec(body.slice(k + 1));
      if (!m) out += `\\${e}`;
      else {
        const code = parseInt(m[0], 16);
        out += e === "x" ? String.fromCharCode(code) : code <= 0x10ffff ? String.fromCodePoint(code) : "";
        k += m[0].length;
      }
    } else if (e === "c" && k + 1 < body.length) {
      out += String.fromCharCode((body.charCodeAt(++k) & 0x1f) >>> 0);
    } else out += `\\${e}`;
  }
  // bash cuts the string at a NUL byte.
  const nul = out.indexOf("\0");
  return nul < 0 ? out : out.slice(0, nul);
}

/** End index (exclusive) of the balanced construct opening at `open` (`(` or `{`), quotes respected. */
function balancedEnd(raw: string, open: number): number {
  const closeOf: Record<string, string> = { "(": ")", "{": "}" };
  const stack: string[] = [];
  let k = open;
  while (k < raw.length) {
    const c = raw[k] as string;
    if (c === "\\") k += 2;
    else if (c === "'") k = raw.indexOf("'", k + 1) < 0 ? raw.length : raw.indexOf("'", k + 1) + 1;
    else if (c === '"') k = doubleEnd(raw, k);
    else {
      if (c === "(" || c === "{") stack.push(closeOf[c] as string);
      else if (c === stack[stack.length - 1]) {
        stack.pop();
        if (stack.length === 0) return k + 1;
      }
      k++;
    }
  }
  return raw.length;
}

function doubleEnd(raw: string, open: number): number {
  let k = open + 1;
  while (k < raw.length && raw[k] !== '"') {
    if (raw[k] === "\\") k += 2;
    else if (raw[k] === "$" && (raw[k + 1] === "(" || raw[k + 1] === "{")) k = balancedEnd(raw, k + 1);
    else if (raw[k] === "`") k = backtickEnd(raw, k);
    else k++;
  }
  return Math.min(k + 1, raw.length);
}

function backtickEnd(raw: string, open: number): number {
  let k = open + 1;
  while (k < raw.length && raw[k] !== "`") k += raw[k] === "\\" ? 2 : 1;
  return Math.min(k + 1, raw.length);
}

/** `$…` at `k`: the part and where it ends. */
function dollar(raw: string, k: number, quoted: boolean): { part: WordPart; end: number } {
  const next = raw[k + 1] ?? "";
  if (next === "(") {
    const end = balancedEnd(raw, k + 1);
    return { part: { kind: "dynamic", raw: raw.slice(k, end), quoted }, end };
  }
  if (next === "{") {
    const end = balancedEnd(raw, k + 1);
    const inner = raw.slice(k + 2, end - 1);
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(.*)$/s.exec(inner);
    // ${x}, ${x:-default}…: a named parameter; ${#x}, ${!x}, ${1}: nothing to resolve.
    const part: WordPart = m ? { kind: "param", name: m[1] as string, op: m[2] as string, raw: raw.slice(k, end), quoted } : { kind: "dynamic", raw: raw.slice(k, end), quoted };
    return { part, end };
  }
  const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(raw.slice(k + 1))?.[0];
  if (name) return { part: { kind: "param", name, op: "", raw: `$${name}`, quoted }, end: k + 1 + name.length };
  if (/^[0-9@*#?$!-]/.test(next)) return { part: { kind: "dynamic", raw: `$${next}`, quoted }, end: k + 2 };
  return { part: { kind: "text", text: "$", quoted }, end: k + 1 };
}

/** The parts of a raw word (as the lexer cut it), in order. */
export function wordParts(raw: string): WordPart[] {
  const parts: WordPart[] = [];
  const text = (t: string, quoted: boolean) => {
    const last = parts[parts.length - 1];
    if (last?.kind === "text" && last.quoted === quoted) last.text += t;
    else parts.push({ kind: "text", text: t, quoted });
  };
  let k = 0;
  while (k < raw.length) {
    const c = raw[k] as string;
    if (c === "\\") {
      if (raw[k + 1] !== "\n" && k + 1 < raw.length) text(raw[k + 1] as string, true);
      k += 2;
    } else if (c === "'") {
      const close = raw.indexOf("'", k + 1);
      const end = close < 0 ? raw.length : close;
      text(raw.slice(k + 1, end), true);
      k = end + 1;
    } else if (c === "$" && raw[k + 1] === "'") {
      let e = k + 2;
      while (e < raw.length && raw[e] !== "'") e += raw[e] === "\\" ? 2 : 1;
      text(decodeAnsiC(raw.slice(k + 2, e)), true);
      k = e + 1;
    } else if (c === '"' || (c === "$" && raw[k + 1] === '"')) {
      const open = c === "$" ? k + 1 : k;
      const end = doubleEnd(raw, open);
      doubleParts(raw.slice(open + 1, raw[end - 1] === '"' ? end - 1 : end), parts, text);
      if (raw.slice(open + 1, end - 1) === "") text("", true);
      k = end;
    } else if (c === "$") {
      const { part, end } = dollar(raw, k, false);
      if (part.kind === "text") text(part.text, false);
      else parts.push(part);
      k = end;
    } else if (c === "`") {
      const end = backtickEnd(raw, k);
      parts.push({ kind: "dynamic", raw: raw.slice(k, end), quoted: false });
      k = end;
    } else {
      // A run of plain characters at once (appending them one by one was most of this function's time).
      let e = k + 1;
      while (e < raw.length && !WORD_SPECIAL.has(raw[e] as string)) e++;
      text(raw.slice(k, e), false);
      k = e;
    }
  }
  return parts;
}

/** Characters wordParts() treats specially; any other character is plain text. */
const WORD_SPECIAL = new Set(["\\", "'", "$", '"', "`"]);
/** Characters doubleParts() treats specially inside double quotes. */
const DOUBLE_SPECIAL = new Set(["\\", "$", "`"]);

function doubleParts(body: string, parts: WordPart[], text: (t: string, quoted: boolean) => void): void {
  let k = 0;
  while (k < body.length) {
    const c = body[k] as string;
    if (c === "\\" && /[$`"\\\n]/.test(body[k + 1] ?? "")) {
      if (body[k + 1] !== "\n") text(body[k + 1] as string, true);
      k += 2;
    } else if (c === "$") {
      const { part, end } = dollar(body, k, true);
      if (part.kind === "text") text(part.text, true);
      else parts.push(part);
      k = end;
    } else if (c === "`") {
      const end = backtickEnd(body, k);
      parts.push({ kind: "dynamic", raw: body.slice(k, end), quoted: true });
      k = end;
    } else {
      let e = k + 1;
      while (e < body.length && !DOUBLE_SPECIAL.has(body[e] as string)) e++;
      text(body.slice(k, e), true);
      k = e;
    }
  }
}

/** A word as its command sees it, quotes removed; what only the run knows (`$x`, `$(…)`) stays as written. */
export function unquoteWord(raw: string): string {
  if (!/["'\\$`]/.test(raw)) return raw;
  return wordParts(raw)
    .map((p) => (p.kind === "text" ? p.text : p.raw))
    .join("");
}

/** Whether a word holds something only the run knows (an expansion or substitution). */
export const isDynamicWord = (raw: string): boolean => wordParts(raw).some((p) => p.kind !== "text");

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

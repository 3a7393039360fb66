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
export function balancedEnd(raw: string, open: number): number {
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
      else if (stack.length > 0 && c === stack[stack.length - 1]) {
        stack.pop();
        if (stack.length === 0) return k + 1;
      }
      k++;
    }
  }
  return raw.length;
}

/** End index (exclusive) of the double-quoted string opening at `open`, substitutions inside it skipped whole. */
export function doubleEnd(raw: string, open: number): number {
  let k = open + 1;
  while (k < raw.length && raw[k] !== '"') {
    if (raw[k] === "\\") k += 2;
    else if (raw[k] === "$" && (raw[k + 1] === "(" || raw[k + 1] === "{")) k = balancedEnd(raw, k + 1);
    else if (raw[k] === "`") k = backtickEnd(raw, k);
    else k++;
  }
  return Math.min(k + 1, raw.length);
}

/** End index (exclusive) of the backtick substitution opening at `open`. */
export function backtickEnd(raw: string, open: number): number {
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
  // `$[ … ]`: bash's old spelling of arithmetic (`eth$[0]` is eth0), known only at run time.
  if (next === "[") {
    let depth = 0;
    let end = k + 1;
    for (; end < raw.length; end++) if (raw[end] === "[") depth++;
    else if (raw[end] === "]" && --depth === 0) break;
    return { part: { kind: "dynamic", raw: raw.slice(k, end + 1), quoted }, end: Math.min(end + 1, raw.length) };
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
    // (parts[-1] of an empty list is a slow named-property lookup: checked first, as for every word's first part.)
    const last = parts.length > 0 ? parts[parts.length - 1] : undefined;
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
      while (e < raw.length && !isWordSpecial(raw.charCodeAt(e))) e++;
      text(raw.slice(k, e), false);
      k = e;
    }
  }
  return parts;
}

/** Characters doubleParts() treats specially inside double quotes: \\ $ ` (by code: no string per character). */
const isDoubleSpecial = (c: number): boolean => c === 92 || c === 36 || c === 96;
/** Characters wordParts() treats specially (those and ' "); any other character is plain text. */
const isWordSpecial = (c: number): boolean => isDoubleSpecial(c) || c === 39 || c === 34;

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
      while (e < body.length && !isDoubleSpecial(body.charCodeAt(e))) e++;
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

// The plain shapes a lab's front matter takes, read without the YAML library: `key: value` lines, one nested map
// (`requires:` and its two-space-indented `key: value` lines), flow lists of plain words (`[netns, veth]`) and
// one-line double-quoted text without escapes. Anything else — comments, tabs, single quotes, anchors, block
// lists, multi-line text, numbers other than plain integers, nulls, duplicate keys — is left to the library
// (undefined here). The library runs once per lab and costs more than the rest of the front matter: a
// dozen-line front matter is most of parseDocument's work at a cold start. The nodes built are the library's own
// (YAMLMap, Pair, Scalar, YAMLSeq) with the values and start offsets it would give, so the schema check reads
// both the same way; test/unit/format-frontmatter-plain.test.ts compares them with the library's on every shape.
import { Pair, Scalar, YAMLMap, YAMLSeq } from "yaml";

/** `key:` — keys are short lowercase words (what YAML would read as null, true or false is not one). */
const KEY_LINE = /^( {2})?([a-z][a-z_-]{0,63}):(?: (.*))?$/;
const RESERVED_KEY = /^(?:true|false|null)$/;
/** A word in a flow list that YAML's core schema reads as a string (no number, bool or null starts with these). */
const LIST_WORD = /^[A-Za-z_/][A-Za-z0-9._+/-]*$/;
const NOT_TEXT = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE|[Nn]ull|NULL)$/;
/** A plain scalar's first character that is a YAML indicator, a space, or what a number, null or `.inf` starts with. */
const SPECIAL_START = /^[-?:,[\]{}#&*!|>'"%@`\s+.0-9~]/;
const WHOLE_NUMBER = /^(?:0|[1-9][0-9]{0,14})$/;
/** Text that starts with digits (`30m`, `1h30m`) but is none of the core schema's numbers (`1e3`, `0x1F`, `0o17`). */
const DIGITS_THEN_LETTERS = /^[0-9]+[a-z][0-9a-z]*$/;
const NUMBER_WITH_LETTERS = /^(?:[0-9]+e[0-9]+|0x[0-9a-f]+|0o[0-7]+)$/;

/** The front matter's top map as the library would build it, or undefined when it is not one of the plain shapes. */
export function readPlainFrontMatter(yaml: string): YAMLMap | undefined {
  if (yaml.includes("\t") || yaml.includes("#")) return undefined;
  const top = new YAMLMap();
  let nested: YAMLMap | undefined; // the map being filled by indented lines, right after a `key:` with no value
  let open: Pair | undefined; // a `key:` with no value, waiting for its indented lines
  const keys = new Set<string>();
  let nestedKeys = new Set<string>();
  // The first line is the opening `---` (the library reads it as the document start).
  let start = yaml.indexOf("\n") + 1;
  while (start < yaml.length) {
    const end = yaml.indexOf("\n", start);
    const stop = end === -1 ? yaml.length : end;
    const line = yaml.slice(start, stop);
    const lineStart = start;
    start = stop + 1;
    if (line === "") continue;
    const m = KEY_LINE.exec(line);
    if (!m) return undefined;
    const [, indent, key = "", value] = m;
    if (RESERVED_KEY.test(key)) return undefined;
    const keyAt = lineStart + (indent ? 2 : 0);
    if (indent) {
      // An indented line belongs to the nested map opened just above it (only `requires:` may hold one).
      if (open?.key instanceof Scalar && open.key.value === "requires") {
        nested = new YAMLMap();
        nested.range = [keyAt, keyAt, keyAt];
        open.value = nested;
        open = undefined;
        nestedKeys = new Set();
      }
      if (!nested || value === undefined || nestedKeys.has(key)) return undefined;
      nestedKeys.add(key);
      const node = valueNode(value, keyAt + key.length + 2);
      if (!node) return undefined;
      nested.items.push(new Pair(scalar(key, keyAt), node));
      continue;
    }
    if (open || keys.has(key)) return undefined; // a `key:` with nothing under it is null: the library's to read
    keys.add(key);
    nested = undefined;
    const pair = new Pair(scalar(key, keyAt));
    top.items.push(pair);
    if (value === undefined) open = pair;
    else {
      const node = valueNode(value, keyAt + key.length + 2);
      if (!node) return undefined;
      pair.value = node;
    }
  }
  const first = top.items[0]?.key;
  if (open || !(first instanceof Scalar) || !first.range) return undefined;
  top.range = [first.range[0], yaml.length, yaml.length];
  return top;
}

function scalar(value: unknown, at: number): Scalar {
  const node = new Scalar(value);
  node.range = [at, at, at];
  return node;
}

/** The node of a value that starts at offset AT: plain text, a whole number, true/false, "text" or [words]. */
function valueNode(value: string, at: number): Scalar | YAMLSeq | undefined {
  if (value === "" || value.trimEnd() !== value) return undefined;
  if (value.startsWith("[")) return flowList(value, at);
  if (value.startsWith('"')) {
    const text = value.slice(1, -1);
    return value.length >= 2 && value.endsWith('"') && !/["\\]/.test(text) ? scalar(text, at) : undefined;
  }
  if (WHOLE_NUMBER.test(value)) return scalar(Number(value), at);
  if (value === "true" || value === "false") return scalar(value === "true", at);
  if (DIGITS_THEN_LETTERS.test(value)) return NUMBER_WITH_LETTERS.test(value) ? undefined : scalar(value, at);
  if (SPECIAL_START.test(value) || NOT_TEXT.test(value) || value.includes(": ") || value.endsWith(":")) return undefined;
  return scalar(value, at);
}

/** `[a, b]`: words separated by a comma and spaces. */
function flowList(value: string, at: number): YAMLSeq | undefined {
  if (!value.endsWith("]")) return undefined;
  const seq = new YAMLSeq();
  seq.flow = true;
  seq.range = [at, at + value.length, at + value.length];
  const inner = value.slice(1, -1);
  if (inner.trim() === "") return inner === "" ? seq : undefined;
  let offset = at + 1;
  for (const piece of inner.split(",")) {
    // Only spaces separate (JavaScript's trim would also take \v, \f or U+00A0, which YAML keeps in the word).
    const word = piece.replace(/^ +/, "");
    const wordAt = offset + piece.length - word.length;
    offset += piece.length + 1;
    const trimmed = word.replace(/ +$/, "");
    if (!LIST_WORD.test(trimmed) || NOT_TEXT.test(trimmed)) return undefined;
    seq.items.push(scalar(trimmed, wordAt));
  }
  return seq;
}

// TAP diagnostics as YAML, emitted by the `yaml` library (already rootlab's front-matter parser): it knows
// which strings need quotes. Here only what TAP needs on top: no ANSI escapes or characters YAML forbids,
// multi-line text as literal blocks, and every line (blank ones too) indented, because TAP harnesses find the
// end of a YAML block by its indentation.
import { stringify } from "yaml";
import stripAnsi from "strip-ansi";

export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue | undefined };

/** Characters YAML does not allow in a document (and that terminals would not show anyway). */
const NOT_PRINTABLE = /[^\t\n\x20-\x7e\x85\xa0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function clean(value: YamlValue | undefined): YamlValue | undefined {
  if (typeof value === "string") return stripAnsi(value).replace(/\r\n?/g, "\n").replace(NOT_PRINTABLE, "").replace(/\n+$/, "");
  if (Array.isArray(value)) return value.map((v) => clean(v) ?? null);
  if (value === null || typeof value !== "object") return value;
  const out: { [key: string]: YamlValue } = {};
  for (const [k, v] of Object.entries(value)) {
    const c = clean(v);
    if (c !== undefined) out[k] = c;
  }
  return out;
}

/** YAML lines for a mapping, each prefixed with `indent`. */
export function toYamlLines(value: { [key: string]: YamlValue | undefined }, indent = ""): string[] {
  const text = stringify(clean(value), { lineWidth: 0, blockQuote: "literal", indent: 2 }).replace(/\n$/, "");
  return text.split("\n").map((l) => indent + l);
}

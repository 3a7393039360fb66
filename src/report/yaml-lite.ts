// The small YAML subset TAP diagnostics need (mappings, lists, scalars), emitted without a YAML library so
// reporters stay cheap to load. Strings are JSON-quoted (valid YAML 1.2) or, when multi-line, literal blocks.
import { stripAnsi } from "../term/width.js";

export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue | undefined };

/** Characters YAML does not allow in a document (and that terminals would not show anyway). */
const NOT_PRINTABLE = /[^\t\n\x20-\x7e\x85\xa0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function clean(text: string): string {
  return stripAnsi(text).replace(/\r\n?/g, "\n").replace(NOT_PRINTABLE, "");
}

function scalar(value: string | number | boolean | null, indent: string): string {
  if (typeof value !== "string") return String(value);
  const text = clean(value).replace(/\n+$/, "");
  if (!text.includes("\n")) return JSON.stringify(text);
  // A literal block; the explicit indentation indicator keeps lines that start with spaces intact.
  // Blank lines keep the indentation too: TAP harnesses find the end of a YAML block by indentation.
  const body = text.split("\n").map((l) => `${indent}  ${l}`);
  return `|2-\n${body.join("\n")}`;
}

function isScalar(v: YamlValue): v is string | number | boolean | null {
  return v === null || typeof v !== "object";
}

function emit(value: YamlValue, indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) {
      if (isScalar(item)) out.push(`${indent}- ${scalar(item, indent)}`);
      else if (Array.isArray(item) ? item.length === 0 : Object.keys(item).length === 0) out.push(`${indent}- ${Array.isArray(item) ? "[]" : "{}"}`);
      else {
        const nested: string[] = [];
        emit(item, `${indent}  `, nested);
        out.push(`${indent}- ${nested[0]!.slice(indent.length + 2)}`, ...nested.slice(1));
      }
    }
    return;
  }
  if (isScalar(value)) {
    out.push(`${indent}${scalar(value, indent)}`);
    return;
  }
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const k = /^[A-Za-z_][\w-]*$/.test(key) ? key : JSON.stringify(key);
    if (isScalar(v)) out.push(`${indent}${k}: ${scalar(v, indent)}`);
    else if (Array.isArray(v) && v.length === 0) out.push(`${indent}${k}: []`);
    else if (!Array.isArray(v) && Object.keys(v).length === 0) out.push(`${indent}${k}: {}`);
    else {
      out.push(`${indent}${k}:`);
      emit(v, `${indent}  `, out);
    }
  }
}

/** YAML lines for a mapping, each prefixed with `indent`. */
export function toYamlLines(value: { [key: string]: YamlValue | undefined }, indent = ""): string[] {
  const out: string[] = [];
  emit(value, indent, out);
  return out.flatMap((l) => l.split("\n"));
}

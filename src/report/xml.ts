// Just enough XML for JUnit reports: escaping that always yields well-formed XML 1.0, whatever a lab's
// commands printed (ANSI colours, NULs, lone surrogates).
import { stripAnsi } from "../term/width.js";

/** Characters XML 1.0 forbids anywhere (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF). */
const NOT_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function clean(text: string): string {
  return stripAnsi(text).replace(/\r\n/g, "\n").replace(NOT_XML, "");
}

export function escapeText(text: string): string {
  return clean(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Attribute values keep their line breaks and tabs as character references (parsers normalise raw ones). */
export function escapeAttr(text: string): string {
  return escapeText(text).replace(/"/g, "&quot;").replace(/'/g, "&apos;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;").replace(/\t/g, "&#9;");
}

export function attrs(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeAttr(String(v))}"`)
    .join("");
}

/** Seconds with millisecond precision, as JUnit's `time` attributes want. */
export function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/** xs:dateTime without a zone, the form the JUnit schema gives (UTC). */
export function timestamp(d: Date): string {
  return d.toISOString().slice(0, 19);
}

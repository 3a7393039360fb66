// GitHub alerts: a blockquote whose first line is `> [!TIP]` (or NOTE, WARNING, IMPORTANT, CAUTION).

export const ALERT_KINDS = ["TIP", "NOTE", "WARNING", "IMPORTANT", "CAUTION"] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export interface Alert {
  kind: AlertKind;
  /** The alert's Markdown without the `[!KIND]` marker and without the `> ` prefixes. */
  markdown: string;
}

const MARKER = /^ {0,3}>[ \t]?\[!([A-Za-z]+)\][ \t]*(.*)$/;

/** Remove one level of `>` quoting from a line (lazy continuation lines have none). */
function unquote(line: string): string {
  return line.replace(/^ {0,3}>[ \t]?/, "");
}

/** Read a blockquote's raw Markdown as an alert, or undefined when it is a plain quote or an unknown marker. */
export function readAlert(raw: string): Alert | undefined {
  // Most quotes are no alert: their first line decides, before the whole quote is split into lines.
  const firstEnd = raw.indexOf("\n");
  if (!MARKER.test(firstEnd === -1 ? raw : raw.slice(0, firstEnd))) return undefined;
  const lines = raw.replace(/\n+$/, "").split("\n");
  const match = MARKER.exec(lines[0] ?? "");
  if (!match) return undefined;
  const kind = (match[1] ?? "").toUpperCase();
  if (!(ALERT_KINDS as readonly string[]).includes(kind)) return undefined;
  const rest = match[2] ? [match[2], ...lines.slice(1).map(unquote)] : lines.slice(1).map(unquote);
  return { kind: kind as AlertKind, markdown: rest.join("\n").replace(/^(?:[ \t]*\n)+/, "").trimEnd() };
}

// YAML front matter: find it between `---` lines, parse it with positions, hand the map to the schema check.
import { LineCounter, parseDocument, isMap } from "yaml";
import type { DiagnosticSink } from "./diagnostics.js";
import type { FrontMatter } from "./types.js";
import { readFrontMatterMap, defaultFrontMatter, FRONT_MATTER_EXAMPLE } from "./frontmatter-schema.js";
import { countNewlines } from "./source.js";

export interface SplitSource {
  /** The front matter, including the opening `---` line (YAML reads it as a document start), or undefined. */
  yaml?: string;
  /**
   * The Markdown body with the front matter lines blanked out, so offsets in it map to the file's own line numbers.
   */
  body: string;
}

const OPENING = /^---[ \t]*$/;
const CLOSING = /^(---|\.\.\.)[ \t]*$/;

/** Split normalised source into front matter and body, reporting a missing or unclosed front matter. */
export function splitFrontMatter(text: string, sink: DiagnosticSink): SplitSource {
  const firstBreak = text.indexOf("\n");
  const firstLine = firstBreak === -1 ? text : text.slice(0, firstBreak);
  if (!OPENING.test(firstLine)) {
    sink.error({
      line: 1,
      code: "front-matter/missing",
      message: "the lab has no front matter: the file must start with a `---` line followed by YAML",
      expected: "a YAML block between two `---` lines at the very top of the file",
      example: FRONT_MATTER_EXAMPLE,
    });
    return { body: text };
  }
  for (let start = firstBreak + 1; firstBreak !== -1 && start <= text.length; ) {
    const end = text.indexOf("\n", start);
    const line = end === -1 ? text.slice(start) : text.slice(start, end);
    if (CLOSING.test(line)) {
      const bodyStart = end === -1 ? text.length : end + 1;
      return { yaml: text.slice(0, start), body: "\n".repeat(countNewlines(text.slice(0, bodyStart))) + text.slice(bodyStart) };
    }
    if (end === -1) break;
    start = end + 1;
  }
  sink.error({
    line: 1,
    code: "front-matter/unclosed",
    message: "the front matter opened with `---` on line 1 is never closed",
    expected: "a second `---` line after the YAML, before the `# Title`",
    example: FRONT_MATTER_EXAMPLE,
  });
  return { body: "" };
}

/** Parse and check the front matter YAML. Always returns a FrontMatter (defaults where broken); problems go to sink. */
export function parseFrontMatter(yaml: string | undefined, sink: DiagnosticSink): FrontMatter {
  if (yaml === undefined) return defaultFrontMatter();
  const lineCounter = new LineCounter();
  const doc = parseDocument(yaml, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const position = (offset: number) => lineCounter.linePos(Math.max(0, Math.min(offset, yaml.length)));
  // Errors found at the very end (an unterminated quote or bracket) point at the last YAML line, not the closing ---.
  const lastContent = yaml.trimEnd().length;
  for (const err of doc.errors) {
    const { line, col } = position(err.pos[0] >= lastContent ? yaml.lastIndexOf("\n", lastContent - 1) + 1 : err.pos[0]);
    const tabs = err.code === "TAB_AS_INDENT";
    sink.error({
      line,
      column: col,
      code: err.code === "DUPLICATE_KEY" ? "front-matter/duplicate-key" : "front-matter/yaml",
      message: `front matter is not valid YAML: ${tabs ? "a tab is used for indentation" : err.message.split("\n")[0]}`,
      expected: tabs ? "indentation with spaces (YAML does not allow tabs)" : "valid YAML `key: value` lines",
      example: FRONT_MATTER_EXAMPLE,
    });
  }
  if (doc.errors.length > 0) return defaultFrontMatter();
  const contents = doc.contents;
  if (!isMap(contents)) {
    const { line, col } = position(contents?.range?.[0] ?? 0);
    sink.error({
      line: contents ? line : 1,
      column: contents ? col : 1,
      code: "front-matter/not-a-map",
      message: contents ? "the front matter must be a set of `key: value` lines" : "the front matter is empty",
      expected: "the keys format, id and title at least",
      example: FRONT_MATTER_EXAMPLE,
    });
    return defaultFrontMatter();
  }
  return readFrontMatterMap(contents, { sink, position, doc });
}

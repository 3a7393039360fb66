// YAML front matter: find it between `---` lines, parse it with positions, hand the map to the schema check.
import { LineCounter, parseDocument, isMap, visit, type Alias, type Document } from "yaml";
import type { DiagnosticSink } from "./diagnostics.js";
import type { FrontMatter } from "./types.js";
import { readFrontMatterMap, defaultFrontMatter, FRONT_MATTER_EXAMPLE } from "./frontmatter-schema.js";
import { countNewlines, LineIndex } from "./source.js";
import { readPlainFrontMatter } from "./frontmatter-plain.js";

export interface SplitSource {
  /** The front matter, including the opening `---` line (YAML reads it as a document start), or undefined. */
  yaml?: string;
  /**
   * The Markdown body with the front matter lines blanked out, so offsets in it map to the file's own line numbers.
   */
  body: string;
}

const OPENING = /^---[ \t]*$/;
const MAX_FRONT_MATTER_LINES = 500;
const MAX_FRONT_MATTER_BYTES = 64 * 1024;
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
  // A real front matter is a dozen lines; a huge one (generated, or a file that is not a lab) would only cost time.
  const lines = countNewlines(yaml);
  if (yaml.length > MAX_FRONT_MATTER_BYTES || lines > MAX_FRONT_MATTER_LINES) {
    sink.error({
      line: 1,
      code: "front-matter/too-long",
      message: `the front matter is ${lines} lines (${yaml.length} bytes) long: more than a lab's front matter ever needs (at most ${MAX_FRONT_MATTER_LINES} lines, ${MAX_FRONT_MATTER_BYTES / 1024} KiB)`,
      expected: "the keys format, id, title, summary, level, duration, requires, uses — then the closing `---`",
      example: FRONT_MATTER_EXAMPLE,
    });
    return defaultFrontMatter();
  }
  // `%YAML 1.1` needs a `---` after it, and here `---` ends the front matter: the parser's words would not say so.
  const directive = /^%\S*/m.exec(yaml);
  if (directive) {
    sink.error({ line: new LineIndex(yaml).line(directive.index), column: 1, code: "front-matter/yaml", message: `\`${directive[0]}\` is a YAML directive, which front matter cannot hold: a directive needs a \`---\` after it, and here \`---\` ends the front matter`, expected: "only `key: value` lines between the two `---` lines: delete the directive line", example: FRONT_MATTER_EXAMPLE });
    return defaultFrontMatter();
  }
  const plain = readPlainFrontMatter(yaml);
  if (plain) {
    const index = new LineIndex(yaml);
    return readFrontMatterMap(plain, { sink, position: (offset) => ({ line: index.line(offset), col: index.column(offset) }), doc: undefined });
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(yaml, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const position = (offset: number) => lineCounter.linePos(Math.max(0, Math.min(offset, yaml.length)));
  // An unclosed bracket or quote makes the library fail where the input ends (or where the next key starts):
  // point at the line where the bracket or quote opened instead; other errors at the very end at the last YAML line.
  const lastContent = yaml.trimEnd().length;
  const reported = new Set<string>();
  // A tab-indented line breaks every key after it ("all mapping items must start at the same column"): those
  // follow-on errors go away with the tab, so only the tabs are reported.
  const tabs = doc.errors.filter((err) => err.code === "TAB_AS_INDENT");
  for (const err of tabs.length > 0 ? tabs : doc.errors) {
    const atEnd = err.pos[0] >= lastContent;
    const rawMessage = err.message.split("\n")[0] ?? err.code;
    const opener = atEnd || err.code === "MISSING_CHAR" || /flow (sequence|map|collection)|closing/i.test(rawMessage) ? unclosedOpener(yaml, err.pos[0]) : undefined;
    const { line, col } = position(opener ? opener.offset : atEnd ? yaml.lastIndexOf("\n", lastContent - 1) + 1 : err.pos[0]);
    const problem = opener ? unclosedProblem(opener.char, line) : yamlProblem(err.code, rawMessage);
    const key = `${line}:${problem.message}`;
    if (reported.has(key)) continue; // one unclosed bracket can make the YAML library complain more than once
    reported.add(key);
    sink.error({
      line,
      column: opener ? 1 : col,
      code: err.code === "DUPLICATE_KEY" ? "front-matter/duplicate-key" : "front-matter/yaml",
      // The parser's own words help with syntax, not with its stack overflowing (that says nothing of the file).
      message: /call stack/i.test(rawMessage) ? problem.message : `${problem.message} (YAML parser: ${rawMessage})`,
      expected: problem.expected,
      example: FRONT_MATTER_EXAMPLE,
    });
  }
  if (doc.errors.length > 0) return defaultFrontMatter();
  const dangling = danglingAlias(doc);
  if (dangling) {
    // The library parses `title: *nope` without an error and leaves the value empty: the key would look missing.
    const { line, col } = position(dangling.range?.[0] ?? 0);
    sink.error({
      line,
      column: col,
      code: "front-matter/yaml",
      message: `\`*${dangling.source}\` refers to no anchor: YAML reads it as nothing, so its key has no value`,
      expected: `the value written out (title: My lab), or \`&${dangling.source}\` on an earlier value to name it`,
      example: FRONT_MATTER_EXAMPLE,
    });
    return defaultFrontMatter();
  }
  const contents = doc.contents;
  if (!isMap(contents)) {
    const { line, col } = position(contents?.range?.[0] ?? 0);
    sink.error({
      line: contents ? line : 1,
      column: contents ? col : 1,
      code: "front-matter/not-a-map",
      message: contents ? "the front matter must be a set of `key: value` lines" : "the front matter is empty",
      expected: "the keys format and id at least (and usually title)",
      example: FRONT_MATTER_EXAMPLE,
    });
    return defaultFrontMatter();
  }
  return readFrontMatterMap(contents, { sink, position, doc });
}

interface Opener {
  offset: number;
  char: string;
}

/**
 * The innermost `[`, `{` or quote that is still open at END: where an "unexpected end" really started. A bracket
 * or quote opens only where a YAML value can begin (line start, after `: `, `- `, `,`, `[` or `{`), so the `'` of
 * `title: Don't panic` and the `[` of `title: a [draft]` are plain text, as YAML reads them.
 */
export function unclosedOpener(yaml: string, end: number): Opener | undefined {
  const stack: Opener[] = [];
  let valueStart = true;
  for (let i = 0; i < Math.min(end, yaml.length); i++) {
    const c = yaml[i] as string;
    const top = stack.length > 0 ? stack[stack.length - 1] : undefined; // never index -1 (a slow lookup per character)
    if (top && (top.char === '"' || top.char === "'")) {
      if (c === "\\" && top.char === '"') i++;
      else if (c === "'" && top.char === "'" && yaml[i + 1] === "'") i++;
      else if (c === top.char) {
        stack.pop();
        valueStart = false;
      }
      continue;
    }
    const next = yaml[i + 1] ?? "\n";
    if (c === "\n") valueStart = true;
    else if (c === " " || c === "\t" || c === "\r") continue;
    else if (c === "#" && /\s/.test(yaml[i - 1] ?? "\n")) {
      const eol = yaml.indexOf("\n", i);
      i = eol === -1 ? yaml.length : eol - 1;
    } else if (valueStart && (c === '"' || c === "'" || c === "[" || c === "{")) {
      stack.push({ offset: i, char: c });
      valueStart = c === "[" || c === "{";
    } else if ((c === "]" && top?.char === "[") || (c === "}" && top?.char === "{")) {
      stack.pop();
      valueStart = false;
    } else valueStart = c === "," || ((c === ":" || c === "-" || c === "?") && /\s/.test(next));
  }
  return stack[stack.length - 1];
}

function unclosedProblem(char: string, line: number): { message: string; expected: string } {
  if (char === "[" || char === "{") {
    const [what, close, sample] = char === "[" ? ["list", "]", "kernel: [netns, veth]"] : ["map", "}", "requires: {root: true}"];
    return {
      message: `the ${what} opened with \`${char}\` on line ${line} is never closed`,
      expected: `a closing \`${close}\` on the same line (e.g. ${sample}), or the whole value in quotes if the \`${char}\` is part of the text (title: "${char}draft${close} My lab")`,
    };
  }
  return {
    message: `the quoted text opened with ${char} on line ${line} is never closed`,
    expected: `a closing ${char} at the end of the value (e.g. title: ${char}My lab${char})`,
  };
}

function yamlProblem(code: string, raw: string): { message: string; expected: string } {
  if (code === "TAB_AS_INDENT") return { message: "the front matter uses a tab for indentation", expected: "indentation with spaces (YAML does not allow tabs)" };
  if (code === "DUPLICATE_KEY") return { message: "a key appears twice in the front matter", expected: "each key once" };
  if (/call stack/i.test(raw)) return { message: "the front matter nests lists or maps deeper than the YAML parser can follow", expected: "flat `key: value` lines, lists one level deep (`commands: [ip, ping]`)" };
  return { message: raw ? "the front matter is not valid YAML here" : "the front matter is not valid YAML", expected: "valid YAML `key: value` lines" };
}

/** The first alias (`*name`) with no anchor (`&name`) before it, if any. */
function danglingAlias(doc: Document): Alias | undefined {
  let found: Alias | undefined;
  visit(doc, {
    Alias(_, node) {
      if (node.resolve(doc) !== undefined) return undefined;
      found = node;
      return visit.BREAK;
    },
  });
  return found;
}

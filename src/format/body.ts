// Walk marked's block tokens and turn them into positioned items: headings, fences, hints and prose.
// marked's tokens carry no line numbers, so the walk keeps an offset by summing each token's `raw` text.
import type { Token, Tokens } from "marked";
import { blockLexer } from "./block-lexer.js";
import type { DiagnosticSink } from "./diagnostics.js";
import type { Fence } from "./block.js";
import { readAlert } from "./alerts.js";
import { readFenceInfo, isShellLang } from "./fence.js";
import { LineIndex, countNewlines } from "./source.js";
import { findTooDeep, MAX_NESTING } from "./nesting.js";
import { checkBacktickInInfo, checkIndentedFence, quoteLine, reportUnclosedFence } from "./fence-slips.js";

export type BodyItem =
  | { kind: "heading"; depth: number; text: string; raw: string; line: number }
  | { kind: "fence"; fence: Fence; raw: string }
  | { kind: "hint"; markdown: string; raw: string; line: number }
  | { kind: "prose"; markdown: string; line: number }
  /** `<details>` (with its `<summary>`) and `</details>`: how the file folds on GitHub; never shown as prose. */
  | { kind: "fold-open"; summary: string; open: boolean; line: number }
  | { kind: "fold-close"; line: number };

/** `<details>`, `<details open>`, `<summary>…</summary>` and `</details>`, in the order they appear. */
const FOLD_TAG = /<details(\s[^>]*)?>|<summary>([\s\S]*?)<\/summary>|<\/details\s*>/gi;

const FENCE_OPENING = /^( {0,3})(`{3,}|~{3,})(.*)$/;

/** Lex the body (front matter already blanked out, so offsets are file offsets) into items. */
export function readBody(body: string, sink: DiagnosticSink): BodyItem[] {
  const deep = findTooDeep(body);
  if (deep) {
    sink.error({
      line: deep.line,
      code: "markdown/too-deep",
      message: `lists or quotes nested about ${deep.depth} levels deep: rootlab does not read Markdown nested this deep`,
      expected: `at most ${MAX_NESTING} levels of lists and quotes (a level is a \`-\`, \`1.\` or \`>\` marker, or two columns of indent); flatten the nesting, or put the text in a code block`,
    });
    return [];
  }
  let tokens: Token[];
  try {
    // Block tokens only: the parser never looks inside paragraphs, and marked's inline pass is most of its cost.
    tokens = blockLexer().blockTokens(body, []);
  } catch (err) {
    sink.error({ line: 1, code: "markdown/unreadable", message: `the Markdown could not be read: ${(err as Error).message}`, expected: "a Markdown text file" });
    return [];
  }
  const index = new LineIndex(body);
  const items: BodyItem[] = [];
  let offset = 0;
  for (const token of tokens) {
    // A token's raw text normally starts exactly at the offset; search forward in case marked trimmed something.
    // (A slice compared, not startsWith: on marked's concatenated raw strings that was 5× slower, ~2 % of parse + lint.)
    const raw = token.raw;
    const found = body.slice(offset, offset + raw.length) === raw ? offset : body.indexOf(raw, offset);
    const at = found === -1 ? offset : found;
    offset = at + token.raw.length;
    const line = index.line(at);
    if (token.type === "html" && /<\/?details\b/i.test(token.raw)) items.push(...foldItems(token.raw, line));
    else {
      const item = toItem(token, line, sink);
      if (item) items.push(item);
    }
  }
  return items;
}

function toItem(token: Token, line: number, sink: DiagnosticSink): BodyItem | undefined {
  switch (token.type) {
    case "space":
      return undefined;
    case "heading": {
      const t = token as Tokens.Heading;
      return { kind: "heading", depth: t.depth, text: t.text.trim(), raw: t.raw.trim(), line };
    }
    case "code": {
      const code = token as Tokens.Code;
      if (code.codeBlockStyle !== "indented") return fenceItem(code, line, sink);
      checkIndentedFence(code, line, sink);
      return prose(token.raw, line);
    }
    case "blockquote": {
      checkNestedFences(token, line, "quote", sink);
      const alert = readAlert(token.raw);
      if (alert?.kind === "TIP") return { kind: "hint", markdown: alert.markdown, raw: token.raw.trim(), line };
      return prose(token.raw, line);
    }
    case "list":
      checkNestedFences(token, line, "list", sink);
      return prose(token.raw, line);
    case "html":
      // An unclosed `<!--` makes the rest of the file one HTML block: every step after it would vanish unsaid.
      if (/^\s*<!--/.test(token.raw) && !token.raw.includes("-->")) {
        const message = `the HTML comment opened here with \`<!--\` is never closed, so the rest of the file (${countNewlines(token.raw.trimEnd()) + 1} lines) is inside it: nothing after it is shown or run`;
        return void sink.error({ line, code: "markdown/unclosed-comment", message, expected: "`-->` where the comment ends (`<!-- a note for authors -->`)" });
      }
      // Comments are notes for authors: never shown to students.
      return /^\s*(<!--[\s\S]*?-->\s*)+$/.test(token.raw) ? undefined : prose(token.raw, line);
    default:
      if (token.type === "paragraph") checkBacktickInInfo(token.raw, line, sink);
      return prose(token.raw, line);
  }
}

/** An HTML block holding `<details>`/`<summary>`/`</details>` tags: fold items, plus any other HTML as prose. */
function foldItems(raw: string, line: number): BodyItem[] {
  const items: BodyItem[] = [];
  let rest = raw;
  // An exec loop, lines counted on from the previous tag: `matchAll` copies the expression per call, and counting
  // from the token's start each time was quadratic (~60 such tokens per lab; this was 2.7 % of parse + lint).
  let at = line;
  let counted = 0;
  FOLD_TAG.lastIndex = 0;
  for (let m = FOLD_TAG.exec(raw); m; m = FOLD_TAG.exec(raw)) {
    for (let k = raw.indexOf("\n", counted); k !== -1 && k < m.index; k = raw.indexOf("\n", k + 1)) at++;
    counted = m.index;
    // The expression's three forms start `<d`, `<s` and `</` (any case).
    const second = m[0].charCodeAt(1);
    if (second === 100 || second === 68) items.push({ kind: "fold-open", summary: "", open: m[1] !== undefined && /\bopen\b/i.test(m[1]), line: at });
    else if (second === 115 || second === 83) {
      const last = items.at(-1);
      if (last?.kind === "fold-open") last.summary = (m[2] ?? "").replace(/<[^>]+>/g, "").trim();
    } else items.push({ kind: "fold-close", line: at });
    rest = rest.replace(m[0], "");
  }
  // Anything else in the HTML block (not comments) is shown as it is.
  const other = rest.includes("<!--") ? rest.replace(/<!--[\s\S]*?-->/g, "") : rest;
  if (other.trim() !== "") {
    const p = prose(rest, line);
    if (p) items.push(p);
  }
  return items;
}

function prose(raw: string, line: number): BodyItem | undefined {
  // Leading blank lines would shift the reported line; the token's line is where its first text is.
  const leading = /^(?:[ \t]*\n)*/.exec(raw)?.[0] ?? "";
  const markdown = raw.slice(leading.length).trimEnd();
  return markdown === "" ? undefined : { kind: "prose", markdown, line: line + countNewlines(leading) };
}

/** `text.replace(/\n+$/, "")` without the regular expression, which tries every line break of a long block. */
function trimNewlines(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 10) end--;
  return end === text.length ? text : text.slice(0, end);
}

function fenceItem(token: Tokens.Code, line: number, sink: DiagnosticSink): BodyItem {
  const lines = trimNewlines(token.raw).split("\n");
  const opening = FENCE_OPENING.exec(lines[0] ?? "");
  const indent = opening?.[1] ?? "";
  const marks = opening?.[2] ?? "```";
  const info = opening?.[3] ?? "";
  const last = lines.length > 1 ? (lines[lines.length - 1] ?? "") : "";
  if (!isClosingFence(last, marks)) reportUnclosedFence(lines, marks, line, indent.length + 1, sink);
  else swallowedOpening(lines, marks, info, line, indent.length + 1, sink);
  const code = trimNewlines(token.text);
  return { kind: "fence", fence: { info, infoColumn: indent.length + marks.length + 1, code, line }, raw: token.raw.trimEnd() };
}

/**
 * Where a line's run of the fence's character starts and ends, if it starts one at least as long as `marks` after
 * at most 3 spaces (`^ {0,3}C{n,}`): read by character codes, not an expression built per fence.
 */
function fenceRun(line: string, marks: string): { end: number; length: number } | undefined {
  const c = marks.charCodeAt(0) === 126 ? 126 : 96; // ~ or `
  let i = 0;
  while (i < 3 && line.charCodeAt(i) === 32) i++;
  const start = i;
  while (line.charCodeAt(i) === c) i++;
  return i - start >= marks.length ? { end: i, length: i - start } : undefined;
}

const blankOrTab = (code: number): boolean => code === 32 || code === 9;

/** `^ {0,3}C{n,}[ \t]*$`: a closing fence line for these marks. */
function isClosingFence(line: string, marks: string): boolean {
  const run = fenceRun(line, marks);
  if (!run) return false;
  let i = run.end;
  while (i < line.length && blankOrTab(line.charCodeAt(i))) i++;
  return i === line.length;
}

/** `^ {0,3}C{n,}[ \t]*\S`: a fence line with text after its run (a run longer than the marks has its own last mark). */
function opensFence(line: string, marks: string): boolean {
  const run = fenceRun(line, marks);
  if (!run) return false;
  if (run.length > marks.length) return true;
  let i = run.end;
  while (i < line.length && blankOrTab(line.charCodeAt(i))) i++;
  return i < line.length && /\S/.test(line[i] as string);
}

/**
 * A runnable block whose closing line was forgotten runs on to the next bare ``` line: a line such as ```sh wrong
 * inside it cannot close it (a closing fence has no info), so it swallowed the opening of the next block. Markdown
 * allows it, but in a runnable block it is always the missing closing line.
 */
function swallowedOpening(lines: string[], marks: string, info: string, line: number, column: number, sink: DiagnosticSink): void {
  const fenceInfo = readFenceInfo(info, 1, line, undefined);
  if (!isShellLang(fenceInfo.lang) && !fenceInfo.mentionsRootlab) return;
  const at = lines.findIndex((l, i) => i > 0 && opensFence(l, marks));
  if (at === -1) return;
  const opened = quoteLine(lines[0] ?? marks);
  sink.error({
    line,
    column,
    code: "fence/not-closed",
    message: `the block opened here with ${opened} is not closed before line ${line + at} (${quoteLine(lines[at] ?? "")}), so that line and the block after it are read as this block's text`,
    expected: `a closing ${marks} line after this block's last line, before line ${line + at}`,
    example: "```sh verify\n# rl-red exists\nip netns list | grep -qw rl-red\n```",
  });
}

/** Fences inside lists and quotes are shown, never run: say so when one looks like it was meant to run. */
function checkNestedFences(container: Token, line: number, where: "list" | "quote", sink: DiagnosticSink): void {
  const containerLines = container.raw.split("\n");
  let cursor = 0;
  for (const code of nestedCode(container)) {
    if (code.codeBlockStyle === "indented") continue;
    // Find the fence's opening line in the container (after the previous one), past list markers and `>`.
    const opening = code.raw.split("\n")[0]?.trim() ?? "";
    let found = cursor;
    while (found < containerLines.length && !containerLines[found]?.trimEnd().endsWith(opening)) found++;
    if (found === containerLines.length) found = cursor;
    cursor = found + countNewlines(code.raw.trimEnd()) + 1;
    const codeLine = line + found;
    const column = Math.max(0, (containerLines[found] ?? "").indexOf(opening)) + 1;
    const info = readFenceInfo(code.lang ?? "", 1, codeLine, undefined);
    const inside = where === "list" ? "a list item" : "a quote";
    if (info.mentionsRootlab) {
      sink.error({ line: codeLine, column, code: "fence/nested", message: `this block is inside ${inside}, where blocks are only shown, never run, so its role and attributes mean nothing`, expected: "runnable blocks at the top level of a step (not indented, not quoted)", example: "```sh verify\n# the namespace exists\nip netns list | grep -q rl-red\n```" });
    } else if (where === "list" && isShellLang(info.lang)) {
      sink.warning({ line: codeLine, column, code: "fence/nested-command", message: "this shell block is inside a list item: it is shown to the student but rootlab does not run it", expected: "an unindented ```sh block after the list if rootlab should run it", example: "```sh\nip netns add rl-red\n```" });
    }
  }
}

function* nestedCode(token: Token): Generator<Tokens.Code> {
  const children: Token[] = [];
  if ("tokens" in token && Array.isArray(token.tokens)) children.push(...(token.tokens as Token[]));
  if (token.type === "list") for (const item of (token as Tokens.List).items) children.push(...item.tokens);
  for (const child of children) {
    if (child.type === "code") yield child as Tokens.Code;
    else yield* nestedCode(child);
  }
}

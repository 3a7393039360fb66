// Fences that look like blocks to their author but are text to Markdown: said, because otherwise the block is
// silently never run (or the next ``` opens a block that swallows the rest of the step).
import type { Tokens } from "marked";
import type { DiagnosticSink } from "./diagnostics.js";
import { isShellLang } from "./fence.js";

const EXAMPLE = "```sh\nip netns add rl-red\n```";

/** "    ```sh" (4 spaces or a tab) is an indented code block: Markdown shows the fence lines as text; nothing runs. */
export function checkIndentedFence(code: Tokens.Code, line: number, sink: DiagnosticSink): void {
  const inner = /^(`{3,}|~{3,})[ \t]*([^\s`]*)/.exec(code.text);
  if (!inner || !isShellLang(inner[2] ?? "")) return;
  sink.warning({ line, column: 1 + (/^[ \t]*/.exec(code.raw)?.[0].length ?? 0), code: "fence/indented", message: `this ${inner[1]}${inner[2]} block is indented by 4 spaces or a tab, which makes it an indented code block: it is shown as text, fence lines and all, and rootlab never runs it`, expected: "a fence that starts within 3 spaces of the line's start", example: EXAMPLE });
}

/** "```sh`x": a backtick fence's info may not hold a backtick, so the line is text and the next ``` opens a block. */
export function checkBacktickInInfo(raw: string, line: number, sink: DiagnosticSink): void {
  // An inline code span written with ``` on both sides (```a`b```) is prose, not a slip.
  const at = raw.split("\n").findIndex((l) => /^ {0,3}`{3,}(?!.*`{3})[^`]*`/.test(l));
  if (at < 0) return;
  sink.error({ line: line + at, code: "fence/backtick-in-info", message: "this line is not a fence: after a ``` opening, a backtick in the rest of the line makes it plain text, and the next ``` line opens a block instead", expected: "the language and attributes without backticks (or a ~~~ fence, whose info may hold them)", example: EXAMPLE });
}

/** A line as a message quotes it: a line longer than a terminal's is cut (a 100 000-backtick line is no message). */
export const quoteLine = (line: string): string => {
  const t = line.trim();
  return t.length <= 60 ? t : `${t.slice(0, 40)}… (${t.length} characters)`;
};

/** A fence's marks as a message shows them: a run longer than a reader can count is said in words. */
const showMarks = (marks: string): string => (marks.length <= 8 ? marks : `${marks.length} ${marks.startsWith("~") ? "tildes" : "backticks"}`);

/**
 * A block never closed swallows the rest of the file. When a line further down starts with the block's marks but has
 * text after them (```` ``` verify ````, ```` ```sh ````), the author most likely meant it to close the block: say which
 * line, and why it does not (a closing fence holds nothing after its marks).
 */
export function reportUnclosedFence(lines: string[], marks: string, line: number, column: number, sink: DiagnosticSink): void {
  const char = marks.startsWith("~") ? "~" : "`";
  const near = lines.findIndex((l, i) => i > 0 && l.length <= 10_000 && new RegExp(`^ {0,3}\\${char}{${marks.length},}[ \t]*\\S`).test(l));
  // ```` ```` ```` opened, ``` alone below it: a closing fence needs at least as many marks as the opening one.
  const short = near >= 0 || marks.length === 3 ? -1 : lines.findIndex((l, i) => i > 0 && l.length < marks.length + 8 && new RegExp(`^ {0,3}\\${char}{3,${marks.length - 1}}[ \t]*$`).test(l));
  // ~~~ opened, ``` below it (or the other way round): the two kinds never close each other.
  const otherChar = char === "~" ? "`" : "~";
  const other = near >= 0 || short >= 0 ? -1 : lines.findIndex((l, i) => i > 0 && l.length < 1000 && new RegExp(`^ {0,3}\\${otherChar}{3,}[ \t]*$`).test(l));
  const kind = (c: string) => (c === "~" ? "tildes" : "backticks");
  if (other >= 0) {
    sink.error({ line, column, code: "fence/unclosed", message: `the code block opened here with ${showMarks(marks)} is never closed, so the rest of the file is inside it; line ${line + other} (${quoteLine(lines[other] ?? "")}) does not close it, because a block opened with ${kind(char)} closes only with ${kind(char)}`, expected: `the same kind of fence on both sides: ${showMarks(marks)} … ${showMarks(marks)}`, example: EXAMPLE });
    return;
  }
  const why = near >= 0 ? `; line ${line + near} (${quoteLine(lines[near] ?? "")}) does not close it, because a closing fence has nothing after its ${char === "~" ? "tildes" : "backticks"}` : short >= 0 ? `; line ${line + short} (${(lines[short] ?? "").trim()}) does not close it, because it is shorter than the opening ${showMarks(marks)}` : "";
  sink.error({
    line,
    column,
    code: "fence/unclosed",
    message: `the code block opened here with ${showMarks(marks)} is never closed, so the rest of the file is inside it${why}`,
    expected: short >= 0 ? `a closing line of ${showMarks(marks)} (at least as many as the opening), or an opening of ${"```".replace(/`/g, char)}` : near < 0 ? `a closing ${showMarks(marks)} line after the block's last line` : `a line of only ${showMarks(marks)} after the block's last line: if line ${line + near} was meant to close the block, delete what follows its ${char === "~" ? "tildes" : "backticks"}`,
    example: EXAMPLE,
  });
}

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

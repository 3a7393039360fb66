// Links to nowhere: a lab is read on GitHub and in `rootlab show`, where a link to a file that is not beside the
// lab, or to a heading the lab does not have, leaves the reader on a 404 or at the top of the page. Addresses
// with a scheme (https:, mailto:) are not checked: lint works offline.
import { dirname, join } from "node:path";
import { closest } from "../../format/suggest.js";
import { linksAndAnchors, type MarkdownLink } from "../markdown-links.js";
import type { Problem } from "../../format/diagnostics.js";
import type { LintContext, LintRule } from "../types.js";

export const LINK_CODE = "link/nowhere";

/** `%20` and friends as the browser reads them; a malformed escape is left as written. */
function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function anchorProblem(link: MarkdownLink, fragment: string, anchors: string[]): Problem | undefined {
  if (fragment === "" || anchors.includes(fragment)) return undefined;
  const near = closest(fragment, anchors);
  return {
    line: link.line,
    column: link.column,
    code: LINK_CODE,
    message: `the link "[${link.text}](${link.target})" points to #${fragment}, but no heading of this lab makes that anchor${near ? ` (did you mean #${near}?)` : ""}`,
    expected: "an anchor made by one of the lab's headings: its text in lower case, punctuation dropped, spaces as `-` (GitHub's rule; a repeated heading gets -1, -2)",
    example: `[${link.text}](#${near ?? anchors[0] ?? "a-heading-of-this-lab"})`,
  };
}

function fileProblem(ctx: LintContext, link: MarkdownLink, path: string): Problem | undefined {
  const exists = ctx.fileExists;
  // Joined to the lab's path as it was given, so the message names the file the way the author named the lab.
  const wanted = join(dirname(ctx.lab.file), path);
  if (!exists || exists(wanted)) return undefined;
  return {
    line: link.line,
    column: link.column,
    code: LINK_CODE,
    message: `the link "[${link.text}](${link.target})" points to ${path}, which does not exist beside the lab (looked for ${wanted})`,
    expected: "a path relative to the lab's own folder that names an existing file, or a full https:// address",
    example: `[${link.text}](../docs/lab-format.md)`,
  };
}

export const linkNowhere: LintRule = {
  code: LINK_CODE,
  severity: "warning",
  description: "a Markdown link to a relative file that does not exist beside the lab, or to an `#anchor` no heading of the lab makes",
  check: (ctx) => {
    if (ctx.lines.length === 0) return [];
    const { links, anchors } = linksAndAnchors(ctx.lines);
    const out: Problem[] = [];
    for (const link of links) {
      const target = link.target;
      // https:, mailto:, //host and /from-the-repository-root are outside what a lab folder can tell.
      if (target === "" || /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("/")) continue;
      const hash = target.indexOf("#");
      if (hash === -1 && target.startsWith("?")) continue;
      const path = decoded((hash === -1 ? target : target.slice(0, hash)).replace(/\?.*$/, ""));
      const problem = path === "" ? anchorProblem(link, decoded(target.slice(hash + 1)), anchors) : fileProblem(ctx, link, path);
      if (problem) out.push(problem);
    }
    return out;
  },
};

// The lab's `# H1` heading as written, read from the source. The lab model names a lab by its front-matter
// `title` when there is one (the H1 is then only shown in the file), so lint needs the H1 separately.
import { DiagnosticSink } from "./diagnostics.js";
import { normaliseSource } from "./source.js";
import { splitFrontMatter } from "./frontmatter.js";
import { readBody } from "./body.js";

export interface LabHeading {
  text: string;
  line: number;
}

/** The first `# ` heading before the first `## ` step (the same one the parser takes as the title), if any. */
export function labHeading(source: string): LabHeading | undefined {
  // Problems in the file are the parser's to report; this only reads.
  const quiet = new DiagnosticSink("");
  const { body } = splitFrontMatter(normaliseSource(source), quiet);
  for (const item of readBody(body, quiet)) {
    if (item.kind !== "heading") continue;
    if (item.depth === 2) return undefined;
    if (item.depth === 1) return { text: item.text, line: item.line };
  }
  return undefined;
}

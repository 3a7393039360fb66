// The lab's name: the front matter's `title` is authoritative (list, menu, reports); a `# H1` that says
// something else confuses a reader of the file, who sees one name, while the student sees the other.
import { labHeading } from "../../format/heading.js";
import type { LintRule } from "../types.js";

export const labTitleMismatch: LintRule = {
  code: "lab/title-mismatch",
  severity: "warning",
  description: "the front matter's `title` and the `# H1` heading differ (the front matter names the lab)",
  check: ({ lab, lines }) => {
    const title = lab.meta.title.trim();
    // Without the source the heading is unknown (lintLab(lab) alone); without a title the heading is the name.
    // parseLab kept the heading it read (reading the file again here was a fifth of lint's time); a lab built
    // another way has it read from the source.
    const known = title !== "" && lines.length > 0;
    const heading = !known ? undefined : lab.source !== undefined ? lab.heading : labHeading(lines.join("\n"));
    if (!heading || heading.text.trim() === title) return [];
    return [{
      line: heading.line,
      code: "lab/title-mismatch",
      message: `the heading "# ${heading.text.trim()}" differs from the front matter's title "${title}", which is the name rootlab shows (lab list, menu, reports)`,
      expected: "the same text in both, or no `title:` in the front matter (then the heading names the lab)",
      example: `title: ${title}\n---\n\n# ${title}`,
    }];
  },
};

// The shape of a lint rule: a code, a severity, what it checks, and a pure check that reports every problem.
import type { Lab, Severity } from "../format/types.js";
import type { Problem } from "../format/diagnostics.js";
import type { CommandSite } from "./sites.js";

/** What a rule sees: the parsed lab, its command sites, and author comments (`<!-- … -->`) with their lines. */
export interface LintContext {
  lab: Lab;
  /** Every simple command of every runnable block, in document order, with where it runs. */
  sites: CommandSite[];
  /** The source's lines (empty when linting a Lab without its source): for columns. */
  lines: string[];
  /** HTML comments of the source, e.g. `<!-- no-hint: … -->` (empty without the source). */
  comments: { text: string; line: number }[];
  /** Whether a file exists (given by lintFiles, which reads the disk); without it links to files are not checked. */
  fileExists?: (path: string) => boolean;
}

export interface LintRule {
  /** Stable code, e.g. "check/missing". */
  code: string;
  severity: Severity;
  /** One line for the rules table (`rootlab lint --rules`, docs). */
  description: string;
  check(ctx: LintContext): Problem[];
}

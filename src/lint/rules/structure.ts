// A lab reads like a lesson: an intro, each step explains itself, and it ends with a reading step.
import type { Step } from "../../format/types.js";
import type { LintRule } from "../types.js";

const doesWork = (step: Step) => step.blocks.some((b) => b.role === "command" || b.role === "solution" || b.role === "verify");

export const labNoSteps: LintRule = {
  code: "lab/no-steps",
  severity: "error",
  description: "the lab has no `## ` step: nothing to run or learn (an empty file, or only front matter and a title)",
  check: ({ lab, lines }) =>
    lab.steps.length > 0 ? [] : [{
      // The end of what the author wrote: where the first step would go.
      line: Math.max(1, lines.findLastIndex((l) => l.trim() !== "") + 1),
      code: "lab/no-steps",
      message: "the lab has no steps: no `## ` heading follows the front matter, so there is nothing to run or learn",
      expected: "a `# Title`, an intro paragraph, and at least one `## Step` heading with its text and blocks",
      example: "# Hello, network namespace\n\nYou will create a network namespace.\n\n## Create a namespace\n\n```sh\nip netns add rl-hello\n```",
    }],
};

export const labNoIntro: LintRule = {
  code: "lab/no-intro",
  severity: "warning",
  description: "no prose between the `# Title` and the first step (what the student will learn and needs)",
  check: ({ lab }) =>
    lab.intro.trim() !== "" ? [] : [{
      line: lab.steps[0]?.line ?? 1,
      code: "lab/no-intro",
      message: "the lab has no intro: nothing tells the student what they will learn",
      expected: "a paragraph after the `# Title` heading, before the first `## ` step",
      example: "# Network namespaces\n\nYou will create a network namespace and see that it has its own interfaces.",
    }],
};

export const labNoClosingStep: LintRule = {
  code: "lab/no-closing-step",
  severity: "warning",
  description: "the last step runs commands; a lab ends with a reading step (`## What you learned`) that has none",
  check: ({ lab }) => {
    const last = lab.steps.at(-1);
    if (!last || !last.blocks.some((b) => b.role !== "cleanup")) return [];
    return [{
      line: last.line,
      code: "lab/no-closing-step",
      message: `the lab ends with step "${last.title}", which runs commands: nothing sums up what was learned`,
      expected: "a last step with prose only: what the student learned and which lab comes next",
      example: "## What you learned\n\n- A network namespace has its own interfaces.\n\nNext: **veth-pair**.",
    }];
  },
};

export const stepDuplicateTitle: LintRule = {
  code: "step/duplicate-title",
  severity: "warning",
  description: "two steps have the same title: the menu, the progress and `--only`/`--from` cannot tell them apart by name",
  check: ({ lab }) => {
    // One map, not a search per step (a file of 80 000 steps), and titles compared as the student sees them:
    // case, NFKC look-alikes and invisible format characters (U+200B…) do not make two entries different.
    const seen = new Map<string, number>();
    return lab.steps.flatMap((step, k) => {
      const key = step.title.normalize("NFKC").replace(/\p{Cf}/gu, "").trim().toLowerCase();
      const first = seen.get(key) ?? k;
      if (first === k) {
        seen.set(key, k);
        return [];
      }
      const earlier = lab.steps[first] as Step;
      return [{
        line: step.line,
        code: "step/duplicate-title",
        message: `step ${k + 1} has the same title as step ${first + 1} (line ${earlier.line}), "${step.title}": the student's menu shows two identical entries, and \`--only ${step.slug}\` must be spelled by its generated id`,
        expected: "a title that says what this step does, different from every other step's",
        example: "## Give the veth ends addresses\n…\n## Ping across the veth pair",
      }];
    });
  },
};

/** Titles longer than this are cut off in the 80-column menu, the progress line and reports. */
const TITLE_MAX = 100;

export const stepLongTitle: LintRule = {
  code: "step/long-title",
  severity: "warning",
  description: `a step's title (or the lab's) is longer than ${TITLE_MAX} characters: the 80-column menu, progress line and reports cut it off`,
  check: ({ lab }) => {
    const titled = [
      ...(lab.meta.title.length > TITLE_MAX ? [{ line: 1, title: lab.meta.title, what: "the lab's title" }] : []),
      ...lab.steps.filter((s) => s.title.length > TITLE_MAX).map((s) => ({ line: s.line, title: s.title, what: `step ${s.index + 1}'s title` })),
    ];
    return titled.map(({ line, title, what }) => ({
      line,
      code: "step/long-title",
      message: `${what} is ${title.length} characters long ("${title.slice(0, 40)}…"): the menu, the progress line and reports show only its start`,
      expected: `a title of at most ${TITLE_MAX} characters that names what the step does; the details go in the step's text`,
      example: "## Give the veth ends addresses\n\nEach end of the pair gets an address of the lab's subnet, so …",
    }));
  },
};

export const stepNoIntro: LintRule = {
  code: "step/no-intro",
  severity: "warning",
  description: "a step starts with a block: no prose says what is about to happen and why",
  check: ({ lab }) =>
    lab.steps
      .filter((s) => doesWork(s) && s.intro.trim() === "")
      .map((s) => ({
        line: s.line,
        code: "step/no-intro",
        message: `step "${s.title}" starts without prose`,
        expected: "a paragraph under the heading, before the first block: what the student is about to do and why",
        example: `## ${s.title}\n\nA network namespace is a separate copy of the network stack. Create one:`,
      })),
};

export const stepNoExplanation: LintRule = {
  code: "step/no-explanation",
  severity: "warning",
  description: "a step with commands has no explanation after its last block (what the output means)",
  check: ({ lab }) =>
    lab.steps
      .filter((s) => doesWork(s) && s.explanation.trim() === "")
      .map((s) => ({
        line: s.line,
        code: "step/no-explanation",
        message: `step "${s.title}" has no explanation after its last command or check`,
        expected: "prose after the step's last block, shown once the step passes: what the output means and why",
        example: "The new namespace has only `lo`, and it is DOWN: a network namespace starts empty.",
      })),
};

/** `## Clean up`, `## Clean-up`, `## Cleanup:`, `## Cleanups` (also in `**` or backticks), but not `## Cleanup` itself. */
const CLEANUP_NEAR_MISS = /^[*_`]*clean[ \t_-]*ups?[ \t]*[:.]?[*_`]*[ \t]*[:.]?$/i;

export const stepCleanupTypo: LintRule = {
  code: "step/cleanup-typo",
  severity: "warning",
  description: "a `##` heading that nearly spells `Cleanup` (`Clean up`, `Clean-up`, `Cleanup:`): it is an ordinary step, not the lab's teardown",
  check: ({ lab }) =>
    lab.steps
      .filter((s) => CLEANUP_NEAR_MISS.test(s.title.trim()))
      .map((s) => ({
        line: s.line,
        code: "step/cleanup-typo",
        message: `"## ${s.title}" is an ordinary step, not the reserved \`## Cleanup\` section: its blocks run once as step commands, not always at the end of the lab`,
        expected: "the heading `## Cleanup`, exactly that word (any letter case), for blocks that must run when the lab ends",
        example: "## Cleanup\n\n```sh\nip netns del rl-red 2>/dev/null || true\n```",
      })),
};

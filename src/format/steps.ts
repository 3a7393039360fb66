// Group body items into the lab's title, intro, steps and `## Cleanup`; attach expect blocks to their commands.
import type { DiagnosticSink } from "./diagnostics.js";
import type { Block, ExpectSpec, Fold, Step, StepPart } from "./types.js";
import type { BodyItem } from "./body.js";
import { interpretFence } from "./block.js";
import { SlugRegistry } from "./slug.js";

export interface LabBody {
  /** The first `# ` heading before the first step, as written. */
  heading?: { text: string; line: number };
  intro: string;
  steps: Step[];
  cleanup: Block[];
  cleanupLine?: number;
}

/** A step while it is being built: where its work (commands, checks, solutions, expected output) starts and ends. */
interface Draft {
  step: Step;
  firstWork?: number;
  afterLastWork?: number;
  /** False right after an expect block: prose that follows starts a new part (it may be the explanation). */
  mergeProse: boolean;
  /** The last runnable block met in the step, wrong attempts and undos included (what expect and undo attach to). */
  last?: Block;
}

/**
 * A block's visible label: a one-line paragraph right before its fence that starts in bold and ends its bold
 * or the line with a colon: `**Check:**`, `**In the `box` shell:**`, `**Expected output** (… `(re)` …):`.
 */
export const BLOCK_LABEL = /^\*\*[^*\n]+(?::\*\*(?:[ \t][^\n]*)?|\*\*[^\n]*:)$/;

/** Roles whose blocks frame a step's intro and explanation; setup and cleanup blocks are hidden bookkeeping. */
const WORK_ROLES: readonly Block["role"][] = ["command", "verify", "solution"];
const CLEANUP_HEADING = /^cleanup$/i;
const STEP_EXAMPLE = "## Create the namespace\n\n```sh\nip netns add rl-red\n```";

export function buildLabBody(items: BodyItem[], sink: DiagnosticSink): LabBody {
  const lab: LabBody = { intro: "", steps: [], cleanup: [] };
  const intro: string[] = [];
  const slugs = new SlugRegistry();
  let draft: Draft | undefined;
  let section: "preamble" | "step" | "cleanup" = "preamble";
  const folds: Fold[] = [];
  /** A label paragraph waiting to see whether a fence follows it (then it is the block's label, not prose). */
  let label: { markdown: string; line: number } | undefined;
  const flushLabel = () => {
    if (label) addProse(section, draft, intro, label.markdown, label.line);
    label = undefined;
  };

  for (const item of items) {
    if (item.kind === "fold-open") {
      folds.push({ summary: item.summary, open: item.open, line: item.line });
      continue;
    }
    if (item.kind === "fold-close") {
      folds.pop();
      continue;
    }
    const fold = folds.at(-1);
    if (item.kind === "prose" && BLOCK_LABEL.test(item.markdown)) {
      flushLabel();
      label = { markdown: item.markdown, line: item.line };
      continue;
    }
    if (item.kind !== "fence") flushLabel();
    if (item.kind === "heading" && item.depth === 1 && section === "preamble" && lab.heading === undefined) {
      lab.heading = { text: item.text, line: item.line };
    } else if (item.kind === "heading" && item.depth === 2) {
      folds.length = 0;
      if (draft) finish(draft, sink);
      draft = undefined;
      if (CLEANUP_HEADING.test(item.text)) {
        if (lab.cleanupLine !== undefined) sink.error({ line: item.line, code: "cleanup/duplicate", message: `a second \`## Cleanup\` section (the first is on line ${lab.cleanupLine})`, expected: "one `## Cleanup` section, at the end of the lab", example: "## Cleanup" });
        else lab.cleanupLine = item.line;
        section = "cleanup";
      } else {
        if (lab.cleanupLine !== undefined) sink.warning({ line: item.line, code: "cleanup/not-last", message: `step "${item.text}" comes after \`## Cleanup\`; the cleanup section still runs only at the end`, expected: "`## Cleanup` as the last section", example: "## Cleanup" });
        if (!/[\p{L}\p{N}\p{S}]/u.test(item.text)) sink.error({ line: item.line, code: "step/no-title", message: `step ${lab.steps.length + 1}'s heading has no title (\`${item.raw}\`): the menu, the progress and \`--only\` name steps by their titles`, expected: "a `## ` heading with a few words that say what the step does", example: STEP_EXAMPLE });
        const step: Step = { index: lab.steps.length, title: item.text, slug: slugs.claim(item.text), line: item.line, intro: "", explanation: "", hints: [], parts: [], blocks: [], wrongAttempts: [] };
        lab.steps.push(step);
        draft = { step, mergeProse: true };
        section = "step";
      }
    } else if (item.kind === "heading") {
      addProse(section, draft, intro, item.raw, item.line);
    } else if (item.kind === "prose") {
      addProse(section, draft, intro, item.markdown, item.line);
    } else if (item.kind === "hint") {
      if (draft) {
        const hint = { markdown: item.markdown, line: item.line, ...(fold ? { fold } : {}) };
        draft.step.hints.push(hint);
        draft.step.parts.push({ kind: "hint", hint });
      } else {
        sink.warning({ line: item.line, code: "hint/outside-step", message: "a `> [!TIP]` hint outside a step is not a hint: it is shown as a plain quote in the intro (and dropped in `## Cleanup`)", expected: "hints inside a `## Step`, where they help with that step's checks", example: "> [!TIP]\n> List the namespaces with `ip netns list`." });
        addProse(section, draft, intro, item.raw, item.line);
      }
    } else {
      const meaning = interpretFence(item.fence, section === "cleanup", sink);
      if (meaning.kind === "display") flushLabel();
      else if (label) {
        if (meaning.kind === "block") meaning.block.label = label.markdown;
        else meaning.spec.label = label.markdown;
        label = undefined;
      }
      if (meaning.kind === "block" && fold) meaning.block.fold = fold;
      if (meaning.kind === "display") addProse(section, draft, intro, item.raw, item.fence.line);
      else if (section === "cleanup" && meaning.kind === "block") lab.cleanup.push(meaning.block);
      else if (!draft) sink.error({ line: item.fence.line, code: "block/outside-step", message: "commands must be inside a step: this block comes before the first `## ` heading", expected: "a `## Step title` heading above the block", example: STEP_EXAMPLE });
      else if (meaning.kind === "block") addBlock(draft, meaning.block, sink);
      else if (meaning.kind === "expect") attachExpect(draft, meaning.spec, sink);
    }
  }
  flushLabel();
  if (draft) finish(draft, sink);
  lab.intro = intro.join("\n\n");
  return lab;
}

function addProse(section: string, draft: Draft | undefined, intro: string[], markdown: string, line: number): void {
  if (draft) {
    const last = draft.step.parts.at(-1);
    // Consecutive prose (paragraphs, lists, ### headings, shown-only fences) is one part, like one passage of text.
    if (last?.kind === "prose" && draft.mergeProse) last.markdown += `\n\n${markdown}`;
    else draft.step.parts.push({ kind: "prose", markdown, line });
    draft.mergeProse = true;
  } else if (section === "preamble") {
    intro.push(markdown);
  }
  // Prose inside `## Cleanup` is for readers of the file; the lab model keeps only its blocks.
}

function addBlock(draft: Draft, block: Block, sink: DiagnosticSink): void {
  const { step } = draft;
  const previous = draft.last;
  draft.last = block;
  // Wrong attempts are proof for `verify --strict`, never part of what a student reads or runs.
  if (block.role === "wrong") {
    step.wrongAttempts.push(block);
    return;
  }
  if (block.role === "undo") {
    if (previous?.role === "wrong" && !previous.undo) previous.undo = block;
    else sink.error({ line: block.line, code: "wrong/undo-without-attempt", message: `an undo block must come right after a \`wrong\` block${previous?.role === "wrong" ? " that has no undo yet" : ""}`, expected: "```sh wrong, then at most one ```sh undo right after it", example: "```sh wrong\n# without --numeric-owner\ntar -xf t.tar\n```\n\n```sh undo\nrm -rf tree\n```" });
    return;
  }
  if (WORK_ROLES.includes(block.role)) {
    draft.firstWork ??= step.parts.length;
    draft.afterLastWork = step.parts.length + 1;
  }
  step.blocks.push(block);
  step.parts.push({ kind: "block", block });
}

function attachExpect(draft: Draft, spec: ExpectSpec, sink: DiagnosticSink): void {
  const target = draft.last;
  const example = "```sh\necho hello\n```\n\n```text expect\nhello\n```";
  if (!target || (target.role !== "command" && target.role !== "solution")) {
    const after = target ? `the block before it is a ${target.role} block` : "no command comes before it in this step";
    sink.error({ line: spec.line, code: "expect/no-command", message: `expected output must follow a command or solution block: ${after}`, expected: "an ```sh block (or ```sh solution) right before the ```text expect block, in the same step", example });
  } else if (target.expect) {
    sink.error({ line: spec.line, code: "expect/duplicate", message: `the command on line ${target.line} already has expected output (line ${target.expect.line})`, expected: "one expect block per command", example });
  } else if (target.background) {
    sink.error({ line: spec.line, code: "expect/background", message: `the command on line ${target.line} runs in the background, so it has no output to compare`, expected: "expect only after commands that rootlab waits for", example });
  } else {
    target.expect = spec;
    // Expected output belongs to the work: prose before it is not yet the explanation.
    draft.afterLastWork = draft.step.parts.length;
    draft.mergeProse = false;
  }
}

function finish(draft: Draft, sink: DiagnosticSink): void {
  const { step } = draft;
  if (step.parts.length === 0) {
    sink.warning({ line: step.line, code: "step/empty", message: `step "${step.title}" is empty`, expected: "prose, commands or checks under the heading", example: STEP_EXAMPLE });
  }
  const proseIn = (parts: StepPart[]) => parts.flatMap((p) => (p.kind === "prose" ? [p.markdown] : [])).join("\n\n");
  if (draft.firstWork === undefined) {
    step.intro = proseIn(step.parts);
  } else {
    step.intro = proseIn(step.parts.slice(0, draft.firstWork));
    step.explanation = proseIn(step.parts.slice(draft.afterLastWork ?? step.parts.length));
  }
}

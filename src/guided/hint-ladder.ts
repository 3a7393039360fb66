// A step's hints as the learner meets them: a ladder (nudge → tool → command) that follows where the learner
// is in the step, and a count of the hints the learner asked for. Hints rootlab shows by itself (after a failed
// command or check) move the ladder on but are not "used": only asking counts (progress, the menu, the room).
import type { Hint, Step } from "../format/types.js";
import { hintView, type View } from "./render.js";

/** Code shorter than this (`ls`, `..`, `ip`) names no particular command. */
const MIN_QUOTE = 8;

function squash(code: string): string {
  return code.replace(/\\\n/g, " ").replace(/\s+/g, " ").trim();
}

/** The code a hint quotes: its `inline code` and the lines of its fenced blocks. */
function quotedCode(markdown: string): string[] {
  const fenced = [...markdown.matchAll(/```[^\n]*\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split("\n"));
  const inline = [...markdown.replace(/```[\s\S]*?```/g, "").matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);
  return [...fenced, ...inline].map(squash).filter((q) => q.length >= MIN_QUOTE);
}

/**
 * For each hint, the step's commands (0-based, in order) whose code it quotes. A hint that quotes none is about
 * the step as a whole (a nudge). Pure.
 */
export function hintSubjects(step: Step): number[][] {
  const commands = step.blocks.filter((b) => b.role === "command").map((b) => squash(b.code));
  return step.hints.map((hint) => {
    const quotes = quotedCode(hint.markdown);
    return commands.flatMap((code, i) => (quotes.some((q) => code.includes(q)) ? [i] : []));
  });
}

export type HintAsk = "asked" | "shown";

export class HintLadder {
  private readonly hints: Hint[];
  private readonly subjects: number[][];
  private readonly seenSet: Set<number>;
  private askedCount = 0;

  constructor(
    step: Pick<Step, "hints" | "blocks">,
    /** Hints (0-based) the learner saw in an earlier, unfinished attempt at this step. */
    seenBefore: readonly number[] = [],
    /** Told each time the learner asks for a hint (the workshop room counts them). */
    private readonly onAsked?: () => void,
  ) {
    this.hints = step.hints;
    this.subjects = hintSubjects(step as Step);
    this.seenSet = new Set(seenBefore.filter((i) => Number.isInteger(i) && i >= 0 && i < step.hints.length));
  }

  /** Hints the learner asked for in this run (what progress adds up). */
  get asked(): number {
    return this.askedCount;
  }

  /** Every hint of the step seen so far, asked for or shown after a failure, counting an earlier attempt's. */
  get seen(): number[] {
    return [...this.seenSet].sort((a, b) => a - b);
  }

  /**
   * The hints still to come where the learner is: at command AT (0-based), the hints that are not only about the
   * step's earlier commands; in the checks (AT undefined), all of them.
   */
  private waiting(at?: number): number[] {
    return this.hints.flatMap((_, i) => {
      if (this.seenSet.has(i)) return [];
      const about = this.subjects[i]!;
      const behind = at !== undefined && about.length > 0 && about.every((c) => c < at);
      return behind ? [] : [i];
    });
  }

  /** How many hints are left where the learner is (see waiting). */
  left(at?: number): number {
    return this.waiting(at).length;
  }

  /** Menu hint for "Show a hint". */
  label(at?: number): string {
    const left = this.left(at);
    if (left > 0) return `${left} left`;
    if (this.hints.length === 0) return "this step has none";
    return at !== undefined && this.left() > 0 ? "none for this command" : "no more";
  }

  /** The next hint where the learner is, as text (or why there is none); counted only when ASKed for. */
  next(view: View, how: HintAsk, at?: number): string {
    const i = this.waiting(at)[0];
    if (i === undefined) return this.none(view, at);
    this.seenSet.add(i);
    if (how === "asked") {
      this.askedCount++;
      this.onAsked?.();
    }
    return hintView(this.hints[i]!, i + 1, this.hints.length, view);
  }

  private none(view: View, at?: number): string {
    const total = this.hints.length;
    const text =
      total === 0
        ? "This step has no hints."
        : at !== undefined && this.left() > 0
          ? "No hint for this command: this step's other hints are about its earlier commands. They come back if a check fails."
          : `That was the last hint (${total}/${total}).${at === undefined ? ' "See the solution" shows the answer.' : ""}`;
    return view.style.chalk.dim(text);
  }
}

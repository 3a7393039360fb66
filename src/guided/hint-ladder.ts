// A step's hints as the learner meets them: a ladder (nudge → tool → command) that follows where the learner
// is in the step (the command they are at, or the checks), and a count of the hints the learner asked for. Hints rootlab shows by itself (after a failed
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
  /** Commands (0-based) that failed in this run: their ladders take in the earlier commands' hints. */
  private readonly failedAt = new Set<number>();

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
   * The hints still to come where the learner is. At command AT (0-based): the nudges (about the step as a whole)
   * and the hints about that command — not those only about other commands, earlier or later, which would be
   * unrelated to what the learner is doing (user-namespaces step 1: the rungs about its setup command, asked for
   * at `cat /etc/shadow`). Once command AT failed, also those about earlier commands: a command usually fails
   * because of an earlier one (netns-veth step 3: the pings fail because `eth0` was left down by command 1). In
   * the checks (AT undefined): all of them. So where the learner stays, the count drops only by hints they saw.
   */
  private waiting(at?: number): number[] {
    return this.hints.flatMap((_, i) => {
      if (this.seenSet.has(i)) return [];
      const about = this.subjects[i]!;
      if (at === undefined || about.length === 0 || about.includes(at)) return [i];
      return this.failedAt.has(at) && about.some((c) => c < at) ? [i] : [];
    });
  }

  /** Command AT (0-based) failed: from now on its ladder takes in the hints about the commands before it. */
  commandFailed(at: number): void {
    this.failedAt.add(at);
  }

  /** How many hints are left where the learner is (see waiting). */
  left(at?: number): number {
    return this.waiting(at).length;
  }

  /** Menu hint for "Show a hint": at a command, the count is that command's ("2 for this command"). */
  label(at?: number): string {
    const left = this.left(at);
    if (left > 0) return at === undefined ? `${left} left` : `${left} for this command`;
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
          ? "No hint for this command: this step's other hints are about its other commands. All of them come back if a check fails."
          : `That was the last hint (${total}/${total}).${at === undefined ? ' "See the solution" shows the answer.' : ""}`;
    return view.style.chalk.dim(text);
  }
}

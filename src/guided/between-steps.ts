// Between two steps the learner decides when to go on: the output, the checks and the explanation of the step
// just done stay on screen until then, and a step whose text no longer fits the terminal can be read again
// in a pager (less), from its first line.
import type { Lab, Step } from "../format/types.js";
import { findCommand } from "../host/commands.js";
import { pageWithLess } from "../host/pager.js";
import { displayWidth, stripAnsi } from "../term/width.js";
import { fitWords } from "./menu.js";
import type { Terminal } from "./context.js";
import { choose } from "./prompts.js";
import type { MachineChanges } from "./machine-changes.js";

/**
 * Everything shown during one step (prose, commands, their output, checks), for reading it again; and what each
 * command printed (by the block's line in the lab), so the explanation can show it again beside itself.
 */
export class StepTranscript {
  private text = "";
  private firstOutput: number | undefined;
  private readonly printed = new Map<number, string>();
  /** Blocks meant to fail (exit=N) that failed that way, run by rootlab or typed by the learner. */
  private readonly asExpected = new Set<number>();
  add(chunk: string): void {
    this.text += chunk;
  }
  /** A block started (again): what it prints from now on replaces what an earlier attempt printed. */
  startBlock(line: number): void {
    this.printed.delete(line);
    this.asExpected.delete(line);
  }
  markAsExpected(line: number): void {
    this.asExpected.add(line);
  }
  /** The block at LINE is meant to fail and did, the way the lab expects. */
  failedAsExpected(line: number): boolean {
    return this.asExpected.has(line);
  }
  /** Output of the block at LINE, as shown on the terminal. */
  addOutput(line: number, chunk: string): void {
    this.firstOutput ??= this.text.length;
    this.printed.set(line, (this.printed.get(line) ?? "") + chunk);
    this.text += chunk;
  }
  reset(): void {
    this.text = "";
    this.firstOutput = undefined;
    this.printed.clear();
    this.asExpected.clear();
  }
  get value(): string {
    return this.text;
  }
  lines(): number {
    return this.text.split("\n").length;
  }
  /** What the block at LINE printed in this step (empty when nothing). */
  outputOf(line: number): string {
    return this.printed.get(line) ?? "";
  }
  /** Everything shown since the step's first command output, or "" when nothing was printed. */
  sinceFirstOutput(): string {
    return this.firstOutput === undefined ? "" : this.text.slice(this.firstOutput);
  }
}

/** Shows TEXT in `less -R` (colours kept) on the terminal; resolves when the learner leaves it with q. */
function page(text: string, term: Terminal): Promise<void> {
  // less reads its keys from the terminal: rootlab must not read them at the same time.
  term.stdin.pause();
  return pageWithLess(term.stdout.isTTY ? text : stripAnsi(text), ["-R", "-K"]).then(() => undefined);
}

/** After step STEP of LAB (not the last): wait for the learner. "quit" when they leave instead. */
export async function betweenSteps(lab: Lab, step: Step, transcript: StepTranscript, term: Terminal, changes?: MachineChanges): Promise<"next" | "quit"> {
  const next = lab.steps[step.index + 1]!;
  const rows = term.stdout.rows || 24;
  const canPage = transcript.lines() > rows - 4 && findCommand("less") !== undefined;
  for (;;) {
    const label = `Go on to step ${next.index + 1}/${lab.steps.length}`;
    const choices = (columns: number) => {
      // The next step's title as the hint, shortened at a word so the line never wraps (enquirer redraws by lines).
      const hint = fitWords(next.title, Math.max(10, columns - displayWidth(label) - 7), "…");
      const list: { value: "next" | "page" | "quit" | "fold" | "changes"; label: string; hint?: string }[] = [{ value: "next", label, hint }];
      if (canPage) list.push({ value: "page", label: `Read step ${step.index + 1} again from its start`, hint: "in a pager: q comes back" });
      if (changes) list.push(...changes.choices());
      list.push({ value: "quit", label: "Quit", hint: "rootlab cleans up; your progress is kept" });
      return list;
    };
    const answer = await choose("When you are ready:", choices, term);
    if (answer.kind !== "chosen" || answer.value === "quit") return "quit";
    if (answer.value === "next") return "next";
    if (answer.value === "fold" && changes) {
      changes.folded = !changes.folded;
      continue;
    }
    if (answer.value === "changes" && changes) {
      await page(changes.all(), term);
      continue;
    }
    await page(transcript.value, term);
  }
}

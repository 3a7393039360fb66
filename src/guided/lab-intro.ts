// The lab's introduction, read before step 1: the learner decides when the lab moves on, as between steps. An
// introduction taller than the terminal comes a screenful at a time (each ending at a paragraph, "Read on" in
// between), as a long explanation does; then "Start step 1" (or Quit). Shown when a lab starts at step 1, not on
// resume: "Welcome back" goes straight to the step (the introduction is one `rootlab show LAB` away).
import type { Lab } from "../format/types.js";
import { displayWidth } from "../term/width.js";
import type { Terminal } from "./context.js";
import { pageThrough, screenfuls } from "./explanation-screen.js";
import { fitWords } from "./menu.js";
import { choose, type Choice } from "./prompts.js";
import { labHeader, type View } from "./render.js";

/** The question after the introduction (test/e2e/guided-driver.ts answers it by this text). */
export const INTRO_QUESTION = "When you have read the introduction:";
/** The question between two screenfuls of a long introduction. */
export const INTRO_GOES_ON = "The introduction goes on:";
/** Rows below a page: the question and its two choices ("Read on" or "Start step 1", and Quit), and a spare. */
const QUESTION_ROWS = 4;

/** The choices after the introduction, made for a terminal COLUMNS wide (the first step's title fitted at a word). */
export function startChoices(lab: Lab, columns: number): Choice<"start" | "quit">[] {
  const first = lab.steps[0];
  const label = `Start step 1/${lab.steps.length}`;
  const hint = first ? fitWords(first.title, Math.max(10, columns - displayWidth(label) - 7), "…") : undefined;
  return [
    { value: "start", label, ...(hint ? { hint } : {}) },
    { value: "quit", label: "Quit", hint: "rootlab cleans up; your progress is kept" },
  ];
}

/** The introduction as pages for a terminal of ROWS×COLS (colours allowed: rows are counted without them). Pure. */
export function introPages(lab: Lab, v: View, rows: number, cols: number): string[][] {
  const lines = labHeader(lab, v).split("\n");
  return screenfuls([], lines, Math.max(10, rows - QUESTION_ROWS), cols);
}

/** Prints LAB's title and introduction and waits for the learner: "start" step 1, or "quit". */
export async function showIntro(lab: Lab, term: Terminal, v: View, print: (s: string) => void): Promise<"start" | "quit"> {
  const pages = introPages(lab, v, term.stdout.rows || 24, term.stdout.columns || 80);
  if ((await pageThrough(pages, INTRO_GOES_ON, term, print)) === "quit") return "quit";
  // A lab without an introduction has nothing to read: its first step follows at once.
  if (!lab.intro.trim()) return "start";
  const answer = await choose(INTRO_QUESTION, (columns) => startChoices(lab, columns), term);
  return answer.kind === "chosen" && answer.value === "start" ? "start" : "quit";
}

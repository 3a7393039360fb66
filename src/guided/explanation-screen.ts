// A step's explanation, laid out so the learner reads it beside the output it talks about. When the step's output,
// the explanation and the question after it fit the terminal together, the explanation is simply printed. When
// they do not (a 30-row terminal, a long explanation), the output would scroll away while the learner reads, so
// what the step's commands printed is shown again right above the explanation, and an explanation taller than the
// screen is shown a screenful at a time, each part ending at a paragraph, with "Read on" in between.
import type { Step } from "../format/types.js";
import { displayWidth, stripAnsi } from "../term/width.js";
import type { StepTranscript } from "./between-steps.js";
import { commandBlocks, type Terminal } from "./context.js";
import { toldRecap, type RecapTold } from "./output-recap.js";
import { choose } from "./prompts.js";
import { explanationView, type View } from "./render.js";

/** Rows kept free for the question that follows (its line, up to five choices; answered, it shrinks to one). */
export const QUESTION_ROWS = 6;
/** Rows kept free below a page of a paged explanation: "The explanation goes on", Read on, Quit, and a spare. */
const READ_ON_ROWS = 4;

/** Terminal rows TEXT takes at COLS columns (long lines wrap). */
export function rowsOf(text: string, cols: number): number {
  return text.split("\n").reduce((n, line) => n + Math.max(1, Math.ceil(displayWidth(stripAnsi(line)) / cols)), 0);
}

/** A line that starts an item of a list ("• …", "- …", "1. …"). */
const LIST_ITEM = /^\s*([•*>-]|\d+\.)\s/;

/**
 * LINES split into screenfuls of at most BUDGET rows, each ending at a paragraph (a blank line) where one fits;
 * the first screenful holds FIRST (kept whole) before them, every later one AGAIN (kept whole: what the text is
 * about, repeated so it stays in view). A paragraph that leads into the next (it ends with ":") stays with it; a
 * paragraph taller than the room left is cut before a list item where it can be. Pure.
 */
export function screenfuls(first: string[], lines: string[], budget: number, cols: number, again: string[] = []): string[][] {
  const pages: string[][] = [];
  const againRows = again.length > 0 ? rowsOf(again.join("\n"), cols) : 0;
  let page = [...first];
  let head = first.length;
  let used = first.length > 0 ? rowsOf(first.join("\n"), cols) : 0;
  const newPage = () => {
    pages.push(page);
    page = [...again];
    head = again.length;
    used = againRows;
  };
  let paragraph: string[] = [];
  const flushParagraph = () => {
    const rows = rowsOf(paragraph.join("\n"), cols);
    if (used + rows > budget && page.length > head) newPage();
    // Where in PAGE the list item (or the paragraph) being laid out began.
    let itemStart = page.length;
    for (const [i, line] of paragraph.entries()) {
      if (i > 0 && LIST_ITEM.test(stripAnsi(line))) itemStart = page.length;
      const r = rowsOf(line, cols);
      // A paragraph taller than a screen is cut where the screen ends (FIRST may fill a page alone; AGAIN not),
      // before the item that does not fit when something comes before it on the page.
      if (used + r > budget && page.length > (pages.length === 0 ? 0 : head)) {
        const carry = itemStart > head && itemStart < page.length ? page.splice(itemStart) : [];
        newPage();
        page.push(...carry);
        used += carry.length > 0 ? rowsOf(carry.join("\n"), cols) : 0;
        itemStart = head;
      }
      page.push(line);
      used += r;
    }
    paragraph = [];
  };
  for (const line of lines) {
    paragraph.push(line);
    if (stripAnsi(line).trim() !== "") continue;
    const said = paragraph.filter((l) => stripAnsi(l).trim() !== "").at(-1);
    if (said !== undefined && stripAnsi(said).trimEnd().endsWith(":")) continue;
    flushParagraph();
  }
  flushParagraph();
  if (page.length > head || pages.length === 0) pages.push(page);
  return pages;
}

/** Index after the explanation's head and its first paragraph (lines: "", head, "", paragraph…, "", …). */
function firstParagraphEnd(lines: string[]): number {
  let i = 0;
  let blanks = 0;
  for (; i < lines.length; i++) {
    if (stripAnsi(lines[i]!).trim() === "" && ++blanks === 3) break;
  }
  return i;
}

/**
 * Prints the explanation of STEP (done or skipped), then AFTER (what the step changed on the machine: supplementary,
 * so it comes last and is paged with the explanation); "quit" when the learner leaves while it is paged.
 */
export async function showExplanation(step: Step, how: "done" | "skipped", transcript: StepTranscript, term: Terminal, v: View, print: (s: string) => void, after: string[] = []): Promise<"ok" | "quit"> {
  const text = explanationView(step, v, how);
  const rows = term.stdout.rows || 24;
  const cols = term.stdout.columns || 80;
  // The last page is followed by the question between steps (up to five choices), the others by "Read on" (two).
  const lastBudget = Math.max(10, rows - QUESTION_ROWS);
  const lines = text.split("\n");
  const changes = after.length > 0 ? ["", ...after] : [];
  const shown = transcript.sinceFirstOutput();
  // Each command's answered question ("✔ What now? · Run it for me") stays on screen too.
  const onScreen = shown ? rowsOf(shown, cols) + commandBlocks(step).length : 0;
  if (onScreen + rowsOf([...lines, ...changes].join("\n"), cols) <= lastBudget) {
    print([...lines, ...changes].join("\n"));
    return "ok";
  }
  const laid = fittedPages(step, transcript, v, lines, changes, rows, cols);
  const { pages, again } = laid;
  return pageThrough(pages, "The explanation goes on:", term, print, again);
}

/** So few lines left that asking for a key to show them is more trouble than fitting them (see showExplanation). */
const FEW_LINES = 2;

/**
 * explanationPages, but a last page of a line or two ("Read on (1 more line)" asks a key for what would fit) is
 * avoided where it can be: the output shown again gives up a few rows when that brings the text onto fewer
 * pages. Pure.
 */
export function fittedPages(...args: [Parameters<typeof explanationPages>[0], Parameters<typeof explanationPages>[1], View, string[], string[], number, number]): RecapPages {
  const [, , , , , rows, cols] = args;
  // The page that becomes the last one is followed by the question between steps, not by "Read on".
  const lastFits = (pages: string[][]) => rowsOf((pages.at(-1) ?? []).join("\n"), cols) <= Math.max(10, rows - QUESTION_ROWS);
  const laid = explanationPages(...args, 0);
  const few = laid.pages.length > 1 && linesLeft(laid.pages.slice(-1), laid.again) <= FEW_LINES;
  // A key press costs less than a line the text is about: rows are given up only from output already cut (a
  // whole output stays whole: the text may talk about any of its lines, `file`'s "statically linked" in chroot
  // step 1), never so that fewer of the lines the text quotes are shown (alpine step 3's `0:82`), and never the
  // last line shown of a command's output (a command whose output was on the screen keeps some of it there).
  const costless = (tighter: typeof laid) =>
    tighter.told.every((t, i) => {
      const before = laid.told[i]!;
      return before.whole ? t.whole : t.quotedLeft <= before.quotedLeft && t.hiddenRuns <= before.hiddenRuns;
    });
  for (let spare = 1; few && spare <= FEW_LINES + QUESTION_ROWS - READ_ON_ROWS + 2; spare++) {
    const tighter = explanationPages(...args, spare);
    if (tighter.pages.length < laid.pages.length && lastFits(tighter.pages) && costless(tighter)) return tighter;
  }
  return laid;
}

/** Pages of an explanation; AGAIN heads the later ones; TOLD: what the first recap (and AGAIN's, if shown) left out. */
export interface RecapPages {
  pages: string[][];
  again: string[];
  told: Pick<RecapTold, "whole" | "quotedLeft" | "hiddenRuns">[];
}

/**
 * The explanation's LINES (then CHANGES) as pages for a ROWS × COLS terminal, the output recap (when the text and
 * the output do not fit together) heading the first page and, shorter, the later ones; SPARE rows fewer for each
 * recap (never under a few rows). Pure.
 */
export function explanationPages(step: Step, transcript: Pick<StepTranscript, "outputOf"> & Partial<Pick<StepTranscript, "failedAsExpected">>, v: View, lines: string[], changes: string[], rows: number, cols: number, spare: number): RecapPages {
  const lastBudget = Math.max(10, rows - QUESTION_ROWS);
  const budget = Math.max(10, rows - READ_ON_ROWS);
  // The recap leaves room for the explanation's head and first paragraph (most often the one about the output),
  // which stay on the first page with it (the recap is set off by a blank line above it).
  const openingEnd = firstParagraphEnd(lines);
  const opening = lines.slice(0, openingEnd);
  const first = toldRecap(step, transcript, v, Math.max(4, Math.max(6, budget - rowsOf(opening.join("\n"), cols) - 1) - spare));
  const recap = first.rows;
  // Every later page starts with the output again (half the page at most, cut as above when it is longer), so
  // what a later paragraph talks about is on the screen with it too.
  const later = toldRecap(step, transcript, v, Math.max(4, Math.floor(budget / 2) - spare), "again");
  const again = recap.length > 0 ? ["", ...later.rows, ""] : [];
  const pages = screenfuls([...(recap.length > 0 ? ["", ...recap] : []), ...opening], lines.slice(openingEnd), budget, cols, again);
  const last = pages.at(-1) ?? [];
  // What changed on the machine is not about the output: it joins the last page when it fits there (with the
  // question after it), else it comes on a page of its own, without the output again.
  if (changes.length > 0 && rowsOf([...last, ...changes].join("\n"), cols) <= lastBudget) last.push(...changes);
  else if (changes.length > 0) pages.push(...screenfuls([], changes, lastBudget, cols));
  else if (pages.length > 1 && rowsOf(last.join("\n"), cols) > lastBudget) {
    const body = again.length > 0 ? last.slice(again.length) : last;
    pages.splice(-1, 1, ...screenfuls(again, body, lastBudget, cols, again));
  }
  // The copy heading later pages counts only when there are later pages.
  const told = (pages.length > 1 ? [first, later] : [first]).map(({ whole, quotedLeft, hiddenRuns }) => ({ whole, quotedLeft, hiddenRuns }));
  return { pages, again, told };
}

/**
 * How many lines "Read on" brings that the learner has not read: the lines of PAGES, less the blank ones and the
 * copy of AGAIN (the output shown again) that heads a later page. Pure.
 */
export function linesLeft(pages: readonly (readonly string[])[], again: readonly string[] = []): number {
  return pages.reduce((n, page) => {
    const repeated = again.length > 0 && again.every((line, i) => page[i] === line) ? again.length : 0;
    return n + page.slice(repeated).filter((line) => stripAnsi(line).trim() !== "").length;
  }, 0);
}

/**
 * Prints PAGES one at a time, asking QUESTION ("Read on" / "Quit") between them, so the learner decides when the
 * text moves on; "quit" when they leave (or the prompt is cancelled: Ctrl-D, a signal). AGAIN: what heads the
 * later pages again, not counted in "N more lines".
 */
export async function pageThrough(pages: string[][], question: string, term: Terminal, print: (s: string) => void, again: string[] = []): Promise<"ok" | "quit"> {
  for (const [i, page] of pages.entries()) {
    print(page.join("\n"));
    if (i === pages.length - 1) break;
    const left = linesLeft(pages.slice(i + 1), again);
    const answer = await choose(
      question,
      [
        { value: "more", label: "Read on", hint: `${left} more line${left === 1 ? "" : "s"}` },
        { value: "quit", label: "Quit", hint: "rootlab cleans up; your progress is kept" },
      ],
      term,
    );
    if (answer.kind !== "chosen" || answer.value === "quit") return "quit";
  }
  return "ok";
}

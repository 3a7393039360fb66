// Every choice's line fits the terminal at the width it has now: a hint is cut at a word, or left out, so the
// terminal never wraps a choice mid-word (src/guided/prompts.ts fitHints, run again at each resize).
import { describe, expect, it } from "vitest";
import { fitHints, type Choice } from "../../src/guided/prompts.js";
import { displayWidth } from "../../src/term/width.js";

const TYPE: Choice<"type"> = { value: "type", label: "I'll type it myself", hint: "the session's own shell; check to come back" };
const QUIT: Choice<"quit"> = { value: "quit", label: "Quit", hint: "rootlab cleans up; your progress is kept" };
const LAB: Choice<"lab"> = { value: "lab", label: "· cgroups (cgroups)", disabled: "cannot run here" };

/** The line enquirer's Select draws for a choice: "▸ label (hint)". */
const line = (c: Choice<string>) => `▸ ${c.label}${c.hint ? ` (${c.hint})` : ""}`;

describe("fitHints: each choice's hint fitted to the terminal's width", () => {
  it.each([
    { columns: 100, want: "the session's own shell; check to come back" },
    { columns: 80, want: "the session's own shell; check to come back" },
    { columns: 60, want: "the session's own shell; check to…" },
    { columns: 40, want: "the session's…" },
    { columns: 32, want: undefined }, // 7 columns left: no hint
  ])("at $columns columns", ({ columns, want }) => {
    const [typed, quit, lab] = fitHints([TYPE, QUIT, LAB], columns);
    expect(typed!.hint).toBe(want);
    expect(typed!.label).toBe(TYPE.label); // labels stay whole (the answer is mapped back by its label)
    for (const c of [typed!, quit!]) expect(displayWidth(line(c)), line(c)).toBeLessThan(columns);
    expect(lab).toEqual(LAB); // a disabled choice's reason is the caller's to fit (the lab menu does)
  });

  it("a hint whose first word does not fit is left out, not shown as (…)", () => {
    const [c] = fitHints([{ value: "x", label: "Show a hint", hint: "nothing-but-one-very-long-word" }], 26);
    expect(c).toEqual({ value: "x", label: "Show a hint" });
  });
});

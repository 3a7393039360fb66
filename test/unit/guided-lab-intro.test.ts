// The lab's introduction before step 1: split into screenfuls that leave room for the question after each, and
// the "Start step 1" choice fitted to the terminal's width.
import { describe, expect, it } from "vitest";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { loadLab } from "../../src/format/load.js";
import type { Lab } from "../../src/format/types.js";
import { introPages, startChoices } from "../../src/guided/lab-intro.js";
import { rowsOf } from "../../src/guided/explanation-screen.js";
import { labHeader } from "../../src/guided/render.js";
import { plainStyle } from "../../src/term/style.js";
import { displayWidth } from "../../src/term/width.js";

const LABS = join(import.meta.dirname, "../../labs");
const labs: Lab[] = [];
for (const f of readdirSync(LABS).filter((n) => n.endsWith(".md")).sort()) {
  const r = await loadLab(join(LABS, f));
  if (r.ok) labs.push(r.lab);
}

describe("introPages", () => {
  it.each([
    [80, 30],
    [120, 40],
    [80, 24],
  ])("every lab at %i×%i: each page leaves 4 rows for the question; nothing lost, nothing repeated", (cols, rows) => {
    const v = { style: plainStyle(), width: Math.min(cols, 100) };
    for (const lab of labs) {
      const pages = introPages(lab, v, rows, cols);
      for (const page of pages) expect(rowsOf(page.join("\n"), cols), `${lab.meta.id}: ${page.join("\n")}`).toBeLessThanOrEqual(rows - 4);
      expect(pages.flat().join("\n")).toBe(labHeader(lab, v));
    }
  });
  it("a long introduction (alpine-rootfs at 80×30) comes in pages that end at a paragraph", () => {
    const lab = labs.find((l) => l.meta.id === "alpine-rootfs")!;
    const pages = introPages(lab, { style: plainStyle(), width: 80 }, 30, 80);
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages.slice(0, -1)) expect(page.at(-1)).toBe("");
  });
});

describe("startChoices", () => {
  it.each([40, 80, 120])("Start step 1/N with the first step's title, on one line of %i columns", (cols) => {
    for (const lab of labs) {
      const [start, quit] = startChoices(lab, cols);
      expect(start!.label).toBe(`Start step 1/${lab.steps.length}`);
      // enquirer draws "▸ label (hint)": it must not wrap.
      expect(displayWidth(`▸ ${start!.label} (${start!.hint})`)).toBeLessThan(cols);
      expect(quit!.value).toBe("quit");
    }
  });
});

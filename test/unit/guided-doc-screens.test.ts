// docs/guided-mode.md shows guided mode's screens for the chroot lab; this fails when they are out of date
// (the fix: `npm run build && node scripts/guided-screens.js`).
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadLab } from "../../src/format/load.js";
import { sampleScreens, withScreens } from "../../src/guided/sample-screens.js";
import { displayWidth } from "../../src/term/width.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

describe("docs/guided-mode.md screens", () => {
  it("are what guided mode prints today (regenerate: npm run build && node scripts/guided-screens.js)", async () => {
    const lab = await loadLab(`${root}labs/01-chroot.md`);
    if (!lab.ok) throw new Error("labs/01-chroot.md does not parse");
    const doc = readFileSync(`${root}docs/guided-mode.md`, "utf8");
    const screens = sampleScreens(lab.lab, 80);
    expect(doc).toBe(withScreens(doc, screens));
    for (const line of screens.split("\n")) expect(displayWidth(line), line).toBeLessThanOrEqual(80);
  });
});

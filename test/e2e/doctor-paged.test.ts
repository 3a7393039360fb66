// `rootlab doctor` on an 80×30 terminal: its ~130 lines go through less, so the first screen stays to be read
// (and the rest is a key away); piped, the same report is written whole (doctor.test.ts).
import { describe, expect, it } from "vitest";
import { Screen, visibleScreen } from "./guided-driver.js";
import { findCommand } from "../../src/host/commands.js";
import { plainText } from "../../src/term/screen-text.js";
import { displayWidth } from "../../src/term/width.js";

const NO_LESS = findCommand("less") === undefined ? "less is not installed" : undefined;

describe.skipIf(NO_LESS !== undefined)(`rootlab doctor on a terminal${NO_LESS ? ` [skipped: ${NO_LESS}]` : ""}`, () => {
  it("is paged when it does not fit: its first screen stays until q", async () => {
    const s = new Screen(["doctor"], {}, 80, undefined, 30);
    await s.until("less's prompt at the bottom of the screen", () => /\n:\s*$/.test(visibleScreen(s.output, 80, 30)), 60_000);
    expect(visibleScreen(s.output, 80, 30)).toContain("rootlab doctor — what this machine can do");
    s.send("q");
    expect((await s.exited).exitCode).toBe(0);
  });

  it("PAGER=cat writes it straight through", async () => {
    const s = new Screen(["doctor"], { PAGER: "cat" }, 80, undefined, 30);
    expect((await s.exited).exitCode).toBe(0);
    expect(s.output).toContain("Labs");
    // At 80 columns rootlab wraps every line itself: the terminal never has to cut one (mid-word).
    for (const line of plainText(s.output, 80).split("\n")) expect(displayWidth(line), line).toBeLessThanOrEqual(80);
  });
});

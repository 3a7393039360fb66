// The PID lessons of the nspawn and unshare-pivot-root labs, typed by a learner in an 80×30 terminal: the PIDs
// their shell and the host print are on the screen with the explanation, and they agree with what it says (the
// container's shell is PID 1; the host knows it by the number it printed; /proc is still the host's).
import { expect, it } from "vitest";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describeAsRoot } from "../helpers/root.js";
import { ROOT } from "../helpers/cli.js";
import { loadLab } from "../../src/format/load.js";
import type { Lab } from "../../src/format/types.js";
import { learnerWithOwnState, KEY } from "./guided-driver.js";
import { COLS, linesTooWide, ROWS, says, seenWith, typeStep, type ExplanationCheck } from "./typed-lab.js";

const learner = learnerWithOwnState("rlt8-pids-", COLS, ROWS);

async function lab(file: string): Promise<Lab> {
  const parsed = await loadLab(join(ROOT, file));
  if (!parsed.ok) throw new Error(`${file} does not parse`);
  return parsed.lab;
}

/** Types step 1 of LAB by hand, checks the screen at its explanation, then quits (Ctrl-D) and sees it cleaned up. */
async function typeFirstStep(file: string, check: ExplanationCheck): Promise<void> {
  const l = await lab(file);
  const s = learner.open(["start", l.meta.id]);
  await typeStep(s, l, l.steps[0]!, check, "stay");
  s.send(KEY.ctrlD); // quits at either question
  await s.waitFor("Cleaned up: nothing was left behind", 120_000);
  expect((await s.exited).exitCode).toBe(0);
  expect(linesTooWide(s.output)).toEqual([]);
}

describeAsRoot("PIDs typed by hand agree with the explanation (80×30)", () => {

  it.skipIf(!existsSync(join(ROOT, "labs/02-nspawn.md")))("nspawn step 1: the shell is PID 1 inside, and NSpid names the host's number for it", async () => {
    await typeFirstStep("labs/02-nspawn.md", (sc) => {
      const screen = seenWith(sc, "its last is 1, the PID the shell printed inside", [/^\s*my PID is 1\s*$/m]);
      const host = /the host sees the container's shell as PID (\d+)/.exec(screen)?.[1];
      const nspid = /NSpid:\s+(\d+)\s+(\d+)\s*$/m.exec(screen);
      expect(host, screen).toBeDefined();
      expect(nspid?.[1], screen).toBe(host);
      expect(nspid?.[2], screen).toBe("1");
    });
  }, 300_000);

  it.skipIf(!existsSync(join(ROOT, "labs/05-unshare-pivot-root.md")))("unshare-pivot-root step 1: bash is PID 1, yet /proc is the host's (dozens of processes, by host PIDs)", async () => {
    await typeFirstStep("labs/05-unshare-pivot-root.md", (sc) => {
      const screen = seenWith(sc, "dozens of processes", [/^\s*my PID is 1\s*$/m]);
      says(screen, "The shell is PID 1, as --fork promised");
      // The process directories of the host's /proc ("dozens"), and readlink's host PID from /proc/self.
      // Each on a line of its own, or beside its command when the recap is short of room (`$ readlink /proc/self  → 5722`).
      const [count, self] = [...screen.matchAll(/(?:^\s*| {2}→ )(\d+)\s*$/gm)].map((m) => Number(m[1]));
      expect(count, screen).toBeGreaterThan(12);
      expect(self, screen).toBeGreaterThan(1);
      expect(screen).not.toMatch(/^\s*fatal library error/m); // what ps printed here before (the explanation names it)
    });
  }, 300_000);
});

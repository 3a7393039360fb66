// The progress store: missing, damaged and old files are recovered with a warning, writes are atomic.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mkdtemp, readdir, readFile, rm, stat, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { clearLabProgress, hintsSaid, hintsSeenIn, loadProgress, readAllProgress, readProgress, recordStep, saveProgress, summarizeProgress } from "../../src/guided/progress.js";
import type { ProgressLocation } from "../../src/guided/progress-path.js";
import { emptyProgress } from "../../src/guided/progress-schema.js";
import type { Lab, Step } from "../../src/format/types.js";
import { isRoot } from "../helpers/root.js";

let dir: string;
let loc: ProgressLocation;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "rlt8-progress-"));
  loc = { file: join(dir, "state", "rootlab", "progress.json"), owner: { home: dir } };
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const damaged: [string, string, RegExp][] = [
  ["not JSON", "{ this is not json", /not valid JSON/],
  ["an array", "[1,2,3]", /does not hold a progress object/],
  ["an older version", JSON.stringify({ version: 0, labs: { a: { steps: {} } } }), /version 0 \(this rootlab reads version 1 only\)/],
  ["a newer version", JSON.stringify({ version: 7, labs: {} }), /version 7 \(it was written by a newer rootlab\)/],
  ["no version", JSON.stringify({ labs: {} }), /version null/],
  ["empty", "", /not valid JSON/],
];

describe("loadProgress recovers instead of crashing", () => {
  it("a missing file is no progress and no warning", async () => {
    const { data, warnings } = await loadProgress(loc);
    expect(data).toEqual(emptyProgress());
    expect(warnings).toEqual([]);
  });

  it.each(damaged)("%s: empty progress, a warning, the old file kept aside", async (_what, text, why) => {
    await mkdir(join(dir, "state", "rootlab"), { recursive: true });
    await writeFile(loc.file, text);
    const { data, warnings } = await loadProgress(loc);
    expect(data).toEqual(emptyProgress());
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(why);
    expect(warnings[0]).toContain("kept as");
    const names = await readdir(join(dir, "state", "rootlab"));
    const aside = names.find((n) => n.startsWith("progress.json.damaged-"));
    expect(aside).toBeDefined();
    expect(await readFile(join(dir, "state", "rootlab", aside!), "utf8")).toBe(text);
  });

  it("damaged entries are dropped, the rest is kept, with a warning", async () => {
    await mkdir(join(dir, "state", "rootlab"), { recursive: true });
    const file = { version: 1, labs: { good: { steps: { a: { done: true, hintsUsed: 2, skipped: false, at: "t" }, b: "junk" }, updatedAt: "t" }, bad: 5 } };
    await writeFile(loc.file, JSON.stringify(file));
    const { data, warnings } = await loadProgress(loc);
    expect(data.labs.good?.steps.a).toEqual({ done: true, hintsUsed: 2, skipped: false, at: "t" });
    expect(data.labs.good?.steps.b).toBeUndefined();
    expect(data.labs.bad).toBeUndefined();
    expect(warnings[0]).toMatch(/2 damaged entries were ignored/);
  });

  it("hintsSeen: kept when it is a list of hint numbers, without what is not one; absent in older files", async () => {
    await mkdir(join(dir, "state", "rootlab"), { recursive: true });
    const steps = { new: { done: false, hintsUsed: 1, hintsSeen: [0, "x", 2, -1, 1.5], skipped: false, at: "t" }, old: { done: false, hintsUsed: 2, skipped: false, at: "t" } };
    await writeFile(loc.file, JSON.stringify({ version: 1, labs: { l: { steps, updatedAt: "t" } } }));
    const { data } = await loadProgress(loc);
    expect(data.labs.l?.steps.new?.hintsSeen).toEqual([0, 2]);
    expect(hintsSeenIn(data.labs.l!.steps.old!)).toEqual([0, 1]);
  });
});

describe("saving", () => {
  it("writes versioned JSON atomically: no temp file left, whole file replaced", async () => {
    const data = emptyProgress();
    data.labs.x = { steps: { s: { done: true, hintsUsed: 0, skipped: false, at: "t" } }, updatedAt: "t" };
    await saveProgress(data, loc);
    await saveProgress(data, loc);
    const names = await readdir(join(dir, "state", "rootlab"));
    expect(names).toEqual(["progress.json"]);
    expect(JSON.parse(await readFile(loc.file, "utf8"))).toEqual({ ...data, version: 1 });
  });

  it("recordStep keeps done/skipped unless changed and adds up hints", async () => {
    const t = new Date("2024-01-02T03:04:05Z");
    await recordStep("lab", "one", { done: true, hintsAdded: 1 }, loc, t);
    await recordStep("lab", "two", { hintsAdded: 2 }, loc, t);
    await recordStep("lab", "two", { hintsAdded: 1, hintsSeen: [2, 0] }, loc, t);
    await recordStep("lab", "two", { hintsSeen: [1, 0] }, loc, t);
    const lab = await readProgress("lab", loc);
    expect(lab?.steps.one).toEqual({ done: true, skipped: false, hintsUsed: 1, hintsSeen: [], at: t.toISOString() });
    // Asked-for hints add up; the hints seen (asked for or shown after a failure) are joined.
    expect(lab?.steps.two).toEqual({ done: false, skipped: false, hintsUsed: 3, hintsSeen: [0, 1, 2], at: t.toISOString() });
    expect((await readAllProgress(loc)).labs).toHaveProperty("lab");
    expect(await clearLabProgress("lab", loc)).toBe(true);
    expect(await clearLabProgress("lab", loc)).toBe(false);
    expect(await readProgress("lab", loc)).toBeUndefined();
  });

  it.skipIf(!isRoot)("as root for a sudo user: the file and the folders it created belong to that user", async () => {
    const owned: ProgressLocation = { ...loc, owner: { home: dir, uid: 4321, gid: 4322 } };
    await recordStep("lab", "one", { done: true }, owned);
    for (const p of [owned.file, join(dir, "state", "rootlab"), join(dir, "state")]) {
      const s = await stat(p);
      expect([p, s.uid, s.gid]).toEqual([p, 4321, 4322]);
    }
    expect((await stat(dir)).uid).toBe(0);
  });
});

function step(index: number, slug: string): Step {
  return { index, title: slug, slug, line: 1, intro: "", explanation: "", hints: [], wrongAttempts: [], parts: [], blocks: [] };
}
const lab = { meta: { id: "lab" }, steps: [step(0, "a"), step(1, "b"), step(2, "c")] } as unknown as Lab;

describe("summarizeProgress", () => {
  const rec = (done: boolean, hintsUsed = 0, skipped = false) => ({ done, hintsUsed, skipped, at: "" });
  it.each([
    ["never started", undefined, { state: "not-started", stepsDone: 0, nextStep: 0, hintsUsed: 0 }],
    ["first step done", { steps: { a: rec(true, 1) }, updatedAt: "" }, { state: "in-progress", stepsDone: 1, nextStep: 1, hintsUsed: 1 }],
    ["touched, nothing done", { steps: { a: rec(false, 2) }, updatedAt: "" }, { state: "in-progress", stepsDone: 0, nextStep: 0, hintsUsed: 2 }],
    ["a gap resumes at the gap", { steps: { a: rec(true), c: rec(true) }, updatedAt: "" }, { state: "in-progress", stepsDone: 2, nextStep: 1, hintsUsed: 0 }],
    ["all done", { steps: { a: rec(true), b: rec(true), c: rec(true, 3) }, updatedAt: "" }, { state: "done", stepsDone: 3, nextStep: undefined, hintsUsed: 3 }],
    ["skipped steps are done, and counted apart", { steps: { a: rec(true, 0, true), b: rec(true) }, updatedAt: "" }, { state: "in-progress", stepsDone: 2, stepsSkipped: 1, nextStep: 2 }],
    ["a started, unfinished skip does not count", { steps: { a: rec(false, 1, true) }, updatedAt: "" }, { state: "in-progress", stepsDone: 0, stepsSkipped: 0, nextStep: 0 }],
    ["renamed steps do not count", { steps: { old: rec(true) }, updatedAt: "" }, { state: "in-progress", stepsDone: 0, nextStep: 0, hintsUsed: 0 }],
  ])("%s", (_name, progress, want) => {
    expect(summarizeProgress(lab, progress)).toMatchObject({ ...want, stepsTotal: 3 });
  });
  it("hints shown by rootlab after a failure are counted apart from those asked for", () => {
    const steps = { a: { done: true, hintsUsed: 0, hintsSeen: [0, 1], skipped: false, at: "" }, b: { done: true, hintsUsed: 1, hintsSeen: [0], skipped: false, at: "" } };
    expect(summarizeProgress(lab, { steps, updatedAt: "" })).toMatchObject({ hintsUsed: 1, hintsSeen: 3 });
  });
});

describe("hintsSaid: the end of a run is honest about the hints a learner read (new-user trial: \"0 hints used\" after two)", () => {
  it.each<[string, number, number | undefined, string]>([
    ["none at all", 0, 0, "0 hints used"],
    ["every hint seen was asked for", 2, 2, "2 hints used"],
    ["a file from before hintsSeen: as asked", 1, undefined, "1 hint used"],
    ["only shown at failed checks", 0, 2, "0 hints asked for, 2 shown after failures"],
    ["one of each", 1, 2, "1 hint asked for, 1 shown after a failure"],
  ])("%s", (_name, hintsUsed, hintsSeen, said) => {
    expect(hintsSaid({ hintsUsed, ...(hintsSeen !== undefined ? { hintsSeen } : {}) })).toBe(said);
  });
});

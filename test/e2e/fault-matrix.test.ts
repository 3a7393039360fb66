// Every way out of a run is clean (issue 10): each lab in labs/ interrupted at points spread over its run, by
// Ctrl-C (SIGINT to the process group) and by SIGTERM, stops without hanging, exits 130/143 and leaves nothing
// behind; a block that hangs in each kind of session (host, a builtin loop, unshare, chroot, ip netns exec,
// systemd-nspawn) is stopped by its timeout, the lab fails there and its cleanups still run.
// The suite runs a small matrix: two points per lab, chosen deterministically so that together the labs cover
// every kind of point, each with both signals. `npm run bench` (bench/faults.js) runs every point of every lab
// (ROOTLAB_FAULT_MATRIX=large) and records the totals (ROOTLAB_FAULT_REPORT).
import { afterAll, beforeAll, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describeAsRoot, isRoot } from "../helpers/root.js";
import { ROOT } from "../helpers/cli.js";
import { serveAlpine, type AlpineServer } from "../helpers/alpine-server.js";
import { faultProblems, faultRun, HANG_MS, judgedLeftovers, matrixLabs, STRICT, pointName, pointsOf, type FaultPoint, type FaultSignal, type MatrixLab } from "../helpers/fault-matrix.js";

const LARGE = process.env.ROOTLAB_FAULT_MATRIX === "large";
/** The fixture's blocks time out after 2 s (the engine then kills for 1 s more): still going 15 s later is hung. */
const HUNG_AFTER_TIMEOUT_MS = 15_000;
const SIGNALS: FaultSignal[] = ["SIGINT", "SIGTERM"];

// The Alpine download is served from ../shared on 127.0.0.1 (else rootlab's cache is used, or the lab is skipped).
// Set before the labs are assessed, so this process and the CLI agree on whether alpine-rootfs can run.
const alpine: AlpineServer | undefined = isRoot ? await serveAlpine() : undefined;
if (alpine) process.env.ROOTLAB_ALPINE_URL = alpine.url;
const labs = isRoot ? await matrixLabs() : [];
const runnable = labs.filter((l) => !l.cannotRun);

/** Small matrix: lab i gets points i and i + half of its list (mod its length), so the labs together cover all. */
function chosenPoints(lab: MatrixLab, i: number): FaultPoint[] {
  const all = pointsOf(lab);
  if (LARGE) return all;
  const picks = new Set([i % all.length, (i + Math.ceil(all.length / 2)) % all.length]);
  return [...picks].map((k) => all[k]!);
}

const cases = runnable.flatMap((lab, i) => chosenPoints(lab, i).flatMap((point) => SIGNALS.map((signal) => ({ lab, point, signal }))));
const tally = { runs: 0, clean: 0, problems: [] as string[], engineGaps: [] as string[], stopMs: [] as number[] };

describeAsRoot(`fault matrix: interrupting real lab runs (${LARGE ? "large" : "small"}: ${cases.length} runs)`, () => {
  afterAll(async () => {
    await alpine?.close();
    if (process.env.ROOTLAB_FAULT_REPORT) writeFileSync(process.env.ROOTLAB_FAULT_REPORT, `${JSON.stringify({ labs: runnable.length, skipped: labs.filter((l) => l.cannotRun).map((l) => `${l.id}: ${l.cannotRun}`), ...tally }, null, 2)}\n`);
  });

  for (const lab of labs.filter((l) => l.cannotRun)) it.skip(`${lab.id} [skipped: cannot run here: ${lab.cannotRun}]`, () => undefined);

  it.each(cases.map((c) => [`${c.lab.id} at ${pointName(c.point)} by ${c.signal}`, c] as const))(
    "%s: stops, exits 'interrupted', leaves nothing",
    async (name, { lab, point, signal }) => {
      const run = await faultRun(lab, { point, signal });
      const problems = faultProblems(run, signal);
      tally.runs++;
      tally.stopMs.push(run.stopMs);
      if (problems.length === 0) tally.clean++;
      else tally.problems.push(...problems.map((p) => `${name}: ${p}`));
      if (!STRICT && run.engineGaps.length > 0) {
        tally.engineGaps.push(...run.engineGaps.map((g) => `${name}: ${g}`));
        console.warn(`${name}: known engine gap (issue 10; ROOTLAB_FAULT_STRICT=1 fails on it):\n  ${run.engineGaps.join("\n  ")}`);
      }
      const unrelated = run.unrelated.length > 0 ? `\n--- also changed during the run, not named by the lab (not judged) ---\n${run.unrelated.join("\n")}` : "";
      expect(problems, `${name}\n--- output (end) ---\n${run.output.slice(-3000)}${unrelated}`).toEqual([]);
    },
    2 * HANG_MS + 60_000,
  );
});

describeAsRoot("fault matrix: a block that hangs is stopped by its timeout in every kind of session", () => {
  let hang: MatrixLab;
  beforeAll(async () => {
    const found = (await matrixLabs(join(ROOT, "test/fixtures/labs/faults"))).find((l) => l.id === "faults-hang");
    if (!found) throw new Error("test/fixtures/labs/faults/hang.md is missing");
    hang = found;
  });

  it("without a hang, the fixture lab passes and leaves nothing (so a failure below is the timeout's)", async () => {
    const run = await faultRun(hang, undefined);
    expect(run.code, run.output.slice(-3000)).toBe(0);
    expect(judgedLeftovers(run)).toEqual([]);
  }, HANG_MS + 30_000);

  const stoppedByItsTimeout = async (where: string) => {
    const run = await faultRun(hang, undefined, { env: { RLT_HANG_IN: where }, hangMs: HUNG_AFTER_TIMEOUT_MS });
    expect(run.hung, run.output.slice(-3000)).toBe(false);
    expect(run.code, run.output.slice(-3000)).toBe(1);
    expect(run.output).toMatch(/timed out after 2s/);
    expect(run.output).toMatch(/cleanup: \d+ blocks?, newest first/);
    expect(judgedLeftovers(run)).toEqual([]);
  };

  // "loop": a builtin loop (`while :; do :; done`) in the host shell, which no signal to a child ends (the engine
  // before the PTY sessions never stopped it: the run hung).
  it.each(["host", "loop", "unshare", "chroot", "netns", "nspawn"])(
    "hanging in %s: the block times out, the lab fails there (exit 1), cleanup runs, nothing is left",
    stoppedByItsTimeout,
    HUNG_AFTER_TIMEOUT_MS + 30_000,
  );
});

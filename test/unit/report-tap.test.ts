// The TAP report is checked by tap-parser, the parser of the node-tap project that TAP consumers (tap, tap-mocha-
// reporter, tap-junit, CI TAP plugins) are built on, in strict mode: any line it cannot read as TAP is an error.
import { describe, expect, it } from "vitest";
import { Parser, type FinalResults, type Result } from "tap-parser";
import { parse as parseYaml } from "yaml";
import { RunCollector } from "../../src/report/collect.js";
import { renderTap } from "../../src/report/tap.js";
import { toYamlLines } from "../../src/report/tap-yaml.js";
import type { RunEvent } from "../../src/exec/types.js";
import { EVENTS, STARTED_AT } from "./report-events.js";

/** What tap-parser read at one level: its final results, its test points (each with the subtest it closes). */
interface ParsedTap {
  version?: number;
  results: FinalResults;
  points: { result: Result; subtest?: ParsedTap }[];
  /** Lines tap-parser could not read as TAP, and spec violations it found (plan, numbering, YAML), on every level. */
  problems: string[];
}

function listen(parser: Parser, into: { version?: number; points: ParsedTap["points"]; problems: string[] }, done: (t: ParsedTap) => void): void {
  let pending: ParsedTap | undefined;
  parser.on("version", (v: number) => (into.version = v));
  parser.on("extra", (line: string) => into.problems.push(`non-TAP line at level ${parser.level}: ${JSON.stringify(line)}`));
  parser.on("child", (child: Parser) => {
    listen(child, { points: [], problems: into.problems }, (t) => (pending = t));
  });
  parser.on("assert", (result: Result) => {
    into.points.push({ result, ...(pending ? { subtest: pending } : {}) });
    pending = undefined;
  });
  parser.on("complete", (results: FinalResults) => {
    for (const f of results.failures) if (f.tapError) into.problems.push(`${parser.fullname || "top level"}: ${f.tapError}`);
    done({ ...into, results });
  });
}

function parseTap(text: string): ParsedTap {
  const parser = new Parser({ strict: true });
  let parsed: ParsedTap | undefined;
  listen(parser, { points: [], problems: [] }, (t) => (parsed = t));
  parser.end(text);
  if (!parsed) throw new Error("tap-parser did not complete");
  return parsed;
}

const tapOf = (events: RunEvent[]): string => {
  const c = new RunCollector(() => STARTED_AT);
  for (const e of events) c.onEvent(e);
  return renderTap(c.report());
};

/** The fixture run cut down to some of its labs, in their order: every event between their lab-start and lab-end. */
function runOf(ids: string[]): RunEvent[] {
  const out: RunEvent[] = [];
  let current: string | undefined;
  for (const e of EVENTS) {
    if (e.type === "run-start") out.push({ ...e, labs: e.labs.filter((l) => ids.includes(l.id)) });
    else if (e.type === "run-end") out.push({ ...e, labs: e.labs.filter((l) => ids.includes(l.id)) });
    else {
      if (e.type === "lab-start") current = e.lab.meta.id;
      if (current !== undefined && ids.includes(current)) out.push(e);
      if (e.type === "lab-end") current = undefined;
    }
  }
  return out;
}

const tap = tapOf(EVENTS);
const names = (t: ParsedTap) => t.points.map((p) => p.result.name);

describe("TAP report, as tap-parser reads it", () => {
  it("matches the snapshot", async () => {
    await expect(tap).toMatchFileSnapshot("./__snapshots__/report-tap.txt");
  });

  const errorRun: RunEvent[] = [
    { type: "run-start", labs: [{ id: "x", file: "labs/x.md" }], strict: false },
    { type: "lab-end", summary: { id: "x", title: "X", file: "labs/x.md", outcome: { status: "error", reason: "fixture alpine-rootfs: sha256 mismatch" }, durationMs: 5, steps: [], leaks: [] } },
    { type: "run-end", labs: [], durationMs: 5 },
  ];
  it.each([
    { run: "the whole fixture", events: EVENTS, ok: false, count: 4, pass: 2, skip: 1, failures: ["expect-demo: Processes & <PIDs>", "leaky: A lab that leaves things behind"] },
    { run: "a skipped lab and a failing lab", events: runOf(["machinectl-intro", "leaky"]), ok: false, count: 2, pass: 1, skip: 1, failures: ["leaky: A lab that leaves things behind"] },
    { run: "a passing lab and a skipped lab", events: runOf(["veth-pair", "machinectl-intro"]), ok: true, count: 2, pass: 2, skip: 1, failures: [] },
    { run: "a lab that failed outside its steps", events: errorRun, ok: false, count: 1, pass: 0, skip: 0, failures: ["x: X"] },
  ])("$run: no parse problems, and the verdict, count, plan and failures rootlab meant", ({ events, ok, count, pass, skip, failures }) => {
    const t = parseTap(tapOf(events));
    expect(t.problems).toEqual([]);
    expect(t.version).toBe(14);
    expect(t.results).toMatchObject({ ok, count, pass, skip, bailout: false, plan: { start: 1, end: count, skipAll: false } });
    expect(t.results.fail).toBe(failures.length);
    expect(t.results.failures.map((f) => ("name" in f ? f.name : f.tapError))).toEqual(failures);
    expect(t.points.map((p) => p.result.id)).toEqual(Array.from({ length: count }, (_, k) => k + 1));
  });

  it("reads each lab's steps as a subtest closed by the lab's test point, with its own plan", () => {
    const t = parseTap(tap);
    expect(names(t)).toEqual([
      "veth-pair: Connect two network namespaces with a veth pair",
      "expect-demo: Processes & <PIDs>",
      "machinectl-intro: Machines with machinectl",
      "leaky: A lab that leaves things behind",
    ]);
    const [veth, demo, machine, leaky] = t.points;
    expect(names(veth!.subtest!)).toEqual(["1. Create two namespaces", "2. Connect them", "cleanup and leak check"]);
    expect(machine!.subtest).toBeUndefined();
    for (const lab of [veth!, demo!, leaky!]) {
      const sub = lab.subtest!;
      expect(sub.results.plan).toMatchObject({ start: 1, end: sub.points.length });
      expect(sub.results.ok).toBe(lab.result.ok);
      expect(sub.points.every((p) => p.result.fullname.startsWith(`${lab.result.name} > `))).toBe(true);
    }
    expect(demo!.subtest!.points.map((p) => [p.result.ok, p.result.name])).toEqual([
      [true, "1. Look around"],
      [false, "2. Count the processes"],
      [true, "3. Kill # the init"],
      [true, "cleanup and leak check"],
    ]);
    expect(leaky!.subtest!.results.failures.map((f) => ("name" in f ? f.name : f.tapError))).toEqual(["1. Make a namespace", "cleanup and leak check"]);
  });

  it("recognises the SKIP directives with their reasons, on labs and on steps", () => {
    const t = parseTap(tap);
    expect(t.results.skips.map((s) => [s.name, s.skip])).toEqual([
      ["machinectl-intro: Machines with machinectl", "cannot run here: systemd as PID 1 (boot the lab VM: rootlab vm up)"],
    ]);
    const steps = t.points[1]!.subtest!;
    expect(steps.results.skips.map((s) => [s.name, s.skip])).toEqual([["3. Kill # the init", 'not run: step 2 "Count the processes" did not pass']]);
    expect(steps.points.filter((p) => p.result.skip !== false).map((p) => p.result.id)).toEqual([3]);
  });

  it("parses the YAML diagnostics into objects", () => {
    const t = parseTap(tap);
    const [veth, demo, , leaky] = t.points;
    expect(veth!.result.diag).toBeNull();
    const mismatch = demo!.subtest!.points[1]!.result.diag as Record<string, unknown>;
    expect(mismatch).toMatchObject({ severity: "fail", type: "expect-mismatch", durationMs: 31, at: { file: "labs/expect-demo.md", line: 20, session: "host" } });
    expect(String(mismatch.details)).toContain(">    2  1 sh (re)");
    expect(String(mismatch.details)).toContain("\n\nhint: Inside a new PID namespace the shell is PID 1");
    expect(demo!.result.diag).toEqual({ message: 'step 2 "Count the processes": output does not match the expect block at labs/expect-demo.md:24', severity: "fail", file: "labs/expect-demo.md", durationMs: 620 });
    expect(leaky!.subtest!.points[1]!.result.diag).toMatchObject({ leaks: [{ kind: "netns", name: "rl-red" }, { kind: "link", name: "veth-host" }] });
  });

  it("escapes # in descriptions so it is not read as a directive", () => {
    expect(tap).toContain("ok 3 - 3. Kill \\# the init # SKIP");
  });

  // These prove the checks above can fail: tap-parser in strict mode reports each of these as a problem.
  it.each([
    ["a plan the test points do not meet", "TAP version 14\n1..2\nok 1 - a\n"],
    ["a test point past the plan", "TAP version 14\n1..1\nok 2 - a\n"],
    ["no plan", "TAP version 14\nok 1 - a\n"],
    ["a YAML block without its end", "TAP version 14\n1..1\nnot ok 1 - a\n  ---\n  message: x\n"],
    ["a YAML block indented wrongly", "TAP version 14\n1..1\nnot ok 1 - a\n  ---\n message: x\n  ...\n"],
    ["a YAML block that is not YAML", "TAP version 14\n1..1\nok 1 - a\n  ---\n  a: [b\n  ...\n"],
    ["a subtest that misses its plan", "TAP version 14\n1..1\n    1..2\n    ok 1\nok 1 - sub\n"],
    ["a line that is not TAP", "TAP version 14\n1..1\nok 1 - a\ngarbage\n"],
  ])("tap-parser flags %s", (_what, text) => {
    const t = parseTap(text);
    expect(t.problems.length > 0 || t.points.some((p) => p.subtest && !p.subtest.results.ok), text).toBe(true);
    expect(t.results.ok).toBe(false);
  });
});

describe("YAML for diagnostics", () => {
  it.each([
    { message: "plain", n: 3, ok: true, none: null },
    { text: "line one\n  indented two\nthree" },
    { text: "  starts with spaces\nnext" },
    { quote: 'He said "hi" # not a comment: really', colon: "a: b", dash: "- x", empty: "" },
    { nested: { list: ["a", "b: c", "multi\nline"], objs: [{ kind: "netns", name: "rl-red" }, { a: { b: 1 } }], emptyList: [], emptyMap: {} } },
    { ansi: "\x1b[31mred\x1b[0m and \x00nul", unicode: "✓ 日本" },
  ])("round-trips %j", (value) => {
    const parsed = parseYaml(toYamlLines(value, "      ").map((l) => l.slice(6)).join("\n")) as unknown;
    const expected = JSON.parse(JSON.stringify(value).replace(/\\u001b\[\d+m/g, "").replace(/\\u0000/g, "")) as unknown;
    expect(parsed).toEqual(expected);
  });

  it("round-trips through tap-parser's YAML diagnostics too", () => {
    const value = { text: "  starts with spaces\nnext", quote: 'He said "hi" # x', nested: { list: ["a", "b: c"], emptyMap: {} } };
    const t = parseTap(["TAP version 14", "1..1", "not ok 1 - a", "  ---", ...toYamlLines(value, "  "), "  ...", ""].join("\n"));
    expect(t.problems).toEqual([]);
    expect(t.points[0]!.result.diag).toEqual(value);
  });
});

describe("an interrupted run in TAP", () => {
  it("bails out, so TAP consumers read it as failed even when every finished lab passed", async () => {
    const events = runOf(["veth-pair"]);
    const end = events.findIndex((e) => e.type === "run-end");
    events.splice(end, 0, { type: "interrupted", signal: "SIGINT" });
    const text = tapOf(events);
    expect(text).toMatch(/^Bail out! interrupted by SIGINT$/m);
    const results = await new Promise<FinalResults>((resolve) => {
      const parser = new Parser();
      parser.on("complete", resolve);
      parser.end(text);
    });
    expect(results.ok).toBe(false);
    expect(results.bailout).toBeTruthy();
  });
});

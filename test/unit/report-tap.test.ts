import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { RunCollector } from "../../src/report/collect.js";
import { renderTap } from "../../src/report/tap.js";
import { toYamlLines } from "../../src/report/yaml-lite.js";
import { EVENTS, STARTED_AT } from "./report-events.js";

interface Point {
  ok: boolean;
  n: number;
  description: string;
  directive?: string;
  yaml?: Record<string, unknown>;
  subtest?: Point[];
}

const POINT = /^(not ok|ok)(?: (\d+))?(?: - ((?:[^#\\]|\\.)*?))?\s*(?:# (SKIP|TODO)\S*(?: (.*))?)?$/i;

/**
 * Validates one TAP 14 stream at `indent` (subtests recurse at indent + 4): exactly one plan 1..N, before or after
 * the test points; N test points numbered 1..N in order; a YAML block only right after a test point, indented
 * two more spaces, ending with `...`, holding a mapping; a subtest directly followed by its test point.
 */
function validate(lines: string[], indent: string): Point[] {
  const points: Point[] = [];
  let plan: number | undefined;
  let planAt = -1;
  let pendingSub: Point[] | undefined;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (!line.startsWith(indent)) throw new Error(`line ${i}: not indented by ${indent.length}: ${line}`);
    const body = line.slice(indent.length);
    if (body.startsWith("    ")) {
      // a subtest: all following lines with at least 4 more spaces
      let j = i;
      while (j < lines.length && lines[j]!.startsWith(`${indent}    `)) j++;
      if (pendingSub) throw new Error(`line ${i}: two subtests without a test point between`);
      pendingSub = validate(lines.slice(i, j), `${indent}    `);
      i = j;
      continue;
    }
    if (/^1\.\.\d+/.test(body)) {
      if (plan !== undefined) throw new Error(`line ${i}: second plan`);
      plan = Number(/^1\.\.(\d+)/.exec(body)![1]);
      planAt = points.length;
      i++;
      continue;
    }
    if (body.startsWith("#")) {
      i++;
      continue;
    }
    const m = POINT.exec(body);
    if (!m) throw new Error(`line ${i}: not TAP: ${line}`);
    const point: Point = { ok: m[1] === "ok", n: Number(m[2]), description: (m[3] ?? "").replace(/\\(.)/g, "$1"), ...(m[4] ? { directive: `${m[4].toUpperCase()} ${m[5] ?? ""}`.trim() } : {}) };
    if (point.n !== points.length + 1) throw new Error(`line ${i}: test point ${point.n}, expected ${points.length + 1}`);
    if (pendingSub) point.subtest = pendingSub;
    pendingSub = undefined;
    points.push(point);
    i++;
    if (lines[i] === `${indent}  ---`) {
      const start = ++i;
      while (i < lines.length && lines[i] !== `${indent}  ...`) {
        if (lines[i] !== "" && !lines[i]!.startsWith(`${indent}  `)) throw new Error(`line ${i}: YAML not indented: ${lines[i]}`);
        i++;
      }
      if (i >= lines.length) throw new Error("YAML block without ...");
      const yaml = parseYaml(lines.slice(start, i).map((l) => l.slice(indent.length + 2)).join("\n")) as unknown;
      if (typeof yaml !== "object" || yaml === null || Array.isArray(yaml)) throw new Error("YAML block is not a mapping");
      point.yaml = yaml as Record<string, unknown>;
      i++;
    }
  }
  if (pendingSub) throw new Error("subtest without its test point");
  if (plan === undefined) throw new Error(`no plan at indent ${indent.length}`);
  if (planAt !== 0 && planAt !== points.length) throw new Error("plan in the middle of the test points");
  if (plan !== points.length) throw new Error(`plan 1..${plan} but ${points.length} test points`);
  return points;
}

function validateTap(text: string): Point[] {
  const lines = text.replace(/\n$/, "").split("\n");
  if (lines[0] !== "TAP version 14") throw new Error("first line must be TAP version 14");
  return validate(lines.slice(1), "");
}

const tap = (() => {
  const c = new RunCollector(() => STARTED_AT);
  for (const e of EVENTS) c.onEvent(e);
  return renderTap(c.report());
})();

describe("TAP report", () => {
  it("matches the snapshot", async () => {
    await expect(tap).toMatchFileSnapshot("./__snapshots__/report-tap.txt");
  });

  it("is valid TAP 14: plan, numbering, subtests, YAML blocks", () => {
    const labs = validateTap(tap);
    expect(labs.map((p) => [p.ok, p.description, p.directive])).toEqual([
      [true, "veth-pair: Connect two network namespaces with a veth pair", undefined],
      [false, "expect-demo: Processes & <PIDs>", undefined],
      [true, "machinectl-intro: Machines with machinectl", "SKIP cannot run here: systemd as PID 1 (boot the lab VM: rootlab vm up)"],
      [false, "leaky: A lab that leaves things behind", undefined],
    ]);
    const [veth, demo, machine, leaky] = labs;
    expect(veth!.subtest!.map((p) => p.description)).toEqual(["1. Create two namespaces", "2. Connect them", "cleanup and leak check"]);
    expect(machine!.subtest).toBeUndefined();
    const steps = demo!.subtest!;
    expect(steps.map((p) => [p.ok, p.description, p.directive])).toEqual([
      [true, "1. Look around", undefined],
      [false, "2. Count the processes", undefined],
      [true, "3. Kill # the init", 'SKIP not run: step 2 "Count the processes" did not pass'],
      [true, "cleanup and leak check", undefined],
    ]);
    expect(steps[1]!.yaml).toMatchObject({ severity: "fail", type: "expect-mismatch", at: { file: "labs/expect-demo.md", line: 20, session: "host" } });
    expect(String(steps[1]!.yaml!.details)).toContain(">    2  1 sh (re)");
    expect(demo!.yaml).toMatchObject({ severity: "fail", file: "labs/expect-demo.md" });
    const cleanup = leaky!.subtest![1]!;
    expect(cleanup.ok).toBe(false);
    expect(cleanup.yaml).toMatchObject({ leaks: [{ kind: "netns", name: "rl-red" }, { kind: "link", name: "veth-host" }] });
  });

  it("escapes # and backslashes in descriptions", () => {
    expect(tap).toContain("ok 3 - 3. Kill \\# the init # SKIP");
  });

  it("the validator rejects broken TAP", () => {
    const bad = [
      "TAP version 14\n1..2\nok 1 - a\n",
      "TAP version 14\n1..1\nok 2 - a\n",
      "TAP version 14\nok 1 - a\n",
      "TAP version 14\n1..1\nnot ok 1 - a\n  ---\n  message: x\n",
      "TAP version 14\n1..1\nnot ok 1 - a\n  ---\n message: x\n  ...\n",
      "TAP version 14\n1..1\n    1..2\n    ok 1\nok 1 - sub\n",
      "TAP version 13\n1..1\nok 1\n",
    ];
    for (const text of bad) expect(() => validateTap(text), text).toThrow();
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
});

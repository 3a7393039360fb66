// The room's state is pure: events in → room out. Idempotency, stuck detection, per-check counts, pace gate.
import { describe, expect, it } from "vitest";
import { addStudent, applyEvent, gateAllows, newRoom, setGate, type Room } from "../../src/room/state.js";
import { duration, roomView, SLOW_MARGIN_MS } from "../../src/room/view.js";
import { studentJUnit } from "../../src/room/export.js";
import type { RoomEvent, StudentEventBody } from "../../src/room/types.js";

const STEPS = ["Make a netns", "Add a veth", "Ping"];
let seq = 0;
function ev(student: string, body: StudentEventBody, at = 1000 + seq, id = `e${++seq}`): RoomEvent {
  return { ...body, id, at, rx: at, student } as RoomEvent;
}
const lab = "netns-veth";
const started = (s: string, at?: number) => ev(s, { kind: "lab-started", lab, title: "Netns", steps: STEPS }, at);
const step = (s: string, kind: "step-started" | "step-passed" | "step-skipped" | "hint" | "solution", n: number, at?: number) => ev(s, { kind, lab, step: n }, at);
const check = (s: string, n: number, name: string, pass: boolean, at?: number) => ev(s, { kind: "check", lab, step: n, check: name, pass }, at);

function roomWith(...students: string[]): Room {
  const room = newRoom("Workshop");
  for (const s of students) addStudent(room, s, `name-${s}`, 0);
  return room;
}

function labOf(room: Room, student: string, now = 10_000) {
  return roomView(room, now).students.find((s) => s.id === student)!.labs.find((l) => l.id === lab)!;
}

describe("room state: events in → room out", () => {
  const cases: { name: string; events: (s: string) => RoomEvent[]; done: number; statuses: string[]; current?: number; finished?: string }[] = [
    { name: "lab started only", events: (s) => [started(s)], done: 0, statuses: ["todo", "todo", "todo"] },
    { name: "working on step 1", events: (s) => [started(s), step(s, "step-started", 0)], done: 0, statuses: ["working", "todo", "todo"], current: 0 },
    { name: "failing a check", events: (s) => [started(s), step(s, "step-started", 0), check(s, 0, "ns exists", false)], done: 0, statuses: ["failing", "todo", "todo"], current: 0 },
    {
      name: "passed one, skipped one",
      events: (s) => [started(s), step(s, "step-started", 0), check(s, 0, "ns exists", true), step(s, "step-passed", 0), step(s, "step-started", 1), step(s, "step-skipped", 1)],
      done: 1,
      statuses: ["done", "skipped", "todo"],
      current: 1,
    },
    {
      name: "finished the lab",
      events: (s) => [started(s), ...[0, 1, 2].flatMap((n) => [step(s, "step-started", n), step(s, "step-passed", n)]), ev(s, { kind: "lab-finished", lab, passed: true })],
      done: 3,
      statuses: ["done", "done", "done"],
      finished: "passed",
    },
    { name: "quit mid-way", events: (s) => [started(s), step(s, "step-started", 0), ev(s, { kind: "quit", lab })], done: 0, statuses: ["working", "todo", "todo"], finished: "quit" },
    {
      // What a runner sends on resume: the steps it re-creates pass without being started (they were done before).
      name: "quit after step 2, resumed: re-created steps stay done",
      events: (s) => [
        started(s),
        ...[0, 1].flatMap((n) => [step(s, "step-started", n), step(s, "step-passed", n)]),
        step(s, "step-started", 2),
        ev(s, { kind: "quit", lab }),
        started(s),
        step(s, "step-passed", 0),
        step(s, "step-passed", 1),
        step(s, "step-started", 2),
        step(s, "step-passed", 2),
        ev(s, { kind: "lab-finished", lab, passed: true }),
      ],
      done: 3,
      statuses: ["done", "done", "done"],
      finished: "passed",
    },
    { name: "--from 3 in a new room: re-created steps count as done", events: (s) => [started(s), step(s, "step-passed", 0), step(s, "step-passed", 1), step(s, "step-started", 2)], done: 2, statuses: ["done", "done", "working"], current: 2 },
    { name: "a step before its lab-started grows the lab", events: (s) => [step(s, "step-started", 1)], done: 0, statuses: ["todo", "working"], current: 1 },
  ];
  for (const c of cases)
    it(c.name, () => {
      const room = roomWith("a");
      for (const e of c.events("a")) expect(applyEvent(room, e)).toBe("applied");
      const view = labOf(room, "a");
      expect(view.stepsDone).toBe(c.done);
      expect(view.steps.map((s) => s.status)).toEqual(c.statuses);
      expect(view.current).toBe(c.current);
      expect(view.finished).toBe(c.finished);
    });

  it("counts an event once however often it is delivered", () => {
    const room = roomWith("a");
    const events = [started("a"), step("a", "step-started", 0), check("a", 0, "x", false), step("a", "step-passed", 0)];
    for (const e of [...events, ...events, events[2]!]) applyEvent(room, e);
    expect(room.events).toBe(4);
    expect(applyEvent(room, events[1]!)).toBe("duplicate");
    expect(labOf(room, "a").steps[0]!.fails).toBe(1);
    expect(labOf(room, "a").stepsDone).toBe(1);
  });

  it("a step re-created on resume keeps the time it took when the student did it", () => {
    const room = roomWith("a");
    const first = [started("a", 0), step("a", "step-started", 0, 0), step("a", "step-passed", 0, 40_000), step("a", "step-started", 1, 40_000), ev("a", { kind: "quit", lab }, 90_000)];
    const resumed = [started("a", 500_000), step("a", "step-passed", 0, 500_100), step("a", "step-passed", 1, 500_200)];
    for (const e of [...first, ...resumed]) applyEvent(room, e);
    const steps = labOf(room, "a", 600_000).steps;
    expect(steps[0]!.ms).toBe(40_000);
    // Step 2's clock ran in the run the student quit: its time then is unknown, not 460 s.
    expect(steps[1]!.status).toBe("done");
    expect(steps[1]!.ms).toBeUndefined();
    // The JUnit export says the same: no "not finished" for the steps done before the resume.
    const cases = studentJUnit(room.students.get("a")!).split("\n").filter((l) => l.includes("<testcase"));
    expect(cases.map((l) => l.includes("<skipped"))).toEqual([false, false, true]);
  });

  it("keeps students apart: the same event id from two students counts twice", () => {
    const room = roomWith("a", "b");
    applyEvent(room, ev("a", { kind: "hint", lab, step: 0 }, 1, "same"));
    applyEvent(room, ev("b", { kind: "hint", lab, step: 0 }, 1, "same"));
    expect(room.events).toBe(2);
  });

  it("refuses events of a student who never joined", () => {
    expect(applyEvent(roomWith(), started("ghost"))).toBe("unknown-student");
  });

  it("counts hints and a shown solution on the step", () => {
    const room = roomWith("a");
    for (const e of [started("a"), step("a", "step-started", 0), step("a", "hint", 0), step("a", "hint", 0), step("a", "solution", 0)]) applyEvent(room, e);
    expect(labOf(room, "a").steps[0]).toMatchObject({ hints: 2, solution: true });
  });
});

describe("per-check failure counts across the room", () => {
  it("counts each student's latest result of each check", () => {
    const room = roomWith("a", "b", "c");
    applyEvent(room, check("a", 1, "peer in blue", false));
    applyEvent(room, check("a", 1, "peer in blue", false));
    applyEvent(room, check("b", 1, "peer in blue", false));
    applyEvent(room, check("b", 1, "peer in blue", true));
    applyEvent(room, check("c", 1, "peer in blue", false));
    applyEvent(room, check("c", 0, "ns exists", true));
    const checks = roomView(room, 0).checks;
    expect(checks).toEqual([
      { lab, step: 1, check: "peer in blue", failing: 2, of: 3 },
      { lab, step: 0, check: "ns exists", failing: 0, of: 1 },
    ]);
  });
});

describe("stuck detection, from evidence", () => {
  it("the same check failing three times in a row", () => {
    const room = roomWith("a");
    for (const e of [started("a"), step("a", "step-started", 0), check("a", 0, "x", false), check("a", 0, "x", false)]) applyEvent(room, e);
    expect(labOf(room, "a").stuck).toBe(false);
    applyEvent(room, check("a", 0, "x", false));
    expect(labOf(room, "a")).toMatchObject({ stuck: true, stuckWhy: 'check "x" failed 3 times in a row' });
    applyEvent(room, check("a", 0, "x", true));
    expect(labOf(room, "a").stuck).toBe(false);
  });

  it("different checks failing is not the same check failing again", () => {
    const room = roomWith("a");
    for (const e of [step("a", "step-started", 0), check("a", 0, "x", false), check("a", 0, "y", false), check("a", 0, "x", false)]) applyEvent(room, e);
    expect(labOf(room, "a").stuck).toBe(false);
  });

  it("time on a step well above the room's median (with enough students to have one)", () => {
    const room = roomWith("a", "b", "c", "d");
    // b, c, d each took 30 s on step 1; a started it at t=0.
    for (const s of ["b", "c", "d"]) for (const e of [step(s, "step-started", 0, 0), step(s, "step-passed", 0, 30_000)]) applyEvent(room, e);
    applyEvent(room, step("a", "step-started", 0, 0));
    expect(labOf(room, "a", 60_000).stuck).toBe(false); // 2× the median, but not a minute more
    expect(labOf(room, "a", 30_000 + SLOW_MARGIN_MS + 1)).toMatchObject({ stuck: true, stuckWhy: "90s on step 1; the room's median is 30s" });
  });

  it("a lab quit or finished mid-step: the step stays as it was, its clock stops (no time ticking on the page)", () => {
    for (const end of [{ kind: "quit", lab }, { kind: "lab-finished", lab, passed: false }] as const) {
      const room = roomWith("a");
      for (const e of [started("a", 0), step("a", "step-started", 0, 1000), ev("a", end, 5000)]) applyEvent(room, e);
      expect(labOf(room, "a").steps[0], end.kind).toMatchObject({ status: "working" });
      expect(labOf(room, "a").steps[0]!.startedAt, end.kind).toBeUndefined();
    }
  });

  it.each([
    [42_000, "42s"],
    [99_000, "99s"],
    [100_000, "2 min"],
    [1_068_000, "18 min"],
  ])("a duration of %i ms reads %s", (ms, text) => {
    expect(duration(ms)).toBe(text);
  });

  it("no median without three students who finished the step", () => {
    const room = roomWith("a", "b");
    for (const e of [step("b", "step-started", 0, 0), step("b", "step-passed", 0, 1000), step("a", "step-started", 0, 0)]) applyEvent(room, e);
    expect(labOf(room, "a", 3_600_000).stuck).toBe(false);
  });

  it("a finished lab is never stuck", () => {
    const room = roomWith("a");
    for (const e of [step("a", "step-started", 0), ...[1, 2, 3].map(() => check("a", 0, "x", false)), ev("a", { kind: "lab-finished", lab, passed: false })]) applyEvent(room, e);
    expect(labOf(room, "a").stuck).toBe(false);
  });

  it("time uses the student's own clock, shifted by its offset to the server's", () => {
    const room = roomWith("a", "b", "c", "d");
    for (const s of ["b", "c", "d"]) for (const e of [step(s, "step-started", 0, 0), step(s, "step-passed", 0, 10_000)]) applyEvent(room, e);
    // a's clock is an hour behind the server's: its step started at server time 0.
    applyEvent(room, { ...step("a", "step-started", 0, -3_600_000), rx: 0 });
    expect(labOf(room, "a", 5_000).steps[0]!.startedAt).toBe(0);
    expect(labOf(room, "a", 5_000).stuck).toBe(false);
  });
});

describe("pace gate", () => {
  const cases: { name: string; gate: (number | null)[]; step: number; allowed: boolean }[] = [
    { name: "open until the instructor closes it", gate: [], step: 7, allowed: true },
    { name: "released 2 steps: step 2 (index 1) may start", gate: [2], step: 1, allowed: true },
    { name: "released 2 steps: step 3 (index 2) waits", gate: [2], step: 2, allowed: false },
    { name: "closed at 0: not even step 1", gate: [0], step: 0, allowed: false },
    { name: "opened again", gate: [1, null], step: 5, allowed: true },
    { name: "released further", gate: [1, 3], step: 2, allowed: true },
  ];
  for (const c of cases)
    it(c.name, () => {
      const room = newRoom("r");
      for (const g of c.gate) setGate(room, lab, g);
      expect(gateAllows(room, lab, c.step)).toBe(c.allowed);
      expect(gateAllows(room, "other-lab", c.step)).toBe(true);
    });
});

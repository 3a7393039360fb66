// What a room keeps of one student is bounded (LIMITS.*PerStudent): a post that would go past a limit is refused
// whole, with the reason; one that fits, or repeats what the room already has, is not.
import { describe, expect, it } from "vitest";
import { addStudent, applyEvent, newRoom, studentLimitProblem, type StudentRec } from "../../src/room/state.js";
import { LIMITS } from "../../src/room/schema.js";
import type { StudentEvent } from "../../src/room/types.js";

let seq = 0;
const started = (lab: string): StudentEvent => ({ id: `e${++seq}`, at: 1, kind: "step-started", lab, step: 0 });
const check = (lab: string, name: string): StudentEvent => ({ id: `e${++seq}`, at: 1, kind: "check", lab, step: 0, check: name, pass: false });

/** A student who already has `labs` labs, `checks` different checks (in lab l0) and `events` events counted. */
function student(labs: number, checks: number, events = 0): StudentRec {
  const room = newRoom("t");
  const s = addStudent(room, "s", "S", 0);
  for (let i = 0; i < labs; i++) applyEvent(room, { ...started(`l${i}`), student: "s", rx: 1 });
  for (let i = 0; i < checks; i++) applyEvent(room, { ...check("l0", `c${i}`), student: "s", rx: 1 });
  s.events = Math.max(s.events, events);
  return s;
}

describe("studentLimitProblem", () => {
  const many = (n: number, make: (i: number) => StudentEvent) => Array.from({ length: n }, (_, i) => make(i));
  it.each<[string, () => StudentRec, StudentEvent[], RegExp | undefined]>([
    ["a fresh student, one event", () => student(0, 0), [started("a")], undefined],
    ["labs up to the limit", () => student(LIMITS.labsPerStudent - 1, 0), [started("new")], undefined],
    ["one lab past the limit", () => student(LIMITS.labsPerStudent, 0), [started("new")], /at most 50 labs per student \(this student has 50, the post adds 1\)/],
    ["a lab the student already has, at the limit", () => student(LIMITS.labsPerStudent, 0), [started("l3")], undefined],
    ["100 new labs in one post", () => student(0, 0), many(100, (i) => started(`x${i}`)), /at most 50 labs per student \(this student has 0, the post adds 100\)/],
    ["checks up to the limit", () => student(1, LIMITS.checksPerStudent - 1), [check("l0", "new")], undefined],
    ["one check past the limit", () => student(1, LIMITS.checksPerStudent), [check("l0", "new")], /at most 1000 different checks per student/],
    ["a check the student already has, at the limit", () => student(1, LIMITS.checksPerStudent), [check("l0", "c7")], undefined],
    ["events up to the limit", () => student(1, 0, LIMITS.eventsPerStudent - 1), [started("l0")], undefined],
    ["events past the limit", () => student(1, 0, LIMITS.eventsPerStudent), [started("l0")], /already sent 20000 events: a room keeps at most 20000 per student/],
  ])("%s", (_name, make, events, problem) => {
    const why = studentLimitProblem(make(), events);
    if (problem) expect(why).toMatch(problem);
    else expect(why).toBeUndefined();
  });
});

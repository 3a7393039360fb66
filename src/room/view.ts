// The room as the dashboard and GET /api/room see it, including who is stuck. Pure: `now` is a parameter.
import type { LabRec, Room, StudentRec } from "./state.js";
import type { CheckView, LabView, RoomView, StepView, StudentView } from "./types.js";

/** The same check failing this many times in a row on one step means stuck. */
export const STUCK_REPEATS = 3;
/** Time on a step above this many times the room's median for it (and at least SLOW_MARGIN_MS more) means stuck. */
export const SLOW_FACTOR = 2;
export const SLOW_MARGIN_MS = 60_000;
/** The median needs this many students who finished the step. */
export const MEDIAN_SAMPLES = 3;

/** Median time of each lab step over the students who passed it (key `lab\0step`), when enough did. */
export type Medians = Map<string, number>;

export function stepMedians(room: Room): Medians {
  const samples = new Map<string, number[]>();
  for (const s of room.students.values())
    for (const lab of s.labs.values())
      lab.steps.forEach((st, i) => {
        if (st.status !== "done" || st.ms === undefined) return;
        const key = `${lab.id}\u0000${i}`;
        const list = samples.get(key) ?? [];
        list.push(st.ms);
        samples.set(key, list);
      });
  const medians: Medians = new Map();
  for (const [key, list] of samples) {
    if (list.length < MEDIAN_SAMPLES) continue;
    const sorted = list.sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    medians.set(key, sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2);
  }
  return medians;
}

/** A duration as the instructor reads it across the room: "90s", "18 min" (not "1068s"). */
export const duration = (ms: number) => (ms < 100_000 ? `${Math.round(ms / 1000)}s` : `${Math.round(ms / 60_000)} min`);

/** Why a student is stuck in a lab, from evidence; undefined when they are not. */
export function stuckReason(s: StudentRec, lab: LabRec, medians: Medians, now: number): string | undefined {
  if (lab.finished || lab.current === undefined) return undefined;
  const st = lab.steps[lab.current];
  if (!st || st.status === "done" || st.status === "skipped") return undefined;
  if (st.sameFails >= STUCK_REPEATS && st.lastFail) return `check "${st.lastFail}" failed ${st.sameFails} times in a row`;
  const median = medians.get(`${lab.id}\u0000${lab.current}`);
  if (median === undefined || st.startedAt === undefined) return undefined;
  const onStep = now - (st.startedAt + (s.offset ?? 0));
  if (onStep > SLOW_FACTOR * median && onStep > median + SLOW_MARGIN_MS) return `${duration(onStep)} on step ${lab.current + 1}; the room's median is ${duration(median)}`;
  return undefined;
}

function stepView(s: StudentRec, st: LabRec["steps"][number]): StepView {
  const v: StepView = { title: st.title, status: st.status, fails: st.fails, hints: st.hints, solution: st.solution };
  if (st.startedAt !== undefined) v.startedAt = st.startedAt + (s.offset ?? 0);
  if (st.ms !== undefined) v.ms = st.ms;
  return v;
}

export function labView(s: StudentRec, lab: LabRec, medians: Medians, now: number): LabView {
  const why = stuckReason(s, lab, medians, now);
  const v: LabView = {
    id: lab.id,
    title: lab.title,
    stepsDone: lab.steps.filter((st) => st.status === "done").length,
    stepsTotal: lab.steps.length,
    stuck: why !== undefined,
    steps: lab.steps.map((st) => stepView(s, st)),
  };
  if (lab.current !== undefined) v.current = lab.current;
  if (lab.finished) v.finished = lab.finished;
  if (why) v.stuckWhy = why;
  return v;
}

export function studentView(s: StudentRec, medians: Medians, now: number): StudentView {
  const v: StudentView = { id: s.id, name: s.name, lastSeen: s.lastSeen, events: s.events, labs: [...s.labs.values()].map((l) => labView(s, l, medians, now)) };
  if (s.currentLab) v.currentLab = s.currentLab;
  return v;
}

export function checkViews(room: Room): CheckView[] {
  return [...room.checks.values()]
    .filter((c) => c.of > 0)
    .map((c) => ({ ...c }))
    .sort((a, b) => b.failing - a.failing || a.lab.localeCompare(b.lab) || a.step - b.step || a.check.localeCompare(b.check));
}

export function roomView(room: Room, now: number): RoomView {
  const medians = stepMedians(room);
  return {
    title: room.title,
    now,
    students: [...room.students.values()].map((s) => studentView(s, medians, now)),
    checks: checkViews(room),
    hands: [...room.hands],
    gate: Object.fromEntries(room.gate),
    events: room.events,
  };
}

// The room's state: events in, room out. Pure (no I/O, no clock: time comes with the events and the caller).
// Counting once: every event id is remembered per student, so a redelivered event changes nothing.
import type { HandView, RoomEvent, StepStatus, StudentEvent } from "./types.js";
import { LIMITS } from "./schema.js";

/** Most steps a lab may report; more is refused by the schema. */
export const MAX_STEPS = 200;
/** Raised hands kept (oldest dropped first). */
export const MAX_HANDS = 200;

export interface StepRec {
  title: string;
  status: StepStatus;
  /** Client clock, ms (the view shifts it by the student's clock offset). */
  startedAt?: number;
  ms?: number;
  fails: number;
  hints: number;
  solution: boolean;
  /** The check that failed last, and how many times in a row. */
  lastFail?: string;
  sameFails: number;
}

export interface LabRec {
  id: string;
  title: string;
  steps: StepRec[];
  current?: number;
  finished?: "passed" | "failed" | "quit";
}

export interface StudentRec {
  id: string;
  name: string;
  lastSeen: number;
  /** Events counted for this student (each id once). */
  events: number;
  /** Smallest (server receive − client clock) seen: the client's clock offset plus the fastest delivery. */
  offset?: number;
  currentLab?: string;
  labs: Map<string, LabRec>;
  seen: Set<string>;
  /** Latest result of each check, keyed by checkKey(). */
  checks: Map<string, boolean>;
}

export interface CheckStat {
  lab: string;
  step: number;
  check: string;
  failing: number;
  of: number;
}

export interface Room {
  title: string;
  students: Map<string, StudentRec>;
  gate: Map<string, number>;
  hands: HandView[];
  checks: Map<string, CheckStat>;
  events: number;
}

export type ApplyResult = "applied" | "duplicate" | "unknown-student";

export function newRoom(title: string): Room {
  return { title, students: new Map(), gate: new Map(), hands: [], checks: new Map(), events: 0 };
}

export function addStudent(room: Room, id: string, name: string, at: number): StudentRec {
  const existing = room.students.get(id);
  if (existing) {
    // Joined again with the same join key (the same runner) under a corrected name: the latest name counts.
    existing.name = name;
    return existing;
  }
  const rec: StudentRec = { id, name, lastSeen: at, events: 0, labs: new Map(), seen: new Set(), checks: new Map() };
  room.students.set(id, rec);
  return rec;
}

/** Steps not done measure no time any more (the run that started them ended). */
function stopClocks(lab: LabRec): void {
  for (const st of lab.steps) if (st.status !== "done") st.startedAt = undefined;
}

export const checkKey = (lab: string, step: number, check: string): string => `${lab}\u0000${step}\u0000${check}`;

function newStep(title: string): StepRec {
  return { title, status: "todo", fails: 0, hints: 0, solution: false, sameFails: 0 };
}

function labOf(s: StudentRec, id: string): LabRec {
  let lab = s.labs.get(id);
  if (!lab) {
    lab = { id, title: id, steps: [] };
    s.labs.set(id, lab);
  }
  return lab;
}

/** The step record, growing the lab when a step arrives before (or without) its lab-started. */
function stepOf(lab: LabRec, index: number): StepRec {
  while (lab.steps.length <= index) lab.steps.push(newStep(`Step ${lab.steps.length + 1}`));
  return lab.steps[index]!;
}

function recordCheck(room: Room, s: StudentRec, lab: string, step: number, check: string, pass: boolean): void {
  const key = checkKey(lab, step, check);
  let stat = room.checks.get(key);
  if (!stat) {
    stat = { lab, step, check, failing: 0, of: 0 };
    room.checks.set(key, stat);
  }
  const before = s.checks.get(key);
  if (before === undefined) stat.of++;
  if (before === false) stat.failing--;
  if (!pass) stat.failing++;
  s.checks.set(key, pass);
}

/** Applies one accepted event. A second event with the same id from the same student changes nothing. */
export function applyEvent(room: Room, ev: RoomEvent): ApplyResult {
  const s = room.students.get(ev.student);
  if (!s) return "unknown-student";
  if (s.seen.has(ev.id)) return "duplicate";
  s.seen.add(ev.id);
  room.events++;
  s.events++;
  s.lastSeen = Math.max(s.lastSeen, ev.rx);
  s.offset = s.offset === undefined ? ev.rx - ev.at : Math.min(s.offset, ev.rx - ev.at);
  const lab = labOf(s, ev.lab);
  s.currentLab = ev.lab;
  switch (ev.kind) {
    case "lab-started": {
      lab.title = ev.title;
      // A lab run again keeps what was done; a lab whose steps changed starts over.
      if (lab.steps.length !== ev.steps.length || lab.steps.some((st, i) => st.title !== ev.steps[i])) lab.steps = ev.steps.map(newStep);
      lab.finished = undefined;
      lab.current = undefined;
      // A new run: a clock left running by the last one (quit mid-step) measures nothing now.
      stopClocks(lab);
      break;
    }
    case "step-started": {
      const st = stepOf(lab, ev.step);
      Object.assign(st, { status: "working", startedAt: ev.at, ms: undefined, sameFails: 0, lastFail: undefined });
      lab.current = ev.step;
      lab.finished = undefined;
      break;
    }
    case "check": {
      const st = stepOf(lab, ev.step);
      recordCheck(room, s, ev.lab, ev.step, ev.check, ev.pass);
      if (ev.pass) {
        if (st.lastFail === ev.check) st.sameFails = 0;
        break;
      }
      st.fails++;
      st.sameFails = st.lastFail === ev.check ? st.sameFails + 1 : 1;
      st.lastFail = ev.check;
      if (st.status !== "done" && st.status !== "skipped") st.status = "failing";
      break;
    }
    case "step-passed":
    case "step-skipped": {
      const st = stepOf(lab, ev.step);
      // Passed again without being started (re-created on resume): it stays done, with the time it took then.
      if (ev.kind === "step-passed" && st.status === "done") break;
      st.status = ev.kind === "step-passed" ? "done" : "skipped";
      st.ms = st.startedAt === undefined ? undefined : Math.max(0, ev.at - st.startedAt);
      st.sameFails = 0;
      break;
    }
    case "hint":
      stepOf(lab, ev.step).hints++;
      break;
    case "solution":
      stepOf(lab, ev.step).solution = true;
      break;
    case "lab-finished":
      lab.finished = ev.passed ? "passed" : "failed";
      lab.current = undefined;
      stopClocks(lab);
      break;
    case "quit":
      // The step the student left stays where it was, but its clock stops: the dashboard must not count on.
      lab.finished = "quit";
      lab.current = undefined;
      stopClocks(lab);
      break;
    case "hand": {
      const hand: HandView = { student: s.id, name: s.name, lab: ev.lab, step: ev.step, commands: ev.commands, at: ev.rx };
      if (ev.check !== undefined) hand.check = ev.check;
      if (ev.detail !== undefined) hand.detail = ev.detail;
      room.hands.push(hand);
      if (room.hands.length > MAX_HANDS) room.hands.splice(0, room.hands.length - MAX_HANDS);
      break;
    }
  }
  return "applied";
}

/** Pace gate: the instructor released `released` steps of a lab (null opens it again). */
export function setGate(room: Room, lab: string, released: number | null): void {
  if (released === null) room.gate.delete(lab);
  else room.gate.set(lab, Math.max(0, Math.floor(released)));
}

/** Whether a guided runner may start step `step` (0-based) of `lab`. Open unless the instructor closed it. */
export function gateAllows(room: Room, lab: string, step: number): boolean {
  const released = room.gate.get(lab);
  return released === undefined || step < released;
}

/** Why the room cannot keep these new events of a student (LIMITS.*PerStudent), or undefined when it can. */
export function studentLimitProblem(s: StudentRec, fresh: readonly StudentEvent[]): string | undefined {
  if (s.events + fresh.length > LIMITS.eventsPerStudent) return `this student already sent ${s.events} events: a room keeps at most ${LIMITS.eventsPerStudent} per student`;
  const labs = new Set(fresh.map((e) => e.lab).filter((lab) => !s.labs.has(lab)));
  if (s.labs.size + labs.size > LIMITS.labsPerStudent) return `a room keeps at most ${LIMITS.labsPerStudent} labs per student (this student has ${s.labs.size}, the post adds ${labs.size})`;
  const checks = new Set(fresh.flatMap((e) => (e.kind === "check" ? [checkKey(e.lab, e.step, e.check)] : [])).filter((k) => !s.checks.has(k)));
  if (s.checks.size + checks.size > LIMITS.checksPerStudent) return `a room keeps at most ${LIMITS.checksPerStudent} different checks per student (this student has ${s.checks.size}, the post adds ${checks.size})`;
  return undefined;
}

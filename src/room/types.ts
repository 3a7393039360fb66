// The workshop room's vocabulary: what a student's runner sends, what the server keeps, what the dashboard reads.
// Types only. The wire schema that enforces these shapes is in schema.ts.

/** What happened, as a student's runner reports it. Never what the student types or sees, except a raised hand. */
export type StudentEventBody =
  | { kind: "lab-started"; lab: string; title: string; steps: string[] }
  | { kind: "step-started"; lab: string; step: number }
  | { kind: "check"; lab: string; step: number; check: string; pass: boolean }
  | { kind: "step-passed"; lab: string; step: number }
  | { kind: "step-skipped"; lab: string; step: number }
  | { kind: "hint"; lab: string; step: number }
  | { kind: "solution"; lab: string; step: number }
  | { kind: "lab-finished"; lab: string; passed: boolean }
  | { kind: "quit"; lab: string }
  | { kind: "hand"; lab: string; step: number; check?: string; detail?: string; commands: string[] };

export type StudentEventKind = StudentEventBody["kind"];

/** An event on the wire: an id unique per student (sent at least once, counted once) and the client's clock. */
export type StudentEvent = StudentEventBody & { id: string; at: number };

/** An accepted event as the room keeps it: whose it is and when the server received it. */
export type RoomEvent = StudentEvent & { student: string; rx: number };

/** One line of the room's data file (an append-only log replayed at start). */
export type LogRecord =
  | { t: "room"; code: string; instructorToken: string; title: string; created: number }
  /**
   * keyHash: the hash of the join key the runner made up and keeps (membership.ts). A join whose answer was lost
   * (a time-out under load, a server killed after writing it) is sent again with the same key and gets the same
   * student back, never a second one. Absent for runners that send no key.
   */
  | { t: "join"; student: string; name: string; tokenHash: string; keyHash?: string; at: number }
  | { t: "ev"; ev: RoomEvent }
  | { t: "gate"; lab: string; released: number | null; at: number };

export type StepStatus = "todo" | "working" | "failing" | "done" | "skipped";

export interface StepView {
  title: string;
  status: StepStatus;
  /** Server time the step was (last) started, ms; the page shows time on step from it. */
  startedAt?: number;
  /** How long the step took, once done or skipped. */
  ms?: number;
  /** Failed check results on this step. */
  fails: number;
  hints: number;
  solution: boolean;
}

export interface LabView {
  id: string;
  title: string;
  stepsDone: number;
  stepsTotal: number;
  /** Index of the step the student is on, if any. */
  current?: number;
  finished?: "passed" | "failed" | "quit";
  stuck: boolean;
  /** Why the room thinks so, from evidence. */
  stuckWhy?: string;
  steps: StepView[];
}

export interface StudentView {
  id: string;
  name: string;
  /** Server time of the last event received. */
  lastSeen: number;
  /** Events counted from this student (a re-sent event counts once). */
  events: number;
  /** Lab the student worked in last. */
  currentLab?: string;
  labs: LabView[];
}

export interface CheckView {
  lab: string;
  step: number;
  check: string;
  /** Students whose latest result of this check is a failure. */
  failing: number;
  /** Students who ran this check. */
  of: number;
}

export interface HandView {
  student: string;
  name: string;
  lab: string;
  step: number;
  check?: string;
  detail?: string;
  commands: string[];
  at: number;
}

export interface RoomView {
  title: string;
  now: number;
  students: StudentView[];
  checks: CheckView[];
  hands: HandView[];
  /** Pace gate: lab id → steps released (a runner may start steps with index < released). Absent: open. */
  gate: Record<string, number>;
  /** Events counted (duplicates excluded). */
  events: number;
}

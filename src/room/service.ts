// One running room: its state, its log on disk, who may post and who may read. No HTTP here (server.ts).
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { LogWriter, readLog } from "./store.js";
import { addStudent, applyEvent, gateAllows, newRoom, setGate, studentLimitProblem, type Room, type StudentRec } from "./state.js";
import type { LogRecord, RoomEvent, StudentEvent } from "./types.js";

/** Most students a room takes (a guard against a join flood filling memory). */
export const MAX_STUDENTS = 2000;

const sha256 = (s: string) => createHash("sha256").update(s).digest();

/** Constant-time comparison of two secrets (hashed first, so their lengths leak nothing either). */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(sha256(given), sha256(expected));
}

/** A random secret: `bytes` random bytes in base64url. The room code has 96 bits, tokens 192. */
export const secret = (bytes: number) => randomBytes(bytes).toString("base64url");

export interface OpenedRoom {
  service: RoomService;
  resumed: boolean;
  damaged: number;
}

export type Listener = (students: Set<string>, roomChanged: boolean) => void;

export class RoomService {
  private readonly byToken = new Map<string, string>();
  /** Student id by join-key hash: a join sent again (its answer lost) finds the student it made. */
  private readonly byKey = new Map<string, string>();
  private readonly listeners = new Set<Listener>();

  private constructor(
    readonly room: Room,
    readonly code: string,
    readonly instructorToken: string,
    private readonly log: LogWriter,
  ) {}

  /** Opens the room kept in `file`, replaying it, or creates a new one there. */
  static async open(file: string, title: string, now = Date.now()): Promise<OpenedRoom> {
    const { records, damaged } = await readLog(file);
    const header = records.find((r): r is Extract<LogRecord, { t: "room" }> => r.t === "room");
    const log = await LogWriter.open(file);
    if (!header) {
      const created: LogRecord = { t: "room", code: secret(12), instructorToken: secret(24), title, created: now };
      await log.append([created]);
      return { service: new RoomService(newRoom(title), created.code, created.instructorToken, log), resumed: false, damaged };
    }
    const service = new RoomService(newRoom(header.title), header.code, header.instructorToken, log);
    for (const r of records) service.replay(r);
    return { service, resumed: true, damaged };
  }

  private replay(r: LogRecord): void {
    if (r.t === "join") {
      addStudent(this.room, r.student, r.name, r.at);
      this.byToken.set(r.tokenHash, r.student);
      if (r.keyHash !== undefined) this.byKey.set(r.keyHash, r.student);
    } else if (r.t === "ev") applyEvent(this.room, r.ev);
    else if (r.t === "gate") setGate(this.room, r.lab, r.released);
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(students: string[], roomChanged: boolean): void {
    const set = new Set(students);
    for (const l of this.listeners) l(set, roomChanged);
  }

  isRoomCode(code: string): boolean {
    return sameSecret(code, this.code);
  }

  isInstructor(token: string): boolean {
    return sameSecret(token, this.instructorToken);
  }

  /** The student a token belongs to. The map is keyed by the token's hash, so lookup time says nothing of it. */
  studentFor(token: string): StudentRec | undefined {
    const id = this.byToken.get(sha256(token).toString("hex"));
    return id === undefined ? undefined : this.room.students.get(id);
  }

  /**
   * Issues a student their own token. Undefined when the room is full. With a join key, a key the room has seen
   * gets the same student again (with a new token: the answer carrying the old one may never have arrived).
   */
  async join(name: string, key?: string, now = Date.now()): Promise<{ token: string; student: string } | undefined> {
    const keyHash = key === undefined ? undefined : sha256(`join-key:${key}`).toString("hex");
    const known = keyHash === undefined ? undefined : this.byKey.get(keyHash);
    if (known === undefined && this.room.students.size >= MAX_STUDENTS) return undefined;
    const token = secret(24);
    const student = known ?? randomBytes(8).toString("hex");
    // Claimed before the write: a second join with this key arriving while the first is being written must find
    // this student, not make another (both records name the same student; replaying them adds it once).
    if (keyHash !== undefined) this.byKey.set(keyHash, student);
    const tokenHash = sha256(token).toString("hex");
    const record: LogRecord = { t: "join", student, name: name.trim(), tokenHash, ...(keyHash === undefined ? {} : { keyHash }), at: now };
    await this.log.append([record]);
    this.replay(record);
    this.changed([student], false);
    return { token, student };
  }

  /** Counts each new event once, keeps it on disk, then resolves. Returns how many were new. */
  async post(student: StudentRec, events: StudentEvent[], now = Date.now()): Promise<{ accepted: number; duplicates: number } | { refused: string }> {
    const records: LogRecord[] = [];
    const fresh: RoomEvent[] = [];
    const inBatch = new Set<string>();
    let duplicates = 0;
    for (const e of events) {
      if (student.seen.has(e.id) || inBatch.has(e.id)) {
        duplicates++;
        continue;
      }
      inBatch.add(e.id);
      const ev: RoomEvent = { ...e, student: student.id, rx: now };
      fresh.push(ev);
      records.push({ t: "ev", ev });
    }
    // Bounded: a post that would grow this student past what a room keeps is refused whole (nothing changes).
    const refused = studentLimitProblem(student, fresh);
    if (refused) return { refused };
    // On disk first: if the write fails nothing is counted, the runner is answered 500 and sends them again.
    await this.log.append(records);
    // A concurrent post of the same ids may have counted them meanwhile: applyEvent counts each id once.
    for (const ev of fresh) if (applyEvent(this.room, ev) !== "applied") duplicates++;
    const hand = fresh.some((e) => e.kind === "hand");
    if (records.length > 0) this.changed([student.id], hand || records.some((r) => r.t === "ev" && r.ev.kind === "check"));
    return { accepted: events.length - duplicates, duplicates };
  }

  async setGate(lab: string, released: number | null, now = Date.now()): Promise<void> {
    await this.log.append([{ t: "gate", lab, released, at: now }]);
    setGate(this.room, lab, released);
    this.changed([], true);
  }

  gateAllows(lab: string, step: number): boolean {
    return gateAllows(this.room, lab, step);
  }

  close(): Promise<void> {
    return this.log.close();
  }
}

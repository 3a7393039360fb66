// The dashboard's live feed (server-sent events): a whole-room snapshot on connect, then patches holding the
// students that changed, coalesced over FEED_COALESCE_MS so 500 students posting stay cheap. A slower tick
// re-evaluates everyone, because "stuck" also changes with time alone (time on a step).
import type { ServerResponse } from "node:http";
import type { RoomService } from "./service.js";
import { checkViews, roomView, stepMedians, studentView, type Medians } from "./view.js";

export const FEED_COALESCE_MS = 15;
export const FEED_TICK_MS = 2000;
/** The room's step medians (for "stuck") are recomputed at most this often: they move slowly. */
const MEDIANS_MAX_AGE_MS = 1000;
const HEARTBEAT_MS = 15_000;

export interface FeedPatch {
  type: "patch";
  now: number;
  events: number;
  students: ReturnType<typeof studentView>[];
  checks?: ReturnType<typeof checkViews>;
  hands?: RoomService["room"]["hands"];
  gate?: Record<string, number>;
}

export class Feed {
  private readonly clients = new Set<ServerResponse>();
  private readonly dirty = new Set<string>();
  private roomDirty = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly lastSent = new Map<string, string>();
  private readonly tick: NodeJS.Timeout;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly unsubscribe: () => void;
  private medians?: { at: number; value: Medians };

  constructor(private readonly service: RoomService) {
    this.unsubscribe = service.onChange((students, roomChanged) => {
      for (const s of students) this.dirty.add(s);
      if (roomChanged) this.roomDirty = true;
      this.timer ??= setTimeout(() => this.flush(), FEED_COALESCE_MS);
    });
    this.tick = setInterval(() => this.retick(), FEED_TICK_MS);
    this.heartbeat = setInterval(() => this.write(": keep-alive\n\n"), HEARTBEAT_MS);
    this.tick.unref();
    this.heartbeat.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  /** Takes over a response: headers, the snapshot, then every patch until the client goes away. */
  add(res: ServerResponse): void {
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", connection: "keep-alive", "x-accel-buffering": "no" });
    const view = roomView(this.service.room, Date.now());
    for (const s of view.students) this.lastSent.set(s.id, JSON.stringify(s));
    res.write(`data: ${JSON.stringify({ type: "snapshot", room: view })}\n\n`);
    this.clients.add(res);
    res.on("close", () => this.clients.delete(res));
  }

  private write(text: string): void {
    for (const c of this.clients) c.write(text);
  }

  private send(patch: FeedPatch): void {
    if (this.clients.size > 0) this.write(`data: ${JSON.stringify(patch)}\n\n`);
  }

  /** Students whose view changed (or all of `ids`), with the room-wide parts when they changed. */
  private patch(ids: Iterable<string>, onlyChanged: boolean, withRoom: boolean): FeedPatch {
    const now = Date.now();
    const room = this.service.room;
    if (!this.medians || now - this.medians.at > MEDIANS_MAX_AGE_MS) this.medians = { at: now, value: stepMedians(room) };
    const medians = this.medians.value;
    const students = [];
    for (const id of ids) {
      const rec = room.students.get(id);
      if (!rec) continue;
      const view = studentView(rec, medians, now);
      const json = JSON.stringify(view);
      if (onlyChanged && this.lastSent.get(id) === json) continue;
      this.lastSent.set(id, json);
      students.push(view);
    }
    const patch: FeedPatch = { type: "patch", now, events: room.events, students };
    if (withRoom) Object.assign(patch, { checks: checkViews(room), hands: room.hands, gate: Object.fromEntries(room.gate) });
    return patch;
  }

  flush(): void {
    this.timer = undefined;
    const withRoom = this.roomDirty;
    const ids = [...this.dirty];
    this.dirty.clear();
    this.roomDirty = false;
    this.send(this.patch(ids, false, withRoom));
  }

  /** Time alone can make a student stuck: re-evaluate everyone on a step, send only who changed. */
  private retick(): void {
    if (this.clients.size === 0) return;
    const onAStep = [...this.service.room.students.values()].filter((s) => [...s.labs.values()].some((l) => l.current !== undefined && !l.finished)).map((s) => s.id);
    const patch = this.patch(onAStep, true, false);
    if (patch.students.length > 0) this.send(patch);
  }

  close(): void {
    this.unsubscribe();
    clearInterval(this.tick);
    clearInterval(this.heartbeat);
    if (this.timer) clearTimeout(this.timer);
    for (const c of this.clients) c.end();
    this.clients.clear();
  }
}

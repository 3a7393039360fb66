// A student's connection to the room. send() only writes to the outbox on disk and returns: the lab never
// waits for the network. A background loop delivers the outbox in order (joining first if the run started
// offline), retrying with back-off; flush() gives it a bounded time at exit.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { DiskQueue } from "./queue.js";
import { JoinError, joinRoom, newJoinKey } from "./join.js";
import { giveToStudent, writeMembership, type Membership, type StudentDir } from "./membership.js";
import type { StudentEventBody } from "../types.js";
import { LIMITS } from "../schema.js";
import { deadline } from "./deadline.js";

const REQUEST_TIMEOUT_MS = 5000;
const BACKOFF_MS = [500, 1000, 2000, 4000, 8000, 15000];

export type GateAnswer = { open: boolean; released: number | null } | { unreachable: string };

export class RoomClient {
  private readonly queue: DiskQueue;
  private readonly runId = randomBytes(6).toString("base64url");
  private seq = 0;
  private running?: Promise<void>;
  private failures = 0;
  private wake?: () => void;
  private closed = false;
  /** The join in flight: delivery and the gate both need a token; they share one join, not two. */
  private joining?: Promise<string>;
  /** Why the last delivery failed (shown when events stay queued). */
  lastProblem?: string;
  /** Events the room refused for good, each with its reason (the last few): they are not sent again. */
  readonly rejected: { id?: string; error: string }[] = [];
  /**
   * After a whole post was answered 400 (a room from before per-event answers refuses a post for one event it
   * does not take), its events are sent one at a time, so only the event it refuses is dropped.
   */
  private oneByOne = 0;
  /** Ends requests still in flight at close(): a room that hangs must not hold the student's run open. */
  private readonly stop = new AbortController();

  constructor(
    private readonly dir: StudentDir,
    private membership: Membership,
  ) {
    const queueDir = join(dir.dir, "room-outbox");
    this.queue = new DiskQueue(queueDir, membership.code);
    void giveToStudent(dir, queueDir);
    if (this.queue.length > 0) this.kick();
  }

  get name(): string {
    return this.membership.name;
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Records an event for the room and returns at once. */
  send(body: StudentEventBody): void {
    if (this.closed) return;
    this.queue.push({ ...body, id: `${this.runId}-${++this.seq}`, at: Date.now() } as never);
    this.kick();
  }

  private kick(): void {
    if (this.wake) this.wake();
    this.running ??= this.deliver().finally(() => {
      this.running = undefined;
      if (this.queue.length > 0 && !this.closed) this.kick();
    });
  }

  private async pause(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      t.unref();
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
    this.wake = undefined;
  }

  private ensureToken(): Promise<string> {
    if (this.membership.token) return Promise.resolve(this.membership.token);
    this.joining ??= this.joinNow().finally(() => (this.joining = undefined));
    return this.joining;
  }

  private async joinNow(): Promise<string> {
    if (!this.membership.key) {
      // A room.json from before join keys: make one and keep it before asking, so every retry sends the same.
      this.membership = { ...this.membership, key: newJoinKey() };
      await writeMembership(this.dir, this.membership).catch(() => undefined);
    }
    const joined = await joinRoom(this.membership, this.membership.name, this.membership.key!, REQUEST_TIMEOUT_MS, this.stop.signal);
    this.membership = { ...this.membership, token: joined.token, student: joined.student };
    await writeMembership(this.dir, this.membership).catch(() => undefined);
    return joined.token;
  }

  private async deliver(): Promise<void> {
    while (this.queue.length > 0 && !this.closed) {
      const batch = this.queue.peek(this.oneByOne > 0 ? 1 : LIMITS.eventsPerPost);
      let status: number | "unreachable";
      let retryAfter = 0;
      let answer: { error?: string; rejected?: { id?: string; error: string }[] } = {};
      try {
        const token = await this.ensureToken();
        const limit = deadline(REQUEST_TIMEOUT_MS, this.stop.signal);
        try {
          const res = await fetch(`${this.membership.base}/api/events`, {
            method: "POST",
            headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
            body: JSON.stringify({ events: batch }),
            signal: limit.signal,
          });
          status = res.status;
          retryAfter = Number(res.headers.get("retry-after")) || 0;
          answer = (await res.json().catch(() => ({}))) as typeof answer;
          if (!res.ok) this.lastProblem = `the room answered ${res.status}: ${answer.error ?? ""}`;
        } finally {
          limit.done();
        }
      } catch (err) {
        status = "unreachable";
        // "fetch failed" says nothing: name the room and why (ECONNREFUSED, TimeoutError, …), as a join does.
        const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
        this.lastProblem = err instanceof JoinError ? err.message : `cannot reach the room at ${this.membership.base} (${cause})`;
      }
      if (status === 200) {
        // The room took the post; the events it rejected (`rejected`, with the reason) it will never take.
        for (const r of Array.isArray(answer.rejected) ? answer.rejected : []) this.reject(r.id, String(r.error));
        this.delivered(batch.length);
        this.failures = 0;
        this.lastProblem = undefined;
        continue;
      }
      if (status === 401) {
        // The room no longer knows this token (its data was reset): join again under the same name.
        this.membership = { ...this.membership, token: undefined, student: undefined };
      } else if ((status === 400 || status === 413) && batch.length > 1) {
        // An older room refuses a whole post for one event (400), a post of several raised hands can be over the
        // room's 64 KiB (413): send these one by one, so that only an event the room refuses alone is dropped.
        this.oneByOne = batch.length;
        continue;
      } else if (status === 400 || status === 413) {
        // The room will never take these (a bug, or an older server): drop them rather than block the outbox.
        for (const e of batch) this.reject(e.id, `the room answered ${status}: ${answer.error ?? ""}`);
        this.delivered(batch.length);
        continue;
      }
      const wait = status === 429 ? retryAfter * 1000 : BACKOFF_MS[Math.min(this.failures, BACKOFF_MS.length - 1)]!;
      this.failures++;
      await this.pause(wait);
    }
  }

  private delivered(n: number): void {
    this.queue.ack(n);
    this.oneByOne = Math.max(0, this.oneByOne - n);
  }

  private reject(id: string | undefined, error: string): void {
    this.rejected.push({ ...(id !== undefined ? { id } : {}), error });
    if (this.rejected.length > 20) this.rejected.shift();
  }

  /** Waits up to `timeoutMs` for the outbox to empty. Returns how many events are still waiting (kept on disk). */
  async flush(timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    this.failures = 0;
    while (this.queue.length > 0 && Date.now() < deadline && !this.closed) {
      this.kick();
      const running = this.running;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([running, new Promise((r) => (timer = setTimeout(r, Math.max(0, deadline - Date.now()))))]);
      clearTimeout(timer);
    }
    return this.queue.length;
  }

  /** The pace gate for a step; unreachable rooms say so (the caller then lets the student go on). */
  async gate(lab: string, step: number, waitS: number, signal?: AbortSignal): Promise<GateAnswer> {
    try {
      const token = await this.ensureToken();
      const q = new URLSearchParams({ lab, step: String(step), wait: String(waitS) });
      // Asking (wait 0) must not hold the step up when the room is down: a short time-out, and the gate is open.
      const limit = deadline(waitS === 0 ? 1500 : waitS * 1000 + REQUEST_TIMEOUT_MS, this.stop.signal, ...(signal ? [signal] : []));
      let body: { open?: boolean; released?: number | null; error?: string };
      let res: Response;
      try {
        res = await fetch(`${this.membership.base}/api/gate?${q}`, { headers: { authorization: `Bearer ${token}` }, signal: limit.signal });
        body = (await res.json()) as typeof body;
      } finally {
        limit.done();
      }
      if (!res.ok || typeof body.open !== "boolean") return { unreachable: body.error ?? `HTTP ${res.status}` };
      return { open: body.open, released: body.released ?? null };
    } catch (err) {
      return { unreachable: (err as Error).message };
    }
  }

  /** Stops delivering; what is left stays on disk for the next run. */
  close(): void {
    this.closed = true;
    this.stop.abort();
    this.wake?.();
  }
}

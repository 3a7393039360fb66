// The student's outbox: every event is on disk before it is sent and leaves only once the room confirmed it,
// so a run without network (or a room that is down) loses nothing. One file per process, so two runs never
// rewrite each other's; a run adopts the files of runs that ended before sending everything.
import { processAlive } from "../../core/process-alive.js";
import { appendFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { StudentEvent } from "../types.js";

export interface Queued {
  /** The room code the event is for; events for another room are dropped on adoption. */
  room: string;
  ev: StudentEvent;
}


function readLines(file: string): Queued[] {
  const out: Queued[] = [];
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return out;
  }
  for (const line of text.split("\n")) {
    try {
      if (line) out.push(JSON.parse(line) as Queued);
    } catch {
      // A line cut short when the machine went down: that event was never confirmed either way; drop it.
    }
  }
  return out;
}

export class DiskQueue {
  private items: Queued[] = [];
  private readonly file: string;

  constructor(
    private readonly dir: string,
    private readonly room: string,
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.file = join(dir, `${process.pid}-${randomBytes(4).toString("hex")}.jsonl`);
    this.adopt();
  }

  get path(): string {
    return this.file;
  }

  get length(): number {
    return this.items.length;
  }

  /** Takes over what runs that are gone left unsent (for this room). */
  private adopt(): void {
    for (const name of readdirSync(this.dir)) {
      const m = /^(\d+)-[0-9a-f]+\.jsonl$/.exec(name);
      if (!m || processAlive(Number(m[1]))) continue;
      const file = join(this.dir, name);
      this.items.push(...readLines(file).filter((q) => q.room === this.room));
      rmSync(file, { force: true });
    }
    if (this.items.length > 0) this.rewrite();
  }

  push(ev: StudentEvent): void {
    const q: Queued = { room: this.room, ev };
    this.items.push(q);
    appendFileSync(this.file, `${JSON.stringify(q)}\n`, { mode: 0o600 });
  }

  peek(n: number): StudentEvent[] {
    return this.items.slice(0, n).map((q) => q.ev);
  }

  /** The first `n` events were confirmed by the room. */
  ack(n: number): void {
    this.items.splice(0, n);
    this.rewrite();
  }

  private rewrite(): void {
    if (this.items.length === 0) {
      rmSync(this.file, { force: true });
      return;
    }
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, this.items.map((q) => `${JSON.stringify(q)}\n`).join(""), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}

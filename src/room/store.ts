// The room on disk: an append-only log of JSON lines (room header, joins, accepted events, gate changes),
// replayed at start. A write is acknowledged to a student only once it is in the file, so a server killed at
// any moment loses nothing it confirmed; events it did not confirm are sent again and counted once (by id).
import { open, readFile, mkdir, type FileHandle } from "node:fs/promises";
import { dirname } from "node:path";
import type { LogRecord } from "./types.js";

export interface LoadedLog {
  records: LogRecord[];
  /** Lines that were not JSON (e.g. a line cut short by a full disk); skipped. */
  damaged: number;
}

export async function readLog(file: string): Promise<LoadedLog> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { records: [], damaged: 0 };
    throw err;
  }
  const records: LogRecord[] = [];
  let damaged = 0;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      records.push(JSON.parse(line) as LogRecord);
    } catch {
      damaged++;
    }
  }
  return { records, damaged };
}

/** Appends records in order; concurrent appends are batched into one write. */
export class LogWriter {
  private pending: { line: string; done: () => void; fail: (e: Error) => void }[] = [];
  private writing = false;

  private constructor(private readonly fh: FileHandle) {}

  static async open(file: string): Promise<LogWriter> {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    // 0600: the file holds the instructor token.
    return new LogWriter(await open(file, "a", 0o600));
  }

  append(records: LogRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return new Promise((done, fail) => {
      this.pending.push({ line: records.map((r) => `${JSON.stringify(r)}\n`).join(""), done, fail });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0);
      try {
        await this.fh.write(batch.map((b) => b.line).join(""));
        for (const b of batch) b.done();
      } catch (err) {
        for (const b of batch) b.fail(err as Error);
      }
    }
    this.writing = false;
  }

  async close(): Promise<void> {
    while (this.writing || this.pending.length > 0) await new Promise((r) => setImmediate(r));
    await this.fh.close();
  }
}

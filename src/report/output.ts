// Where a machine-readable report goes: a file, written atomically (temp file in the same folder, then
// rename, so a reader never sees half a report), or standard output.
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { writeFileAtomic } from "../core/atomic-write.js";
import { UsageError } from "../core/errors.js";

export interface TextSink {
  write(chunk: string): unknown;
}

export async function writeReportFile(path: string, text: string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFileAtomic(path, text);
  } catch (err) {
    // Almost always a wrong --out (a folder, no permission): say so instead of showing a stack trace.
    throw new UsageError(`could not write the report to ${path}: ${(err as Error).message}\nGive --out a file path you can write to.`, { cause: err });
  }
}

/** Writes to the stream and waits until it has been handed to the OS (large reports on a pipe). */
export function writeStream(stream: TextSink, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = stream as TextSink & { write(chunk: string, cb: (err?: Error | null) => void): unknown };
    try {
      s.write(text, (err) => (err ? reject(err) : resolve()));
    } catch (err) {
      reject(err as Error);
    }
  });
}

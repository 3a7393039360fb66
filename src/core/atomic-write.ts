// Writing a whole file so that a reader never sees half of it: a temp file in the same folder (so the rename
// stays on one filesystem), fsynced, given its owner, then renamed over the target. The temp file never stays.
import { chown, open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { randomBytes } from "node:crypto";

export interface AtomicWriteOptions {
  mode?: number;
  /** Give the file to this user (root writing a learner's progress file). */
  owner?: { uid: number; gid: number };
}

export async function writeFileAtomic(path: string, text: string, options: AtomicWriteOptions = {}): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    const fh = await open(temp, "w", options.mode ?? 0o644);
    try {
      await fh.writeFile(text, "utf8");
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (options.owner) await chown(temp, options.owner.uid, options.owner.gid);
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}

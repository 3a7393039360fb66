// The lab VM box, served to the room with its sha256 so `vagrant box add` over the LAN checks what it got.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { basename, resolve } from "node:path";

export interface BoxInfo {
  /** Absolute path of the box file. */
  file: string;
  /** The name it is served under: /box/<name>. */
  name: string;
  size: number;
  sha256: string;
}

/** Hashes the box once at start (a box is large: `onProgress` gets the bytes read so far). */
export async function describeBox(file: string, onProgress?: (done: number, size: number) => void): Promise<BoxInfo> {
  const abs = resolve(file);
  const st = await stat(abs);
  if (!st.isFile()) throw new Error(`${abs} is not a file`);
  const hash = createHash("sha256");
  let done = 0;
  let lastReport = 0;
  for await (const chunk of createReadStream(abs)) {
    hash.update(chunk as Buffer);
    done += (chunk as Buffer).length;
    if (onProgress && done - lastReport >= 256 * 1024 * 1024) {
      lastReport = done;
      onProgress(done, st.size);
    }
  }
  return { file: abs, name: basename(abs).replace(/[^A-Za-z0-9._-]/g, "_"), size: st.size, sha256: hash.digest("hex") };
}

/** What a student types to add the box from the room (vagrant resumes an interrupted download with Range). */
export function boxCommands(box: BoxInfo, baseUrl: string): string[] {
  return [
    `vagrant box add --name rootlab/lab --checksum-type sha256 --checksum ${box.sha256} ${baseUrl}/box/${box.name}`,
    `curl -fC - -o ${box.name} ${baseUrl}/box/${box.name}   # or by hand; resumes with -C -`,
    `echo "${box.sha256}  ${box.name}" | sha256sum -c`,
  ];
}

// Which room this student is in, remembered in the student's state folder (beside progress.json) so every
// later run reports there: `room.json` holds the join string, the name and the student's own token.
import { chown, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface Membership {
  join: string;
  base: string;
  code: string;
  name: string;
  /** The join key (join.ts newJoinKey): made before the first join, kept after, so a join sent again is the same student. */
  key?: string;
  /** Absent until the room answered a join (a run started offline joins later). */
  token?: string;
  student?: string;
}

/** Where the student's room files live, and whom they belong to (under sudo: the student, not root). */
export interface StudentDir {
  dir: string;
  owner?: { uid?: number; gid?: number };
}

export const membershipFile = (d: StudentDir) => join(d.dir, "room.json");

export async function readMembership(d: StudentDir): Promise<Membership | undefined> {
  try {
    const m = JSON.parse(await readFile(membershipFile(d), "utf8")) as Membership;
    return typeof m.join === "string" && typeof m.name === "string" && typeof m.base === "string" && typeof m.code === "string" ? m : undefined;
  } catch {
    return undefined;
  }
}

/** Gives a file or folder rootlab made as root back to the student it belongs to. */
export async function giveToStudent(d: StudentDir, path: string): Promise<void> {
  if (d.owner?.uid !== undefined) await chown(path, d.owner.uid, d.owner.gid ?? d.owner.uid).catch(() => undefined);
}

export async function writeMembership(d: StudentDir, m: Membership): Promise<void> {
  await mkdir(d.dir, { recursive: true, mode: 0o700 });
  const file = membershipFile(d);
  const tmp = `${file}.${process.pid}.tmp`;
  // 0600: the token lets its holder post as this student.
  await writeFile(tmp, `${JSON.stringify(m, null, 2)}\n`, { mode: 0o600 });
  await giveToStudent(d, tmp);
  await rename(tmp, file);
}

export async function forgetMembership(d: StudentDir): Promise<boolean> {
  const had = (await readMembership(d)) !== undefined;
  await rm(membershipFile(d), { force: true });
  return had;
}

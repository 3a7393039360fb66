// Which room a run reports to: `--room JOIN --name NAME`, or the room remembered by `rootlab room join`.
// Joining never holds up the lab: when the room cannot be reached the run still starts, its events wait on
// disk, and the runner joins as soon as the room answers.
import { JoinError, joinRoom, newJoinKey, parseJoin } from "./join.js";
import { forgetMembership, readMembership, writeMembership, type Membership, type StudentDir } from "./membership.js";
import { RoomClient } from "./client.js";

export const JOIN_TIMEOUT_MS = 3000;

export interface ConnectOptions {
  dir: StudentDir;
  /** --room: the join string. */
  join?: string;
  /** --name */
  name?: string;
  /** Use the remembered room when --room is not given (guided runs do; verify does not). */
  remembered: boolean;
  say: (line: string) => void;
}

/** Thrown for a --room/--name the student must fix (the CLI turns it into a usage error). */
export class RoomUsageError extends Error {}

export async function connectRoom(opts: ConnectOptions): Promise<RoomClient | undefined> {
  const known = await readMembership(opts.dir);
  if (!opts.join) {
    if (opts.name) throw new RoomUsageError("--name goes with --room JOIN (the join address the instructor shows).");
    return opts.remembered && known ? new RoomClient(opts.dir, known) : undefined;
  }
  let target;
  try {
    target = parseJoin(opts.join);
  } catch (err) {
    throw new RoomUsageError(`--room: ${(err as Error).message}`);
  }
  const sameRoom = known?.join === target.join;
  const name = opts.name?.trim() || (sameRoom ? known.name : undefined);
  if (!name) throw new RoomUsageError(`--room needs --name "Your Name" (how the instructor sees you).\nExample: --room ${target.join} --name "Ada L."`);
  if (sameRoom && known.name === name && known.token) return new RoomClient(opts.dir, known);
  // The same student joining again (a join that timed out last run, a corrected name) keeps the key: the room
  // finds that student instead of making another.
  const key = (sameRoom && known.key) || newJoinKey();
  const m: Membership = { ...target, name, key };
  // On disk before the first try: if this run dies mid-join, the next one sends the same key.
  await writeMembership(opts.dir, m);
  try {
    Object.assign(m, await joinRoom(target, name, key, JOIN_TIMEOUT_MS));
    opts.say(`Joined the room at ${target.base} as "${name}".`);
  } catch (err) {
    if (err instanceof JoinError && err.refused) {
      // Wrong code or a full room: asking again would never work. This run reports to no room.
      await (known ? writeMembership(opts.dir, known) : forgetMembership(opts.dir));
      opts.say(`${err.message}\nYour lab goes on without the room; check the join address with your instructor.`);
      return undefined;
    }
    opts.say(`${(err as Error).message}\nYour lab goes on; what the room should hear waits on this machine and is sent once the room answers.`);
  }
  await writeMembership(opts.dir, m);
  return new RoomClient(opts.dir, m);
}

// `--room JOIN --name NAME` on start, menu and verify, and where a student's room files live.
import { dirname } from "node:path";
import { progressLocation } from "../guided/progress.js";
import { UsageError } from "../core/errors.js";
import { fitReport } from "../term/help-wrap.js";
import { connectRoom, RoomUsageError } from "../room/client/connect.js";
import type { RoomClient } from "../room/client/client.js";
import type { StudentDir } from "../room/client/membership.js";
import type { EventSink } from "../exec/types.js";
import { RunToRoom } from "../room/client/reporter.js";

export const ROOM_OPTIONS = { room: { type: "string" }, name: { type: "string" } } as const;

/** The --room/--name rows of a command's help, aligned to that help's description column. */
export function roomHelp(column = 21): string {
  const row = (option: string, text: string) => `  ${option}`.padEnd(column) + text;
  return [row("--room <join>", "Report your progress to a workshop room (the join address the instructor shows)"), row("--name <name>", "Your name in the room (with --room; remembered afterwards)")].join("\n");
}
export const ROOM_HELP = roomHelp();

/** Exit: how long the runner waits for the room to take what it holds before it returns. */
export const FLUSH_AT_EXIT_MS = 4000;

/** The student's state folder (beside progress.json), owned by the student also under sudo. */
export function studentDir(): StudentDir {
  const loc = progressLocation();
  return { dir: dirname(loc.file), owner: loc.owner };
}

export async function roomFor(values: Record<string, unknown>, remembered: boolean): Promise<RoomClient | undefined> {
  try {
    return await connectRoom({
      dir: studentDir(),
      ...(typeof values.room === "string" ? { join: values.room } : {}),
      ...(typeof values.name === "string" ? { name: values.name } : {}),
      remembered,
      say: (line) => process.stderr.write(`rootlab room: ${line}\n`),
    });
  } catch (err) {
    if (err instanceof RoomUsageError) throw new UsageError(err.message);
    throw err;
  }
}

/** An event sink that tells the room about a `verify` run (untimed: see RunToRoom). */
export function roomObserver(client: RoomClient): EventSink {
  const mapper = new RunToRoom({ timed: false });
  return (e) => {
    for (const body of mapper.map(e)) client.send(body);
  };
}

/** At exit: a bounded wait for the room to take what this run holds; what is left waits on disk. */
export async function flushRoom(client: RoomClient | undefined): Promise<void> {
  if (!client) return;
  const left = await client.flush(FLUSH_AT_EXIT_MS);
  client.close();
  const refused = client.rejected;
  if (refused.length > 0) {
    const notice = `rootlab room: the room refused ${refused.length === 20 ? "20 or more" : refused.length} update(s), which are not sent again (${refused[0]?.error}); the others were sent.`;
    process.stderr.write(`${process.stderr.isTTY ? fitReport(notice, process.stderr.columns || 80) : notice}\n`);
  }
  if (left > 0) {
    const notice = `rootlab room: ${left} update(s) for the room could not be sent yet (${client.lastProblem ?? "no answer"}); they are kept and sent by your next rootlab run.`;
    process.stderr.write(`${process.stderr.isTTY ? fitReport(notice, process.stderr.columns || 80) : notice}\n`);
  }
}

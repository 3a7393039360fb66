// A join whose answer is lost must not make a second student. Under load (a whole class on laptops, a server
// killed and restarted) a runner's join can reach the room, be written to its log and counted, and still look
// failed to the runner (its time-out fired first, or the server died before answering). The runner then joins
// again; the room must answer with the same student. Deterministic: the lost answer is a socket the test closes
// right after the room wrote the join, not a race against a timer.
import { afterEach, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RoomService } from "../../src/room/service.js";
import { connectRoom } from "../../src/room/client/connect.js";
import { joinRoom, newJoinKey, parseJoin } from "../../src/room/client/join.js";
import { roomBeforeJoinKeys, roomLosingJoinAnswers, type LossyRoom } from "../helpers/room-lossy.js";

const dirs: string[] = [];
const servers: LossyRoom[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), "rlt-room-join-"));
  dirs.push(d);
  return d;
};
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("a join sent again after its answer was lost", () => {
  it("is the same student: the runner's retry finds the student its first join made", async () => {
    const state = tmp();
    const room = await roomLosingJoinAnswers(join(state, "room.jsonl"), 1);
    servers.push(room);
    const said: string[] = [];
    const client = (await connectRoom({ dir: { dir: join(state, "student") }, join: room.join, name: "Ada", remembered: false, say: (l) => said.push(l) }))!;
    expect(room.lostJoins()).toBe(1);
    expect(said.join("\n")).toMatch(/cannot reach the room/);
    // The join reached the room although the runner never heard back.
    expect(room.service.room.students.size).toBe(1);

    client.send({ kind: "lab-started", lab: "l", title: "L", steps: ["a"] });
    expect(await client.flush(20_000)).toBe(0);
    client.close();

    const students = [...room.service.room.students.values()];
    expect(students.map((s) => [s.name, s.events])).toEqual([["Ada", 1]]);
    // The room.json kept for the next runs holds that same student.
    const kept = JSON.parse(readFileSync(join(state, "student", "room.json"), "utf8")) as { student: string };
    expect(kept.student).toBe(students[0]!.id);
  });

  it("is the same student after the room restarted from its log, and when two joins with one key race", async () => {
    const file = join(tmp(), "room.jsonl");
    const key = newJoinKey();
    const first = await RoomService.open(file, "t");
    // Both joins are in flight before either is written: the second must not make a student of its own.
    const [a, b] = await Promise.all([first.service.join("Ada", key), first.service.join("Ada", key)]);
    expect(a!.student).toBe(b!.student);
    expect(first.service.room.students.size).toBe(1);
    await first.service.close();

    // Killed and started again: the log is replayed, the key is known, both tokens still work.
    const again = await RoomService.open(file, "t");
    const c = await again.service.join("Ada", key);
    expect(c!.student).toBe(a!.student);
    expect([...again.service.room.students.keys()]).toEqual([a!.student]);
    for (const t of [a!.token, b!.token, c!.token]) expect(again.service.studentFor(t)?.id).toBe(a!.student);
    // The same key under a corrected name renames that student, also once the log is replayed.
    expect((await again.service.join("Ada L.", key))!.student).toBe(a!.student);
    expect(again.service.room.students.get(a!.student)!.name).toBe("Ada L.");
    await again.service.close();
    const third = await RoomService.open(file, "t");
    expect([...third.service.room.students.values()].map((s) => s.name)).toEqual(["Ada L."]);
    await third.service.close();
    const again2 = await RoomService.open(file, "t");
    // Another key (another person, even with the same name) is another student; no key is too (older runners).
    expect((await again2.service.join("Ada", newJoinKey()))!.student).not.toBe(a!.student);
    expect((await again2.service.join("Ada"))!.student).not.toBe(a!.student);
    expect(again2.service.room.students.size).toBe(3);
    await again2.service.close();
  });
});

describe("a room from before join keys", () => {
  it("refuses a join with a key (400, extra property): the runner joins again without it, once", async () => {
    const state = tmp();
    const room = await roomBeforeJoinKeys(join(state, "room.jsonl"));
    servers.push(room);
    const key = newJoinKey();
    const joined = await joinRoom(parseJoin(room.join), "Ada", key, 5000);
    expect(room.service.studentFor(joined.token)?.name).toBe("Ada");
    // First with the key (refused), then without it; nothing else was sent and one student was made.
    expect(room.bodies).toEqual([
      { room: room.service.code, name: "Ada", key },
      { room: room.service.code, name: "Ada" },
    ]);
    expect(room.service.room.students.size).toBe(1);
  });

  it("a runner's reports reach it (join without the key, then events)", async () => {
    const state = tmp();
    const room = await roomBeforeJoinKeys(join(state, "room.jsonl"));
    servers.push(room);
    const said: string[] = [];
    const client = await connectRoom({ dir: { dir: join(state, "student") }, join: room.join, name: "Bo", remembered: false, say: (l) => said.push(l) });
    expect(said.join("\n")).toMatch(/^Joined the room at .* as "Bo"\.$/);
    expect([...room.service.room.students.values()].map((s) => s.name)).toEqual(["Bo"]);
    client!.close();
  });

  it("a join it refuses for another reason stays refused: one try without the key, not a loop", async () => {
    const state = tmp();
    const room = await roomBeforeJoinKeys(join(state, "room.jsonl"));
    servers.push(room);
    await expect(joinRoom(parseJoin(room.join), "x".repeat(61), newJoinKey(), 5000)).rejects.toMatchObject({ refused: true, message: /refused to let you join: body\/name must NOT have more than 60 characters/ });
    expect(room.bodies.map((b) => "key" in (b as object))).toEqual([true, false]);
    expect(room.service.room.students.size).toBe(0);
  });

  it("today's room refuses such a name at once, and a wrong room code is a refusal the runner does not repeat", async () => {
    const state = tmp();
    const room = await roomLosingJoinAnswers(join(state, "room.jsonl"), 0);
    servers.push(room);
    await expect(joinRoom(parseJoin(room.join), "x".repeat(61), newJoinKey(), 5000)).rejects.toMatchObject({ refused: true });
    const wrongCode = room.join.replace(/\/r\/.*/, "/r/WrongCode123");
    const said: string[] = [];
    const client = await connectRoom({ dir: { dir: join(state, "student") }, join: wrongCode, name: "Cy", remembered: false, say: (l) => said.push(l) });
    expect(client).toBeUndefined();
    expect(said.join("\n")).toMatch(/wrong room code[\s\S]*goes on without the room/);
    expect(existsSync(join(state, "student", "room.json"))).toBe(false);
    expect(room.service.room.students.size).toBe(0);
  });
});

// `rootlab room join` typed by hand, with the real CLI: a join whose answer is lost (a time-out in a loaded room)
// must not make a second student when the student types the same command again, and a refused join (a wrong
// room code) leaves the student where they were.
import { afterAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer, type AddressInfo } from "node:net";
import { runCli } from "../helpers/cli.js";
import { roomLosingJoinAnswers } from "../helpers/room-lossy.js";

const dir = mkdtempSync(join(tmpdir(), "rlt-room-join-cli-"));

/** A loopback port that was free a moment ago: a server took it and let it go. */
async function portNobodyListensOn(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("rootlab room join, typed again after its answer was lost", () => {
  it("is one student: the second try sends the key the first one kept", async () => {
    const room = await roomLosingJoinAnswers(join(dir, "room.jsonl"), 1);
    const env = { XDG_STATE_HOME: join(dir, "ada-state") };
    const roomJson = join(dir, "ada-state", "rootlab", "room.json");
    try {
      const first = await runCli(["room", "join", room.join, "--name", "Ada"], { env });
      expect(first.code, first.stderr).toBe(1);
      expect(first.stderr).toMatch(/cannot reach the room[\s\S]*run the same command again/);
      // The room made the student, the runner never heard: the key is kept, no token yet.
      expect(room.service.room.students.size).toBe(1);
      const kept = JSON.parse(readFileSync(roomJson, "utf8")) as { key?: string; token?: string };
      expect(kept.key).toMatch(/^[A-Za-z0-9_-]{22,}$/);
      expect(kept.token).toBeUndefined();
      const status = await runCli(["room", "status"], { env });
      expect(status.stdout).toMatch(/as "Ada" \(not joined yet: the room has not answered\)/);

      const second = await runCli(["room", "join", room.join, "--name", "Ada"], { env });
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout).toMatch(/Joined the room at .* as "Ada"/);
      const students = [...room.service.room.students.values()];
      expect(students.map((s) => s.name)).toEqual(["Ada"]);
      const joined = JSON.parse(readFileSync(roomJson, "utf8")) as { key: string; student: string; token: string };
      expect(joined).toMatchObject({ key: kept.key, student: students[0]!.id });
      expect(room.service.studentFor(joined.token)?.id).toBe(students[0]!.id);

      // A wrong room code is refused: nothing is made, and the room the student was in stays theirs.
      const wrong = await runCli(["room", "join", room.join.replace(/\/r\/.*/, "/r/NotTheCode123"), "--name", "Ada"], { env });
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toMatch(/refused to let you join: wrong room code/);
      expect(wrong.stderr).not.toMatch(/run the same command again/);
      expect(JSON.parse(readFileSync(roomJson, "utf8"))).toEqual(joined);
      expect(room.service.room.students.size).toBe(1);

      // A corrected name: the same student, renamed (not a second row the instructor has to ignore).
      const renamed = await runCli(["room", "join", room.join, "--name", "Ada L."], { env });
      expect(renamed.code, renamed.stderr).toBe(0);
      expect([...room.service.room.students.values()].map((s) => [s.id, s.name])).toEqual([[students[0]!.id, "Ada L."]]);

      // A mistyped port (nothing listens there): the student stays in the room they are in, told so. It used to
      // take the new address, and the right command typed next made a second "Ada L." on the dashboard.
      const before = readFileSync(roomJson, "utf8");
      const typo = room.join.replace(/:\d+\//, `:${await portNobodyListensOn()}/`);
      const unreachable = await runCli(["room", "join", typo, "--name", "Ada L."], { env });
      expect(unreachable.code).toBe(1);
      expect(unreachable.stderr).toMatch(/cannot reach the room at .* \(ECONNREFUSED\)/);
      expect(unreachable.stderr).toContain(`You are still in the room at ${room.join.replace(/\/r\/.*/, "")} as "Ada L."; this join was not kept.`);
      expect(readFileSync(roomJson, "utf8")).toBe(before);
      const again = await runCli(["room", "join", room.join, "--name", "Ada L."], { env });
      expect(again.code, again.stderr).toBe(0);
      expect(room.service.room.students.size).toBe(1);
    } finally {
      await room.close();
    }
  });

  it("a refused first join leaves no room behind", async () => {
    const room = await roomLosingJoinAnswers(join(dir, "room2.jsonl"), 0);
    const env = { XDG_STATE_HOME: join(dir, "bo-state") };
    try {
      const res = await runCli(["room", "join", room.join.replace(/\/r\/.*/, "/r/NotTheCode123"), "--name", "Bo"], { env });
      expect(res.code).toBe(1);
      expect(existsSync(join(dir, "bo-state", "rootlab", "room.json"))).toBe(false);
      expect((await runCli(["room", "status"], { env })).stdout).toMatch(/You are in no room/);
    } finally {
      await room.close();
    }
  });
});

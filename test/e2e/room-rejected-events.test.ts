// A runner never loses a whole batch for one event: against a real `rootlab room serve` on loopback, an event the
// room rejects is dropped alone (with the room's reason, kept on the client) and an event with a field this room
// does not know is kept; against an older room, which answers a whole post 400 for one such event, the runner sends
// the post again one event at a time, so only that event is lost. The older room is played by a loopback server
// that answers as rooms before per-event answers did (a post with one event it would not take: 400, nothing counted).
import { afterAll, describe, expect, it } from "vitest";
import { once } from "node:events";
import { createServer, type IncomingMessage } from "node:http";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { joinAs, roomJson, serveRoom } from "../helpers/room.js";
import { RoomClient } from "../../src/room/client/client.js";
import { parseJoin } from "../../src/room/client/join.js";

const dir = mkdtempSync(join(tmpdir(), "rlt-room-rejected-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("one rejected event of a batch", () => {
  it("is dropped alone with the room's reason; the others are counted, a field the room does not know is ignored", async () => {
    const data = join(dir, "room.jsonl");
    const room = await serveRoom(["--port", "0", "--data", data]);
    try {
      const joined = await joinAs(room, "Lin");
      const client = new RoomClient({ dir: join(dir, "lin") }, { ...parseJoin(room.join), name: "Lin", ...joined });
      client.send({ kind: "hint", lab: "chroot", step: 0 });
      client.send({ kind: "hint", lab: "chroot", step: -1 });
      client.send({ kind: "hint", lab: "chroot", step: 1, newerField: "from a newer runner" } as never);
      client.send({ kind: "step-passed", lab: "chroot", step: 1 });
      expect(await client.flush(10_000)).toBe(0);
      client.close();
      expect((await roomJson(room)).events).toBe(3);
      expect(client.rejected).toHaveLength(1);
      // The index is the event's place in the post it went in (the first event may go alone, before the others are sent).
      expect(client.rejected[0]!.error).toMatch(/^events\/\d\/step must be >= 0$/);
      expect(client.rejected[0]!.id).toMatch(/-2$/);
      expect(readFileSync(data, "utf8")).not.toContain("newerField");
    } finally {
      await room.stop();
    }
  });
});

/** Events as a room before per-event answers judged them: these fields only, a step never negative. */
const OLD_FIELDS = new Set(["id", "at", "kind", "lab", "step"]);
const oldRoomTakes = (e: Record<string, unknown>) => Object.keys(e).every((k) => OLD_FIELDS.has(k)) && Number(e.step) >= 0;

async function bodyOf(req: IncomingMessage): Promise<{ events: Record<string, unknown>[] }> {
  let text = "";
  for await (const chunk of req) text += String(chunk);
  return JSON.parse(text) as { events: Record<string, unknown>[] };
}

describe("an older room that answers a whole post 400 for one event", () => {
  it("gets the post again one event at a time: only the event it refuses is lost", async () => {
    const counted: string[] = [];
    const posts: number[] = [];
    const older = createServer((req, res) => {
      void bodyOf(req).then(({ events }) => {
        posts.push(events.length);
        res.setHeader("content-type", "application/json");
        if (!events.every(oldRoomTakes)) {
          res.statusCode = 400;
          res.end(JSON.stringify({ error: "body/events/1 must NOT have additional properties" }));
          return;
        }
        counted.push(...events.map((e) => String(e.id)));
        res.end(JSON.stringify({ accepted: events.length, duplicates: 0 }));
      });
    });
    older.listen(0, "127.0.0.1");
    await once(older, "listening");
    const { port } = older.address() as { port: number };
    try {
      // Three events an ended run left in the outbox (PID 2^22+1 is above pid_max: that run is gone): the new
      // run's client adopts them and sends them in one post.
      const outbox = join(dir, "kim", "room-outbox");
      mkdirSync(outbox, { recursive: true });
      const events = [{ kind: "hint", step: 0 }, { kind: "hint", step: 1, newerField: 1 }, { kind: "step-passed", step: 1 }];
      writeFileSync(join(outbox, "4194305-abcd1234.jsonl"), events.map((e, i) => `${JSON.stringify({ room: "older", ev: { id: `left-${i + 1}`, at: 1, lab: "chroot", ...e } })}\n`).join(""));
      const membership = { base: `http://127.0.0.1:${port}`, code: "older", name: "Kim", token: "t", student: "s" } as never;
      const client = new RoomClient({ dir: join(dir, "kim") }, membership);
      expect(await client.flush(15_000)).toBe(0);
      client.close();
      expect(counted.map((id) => id.replace(/^.*-/, ""))).toEqual(["1", "3"]);
      expect(client.rejected.map((r) => r.error)).toEqual(["the room answered 400: body/events/1 must NOT have additional properties"]);
      // The whole post first, then one by one; later posts are whole again.
      expect(posts[0]).toBe(3);
      expect(posts.slice(1)).toEqual([1, 1, 1]);
    } finally {
      older.close();
    }
  });
});

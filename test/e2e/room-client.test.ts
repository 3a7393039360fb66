// The student's side: the outbox on disk while the room is down, delivery once it is back (counted once),
// adoption of what an ended run left, and `verify --room` whose finished run is in the room when it returns.
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { joinAs, roomJson, serveRoom } from "../helpers/room.js";
import { RoomClient } from "../../src/room/client/client.js";
import { parseJoin } from "../../src/room/client/join.js";
import { GuidedRoomLink } from "../../src/room/client/guided-room.js";
import { runCli, ROOT } from "../helpers/cli.js";
import { describeAsRoot } from "../helpers/root.js";

const dir = mkdtempSync(join(tmpdir(), "rlt-room-client-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the outbox", () => {
  it("keeps events on disk while the room is down and delivers them, once, when it is back", async () => {
    const data = join(dir, "outbox-room.jsonl");
    let room = await serveRoom(["--port", "0", "--data", data]);
    const port = new URL(room.url).port;
    const joined = await joinAs(room, "Lin");
    await room.stop();

    const studentDir = { dir: join(dir, "lin") };
    const client = new RoomClient(studentDir, { ...parseJoin(room.join), name: "Lin", ...joined });
    // send() returns at once (nothing to await): the lab never waits for the network; the event is on disk already.
    for (let i = 0; i < 5; i++) expect(client.send({ kind: "hint", lab: "chroot", step: i })).toBeUndefined();
    const outbox = join(studentDir.dir, "room-outbox");
    const files = readdirSync(outbox).filter((f) => f.endsWith(".jsonl"));
    expect(files).toHaveLength(1);
    expect(readFileSync(join(outbox, files[0]!), "utf8").trim().split("\n")).toHaveLength(5);
    expect(await client.flush(300)).toBe(5);

    room = await serveRoom(["--port", port, "--data", data]);
    try {
      expect(await client.flush(10_000)).toBe(0);
      expect(readdirSync(outbox)).toEqual([]);
      const r = await roomJson(room);
      expect(r.events).toBe(5);
      expect(r.students.find((s) => s.name === "Lin")?.labs[0]?.steps).toHaveLength(5);
    } finally {
      client.close();
      await room.stop();
    }
  });

  it("a new run adopts what an ended run left unsent (for the same room only)", async () => {
    const room = await serveRoom(["--port", "0", "--data", join(dir, "adopt.jsonl")]);
    try {
      const joined = await joinAs(room, "Kim");
      const target = parseJoin(room.join);
      const outbox = join(dir, "kim", "room-outbox");
      mkdirSync(outbox, { recursive: true });
      const line = (roomCode: string, id: string) => JSON.stringify({ room: roomCode, ev: { id, at: 1, kind: "hint", lab: "chroot", step: 0 } });
      // PID 2^22+1 is above Linux's pid_max: that run is certainly gone.
      writeFileSync(join(outbox, "4194305-abcd1234.jsonl"), `${line(target.code, "left-1")}\n${line(target.code, "left-2")}\n${line("another-room", "x")}\n{"cut sho`);
      const client = new RoomClient({ dir: join(dir, "kim") }, { ...target, name: "Kim", ...joined });
      expect(client.pending).toBe(2);
      expect(await client.flush(10_000)).toBe(0);
      client.close();
      expect((await roomJson(room)).events).toBe(2);
    } finally {
      await room.stop();
    }
  });
});

describe("the pace gate, seen from a guided runner", () => {
  const lab = { meta: { id: "chroot" } } as never;
  const step = { index: 2, title: "Enter" } as never;

  it("is open when the room cannot be reached (the student goes on at once)", async () => {
    const room = await serveRoom(["--port", "0", "--data", join(dir, "gate-down.jsonl")]);
    const joined = await joinAs(room, "Noor");
    await room.stop();
    const client = new RoomClient({ dir: join(dir, "noor") }, { ...parseJoin(room.join), name: "Noor", ...joined });
    const said: string[] = [];
    await new GuidedRoomLink(client).waitForStep(lab, step, (l) => said.push(l), new AbortController().signal);
    expect(said).toEqual([]);
    client.close();
  });

  it("holds the step until the instructor releases it", async () => {
    const room = await serveRoom(["--port", "0", "--data", join(dir, "gate.jsonl")]);
    try {
      const joined = await joinAs(room, "Ravi");
      const put = (released: number | null) =>
        fetch(`${room.url}/api/gate`, { method: "PUT", headers: { "content-type": "application/json", authorization: `Bearer ${room.instructorToken}` }, body: JSON.stringify({ lab: "chroot", released }) });
      await put(2);
      const client = new RoomClient({ dir: join(dir, "ravi") }, { ...parseJoin(room.join), name: "Ravi", ...joined });
      const said: string[] = [];
      let announced!: () => void;
      const told = new Promise<void>((resolve) => (announced = resolve));
      const say = (line: string) => {
        said.push(line);
        announced();
      };
      let released = false;
      let resolvedWhileHeld = false;
      const waiting = new GuidedRoomLink(client).waitForStep(lab, step, say, new AbortController().signal).then(() => {
        if (!released) resolvedWhileHeld = true;
      });
      await told; // the runner says it waits before the instructor acts
      expect(said[0]).toContain('has not released step 3 ("Enter") yet');
      released = true;
      await put(null);
      await waiting;
      expect(resolvedWhileHeld).toBe(false);
      expect(said.at(-1)).toBe("The instructor released step 3; going on.");
      client.close();
    } finally {
      await room.stop();
    }
  });
});

describeAsRoot("verify --room", () => {
  const lab = join(ROOT, "test/fixtures/labs/good/minimal.md");
  it("the finished run is in the room when verify returns; a run while the room is down is sent by the next run", async () => {
    const data = join(dir, "verify-room.jsonl");
    let room = await serveRoom(["--port", "0", "--data", data]);
    const port = new URL(room.url).port;
    const env = { XDG_STATE_HOME: join(dir, "verify-student") };
    try {
      // The instructor holds the room before step 1 of this lab: verify never waits at the pace gate.
      const gate = await fetch(`${room.url}/api/gate`, { method: "PUT", headers: { "content-type": "application/json", authorization: `Bearer ${room.instructorToken}` }, body: JSON.stringify({ lab: "minimal", released: 0 }) });
      expect(gate.status).toBe(200);
      const first = await runCli(["verify", lab, "--room", room.join, "--name", "Vera"], { env });
      expect(first.code, first.stderr).toBe(0);
      let r = await roomJson(room);
      expect(r.students.map((s) => s.labs[0])).toMatchObject([{ id: "minimal", stepsDone: 3, stepsTotal: 3 }]);
      // Untimed: lab-started, 3 × step-passed, lab-finished; no step has a time to weigh on the room's medians.
      expect(r.events).toBe(5);
      expect(r.students[0]!.labs[0]!.steps.map((st) => (st as { ms?: number }).ms)).toEqual([undefined, undefined, undefined]);
      const afterFirst = r.events;

      await room.stop();
      const offline = await runCli(["verify", lab, "--room", room.join], { env });
      expect(offline.code, offline.stderr).toBe(0);
      expect(offline.stderr).toMatch(/update\(s\) for the room could not be sent yet .*kept and sent by your next rootlab run/);

      room = await serveRoom(["--port", port, "--data", data]);
      const next = await runCli(["verify", lab, "--room", room.join], { env });
      expect(next.code, next.stderr).toBe(0);
      r = await roomJson(room);
      expect(r.students).toHaveLength(1);
      expect(r.events).toBe(afterFirst * 3);
    } finally {
      await room.stop();
    }
  });
});

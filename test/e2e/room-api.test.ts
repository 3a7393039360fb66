// The room's HTTP API against a real `rootlab room serve` on loopback: hostile and malformed input (each a
// 4xx with a reason, nothing changed, the server still serving), auth, rate limits, the gate's long poll,
// the VM box with range requests, and a server killed with SIGKILL losing nothing and counting nothing twice.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { joinAs, roomJson, serveRoom, type ServedRoom } from "../helpers/room.js";

const dir = mkdtempSync(join(tmpdir(), "rlt-room-api-"));
let room: ServedRoom;
let ada: { token: string; student: string };
const box = join(dir, "lab.box");
const boxBytes = Buffer.from(Array.from({ length: 100_000 }, (_, i) => i % 251));

beforeAll(async () => {
  writeFileSync(box, boxBytes);
  room = await serveRoom(["--port", "0", "--data", join(dir, "room.jsonl"), "--title", "API test", "--box", box]);
  ada = await joinAs(room, "Ada");
});
afterAll(async () => {
  await room?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const ev = (over: Record<string, unknown> = {}) => ({ id: `e${Math.random().toString(36).slice(2)}`, at: Date.now(), kind: "step-started", lab: "chroot", step: 0, ...over });

async function call(method: string, path: string, opts: { token?: string; body?: unknown; raw?: string; type?: string } = {}) {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const body = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  if (body !== undefined) headers["content-type"] = opts.type ?? "application/json";
  const res = await fetch(`${room.url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  return { status: res.status, text: await res.text() };
}

describe("hostile and malformed input: a 4xx with the reason, nothing changed, still serving", () => {
  const student = () => ada.token;
  const cases: { name: string; method: string; path: string; token?: () => string; body?: unknown; raw?: string; type?: string; status: number; says: RegExp }[] = [
    { name: "events without a token", method: "POST", path: "/api/events", body: { events: [ev()] }, status: 401, says: /missing Authorization/ },
    { name: "events with a made-up token", method: "POST", path: "/api/events", token: () => "forged", body: { events: [ev()] }, status: 401, says: /unknown student token/ },
    { name: "malformed JSON", method: "POST", path: "/api/events", token: student, raw: '{"events": [', status: 400, says: /not valid JSON/ },
    { name: "a JSON array, not an object", method: "POST", path: "/api/events", token: student, body: [ev()], status: 400, says: /must be object/ },
    { name: "no events", method: "POST", path: "/api/events", token: student, body: { events: [] }, status: 400, says: /fewer than 1/ },
    { name: "an event that is not an object", method: "POST", path: "/api/events", token: student, body: { events: [ev(), 5] }, status: 400, says: /events\/1 must be object/ },
    { name: "too many events in one post", method: "POST", path: "/api/events", token: student, body: { events: Array.from({ length: 101 }, () => ev()) }, status: 400, says: /more than 100/ },
    { name: "a body over the size limit", method: "POST", path: "/api/events", token: student, raw: JSON.stringify({ events: [ev({ kind: "hand", commands: ["x".repeat(70_000)] })] }), status: 413, says: /too large/i },
    { name: "a text/plain body", method: "POST", path: "/api/events", token: student, raw: "hello", type: "text/plain", status: 415, says: /Unsupported Media Type/i },
    { name: "join with the wrong room code", method: "POST", path: "/api/join", body: { room: "wrong-code-123", name: "Eve" }, status: 403, says: /wrong room code/ },
    { name: "join with a blank name", method: "POST", path: "/api/join", body: { room: "x", name: "   " }, status: 400, says: /name must match/ },
    { name: "join with a NUL in the name", method: "POST", path: "/api/join", body: { room: "x", name: "Ada\u0000" }, status: 400, says: /name must match/ },
    { name: "join with a right-to-left override in the name", method: "POST", path: "/api/join", body: { room: "x", name: "\u202eadA" }, status: 400, says: /name must match/ },
    { name: "join with a name too long", method: "POST", path: "/api/join", body: { room: "x", name: "n".repeat(61) }, status: 400, says: /more than 60/ },
    { name: "join with a __proto__ key", method: "POST", path: "/api/join", raw: '{"room":"x","name":"a","__proto__":{"admin":true}}', status: 400, says: /not valid JSON/ },
    { name: "the room without a token", method: "GET", path: "/api/room", status: 401, says: /instructor token/ },
    { name: "the room with a student's token", method: "GET", path: "/api/room", token: student, status: 403, says: /wrong instructor token/ },
    { name: "the feed with a student's token", method: "GET", path: "/api/feed", token: student, status: 403, says: /wrong instructor token/ },
    { name: "the gate set by a student", method: "PUT", path: "/api/gate", token: student, body: { lab: "chroot", released: 0 }, status: 403, says: /wrong instructor token/ },
    { name: "the gate asked without a step", method: "GET", path: "/api/gate?lab=chroot", token: student, status: 400, says: /needs \?lab/ },
    { name: "a join page with the wrong code", method: "GET", path: "/r/not-the-code", status: 404, says: /Wrong room code/ },
    { name: "a path out of the ui folder", method: "GET", path: "/ui/..%2F..%2Fpackage.json", status: 404, says: /no such file/ },
    { name: "a page that does not exist", method: "GET", path: "/admin", status: 404, says: /no such page/ },
  ];
  for (const c of cases)
    it(c.name, async () => {
      const before = await roomJson(room);
      const r = await call(c.method, c.path, { ...(c.token ? { token: c.token() } : {}), ...(c.body !== undefined ? { body: c.body } : {}), ...(c.raw !== undefined ? { raw: c.raw } : {}), ...(c.type ? { type: c.type } : {}) });
      expect(r.status, r.text).toBe(c.status);
      expect(r.text).toMatch(c.says);
      const after = await roomJson(room);
      expect(after.events).toBe(before.events);
      expect(after.students.length).toBe(before.students.length);
    });
});

describe("one bad event of a post is rejected with its reason; the rest of the post counts", () => {
  const cases: { name: string; event: Record<string, unknown>; says: RegExp }[] = [
    { name: "an unknown kind", event: ev({ kind: "rm-rf" }), says: /events\/1\/kind "rm-rf" is not a kind this room knows \(one of: lab-started, /  },
    { name: "a kind that is not a string", event: ev({ kind: 7 }), says: /events\/1\/kind must be a string/ },
    { name: "pass as a string", event: ev({ kind: "check", check: "x", pass: "true" }), says: /events\/1\/pass must be boolean/ },
    { name: "a check without its pass", event: ev({ kind: "check", check: "x" }), says: /events\/1 must have required property 'pass'/ },
    { name: "a negative step", event: ev({ step: -1 }), says: /events\/1\/step must be >= 0/ },
    { name: "a fractional step", event: ev({ step: 1.5 }), says: /events\/1\/step must be integer/ },
    { name: "an event id with spaces", event: ev({ id: "a b" }), says: /events\/1\/id must match/ },
    { name: "a lab id with a control character", event: ev({ lab: "a\u001b[31m" }), says: /events\/1\/lab must match/ },
  ];
  for (const c of cases)
    it(c.name, async () => {
      const before = await roomJson(room);
      const good = ev({ kind: "hint" });
      const r = await call("POST", "/api/events", { token: ada.token, body: { events: [good, c.event] } });
      expect(r.status, r.text).toBe(200);
      const body = JSON.parse(r.text) as { accepted: number; duplicates: number; rejected: { index: number; id?: string; error: string }[] };
      expect(body.accepted).toBe(1);
      expect(body.rejected).toHaveLength(1);
      expect(body.rejected[0]!.index).toBe(1);
      expect(body.rejected[0]!.error).toMatch(c.says);
      expect((await roomJson(room)).events).toBe(before.events + 1);
      // The good event was counted: sent again, it is a duplicate.
      expect(JSON.parse((await call("POST", "/api/events", { token: ada.token, body: { events: [good] } })).text)).toEqual({ accepted: 0, duplicates: 1 });
    });

  it("a post whose every event is rejected changes nothing and says why for each", async () => {
    const before = await roomJson(room);
    const r = await call("POST", "/api/events", { token: ada.token, body: { events: [ev({ step: -1 }), ev({ kind: "x" })] } });
    expect(r.status).toBe(200);
    const body = JSON.parse(r.text) as { accepted: number; rejected: { index: number }[] };
    expect(body.accepted).toBe(0);
    expect(body.rejected.map((x) => x.index)).toEqual([0, 1]);
    expect((await roomJson(room)).events).toBe(before.events);
  });

  it("a field this room does not know (a newer runner's) is ignored and the event kept, without the field", async () => {
    const before = await roomJson(room);
    const e = ev({ kind: "check", check: "the veth is up", pass: true, output: "secret", durationMs: 12 });
    const r = await call("POST", "/api/events", { token: ada.token, body: { events: [e] } });
    expect(r.status, r.text).toBe(200);
    expect(JSON.parse(r.text)).toEqual({ accepted: 1, duplicates: 0 });
    expect((await roomJson(room)).events).toBe(before.events + 1);
    const data = readFileSync(join(dir, "room.jsonl"), "utf8");
    expect(data).toContain(e.id as string);
    expect(data).not.toContain("secret");
    expect(data).not.toContain("durationMs");
  });
});

describe("students, events and the instructor", () => {
  it("counts an event once however often it is posted", async () => {
    const e = ev({ kind: "hint" });
    const first = await call("POST", "/api/events", { token: ada.token, body: { events: [e, e] } });
    const again = await call("POST", "/api/events", { token: ada.token, body: { events: [e] } });
    expect(JSON.parse(first.text)).toEqual({ accepted: 1, duplicates: 1 });
    expect(JSON.parse(again.text)).toEqual({ accepted: 0, duplicates: 1 });
  });

  it("limits each student's rate without slowing the others", async () => {
    const eve = await joinAs(room, "Eve");
    const statuses = await Promise.all(Array.from({ length: 90 }, () => call("POST", "/api/events", { token: eve.token, body: { events: [ev({ kind: "hint" })] } }).then((r) => r.status)));
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
    expect((await call("POST", "/api/events", { token: ada.token, body: { events: [ev({ kind: "hint" })] } })).status).toBe(200);
  });

  it("the gate's long poll answers as soon as the instructor releases the step", async () => {
    const closed = await call("PUT", "/api/gate", { token: room.instructorToken, body: { lab: "gated", released: 1 } });
    expect(closed.status).toBe(200);
    expect(JSON.parse((await call("GET", "/api/gate?lab=gated&step=0", { token: ada.token })).text)).toEqual({ open: true, released: 1 });
    const waiting = call("GET", "/api/gate?lab=gated&step=1&wait=20", { token: ada.token });
    const early = await Promise.race([waiting.then(() => "answered"), call("GET", "/api/gate?lab=gated&step=1", { token: ada.token }).then(() => "not yet")]);
    expect(early).toBe("not yet");
    await call("PUT", "/api/gate", { token: room.instructorToken, body: { lab: "gated", released: 2 } });
    expect(JSON.parse((await waiting).text)).toEqual({ open: true, released: 2 });
  });

  it("exports the room as JSON and each student as JUnit", async () => {
    const all = JSON.parse((await call("GET", "/api/export", { token: room.instructorToken })).text) as { exportedAt: string; students: unknown[] };
    expect(all.exportedAt).toMatch(/^\d{4}-/);
    const xml = await call("GET", `/api/export/junit/${ada.student}`, { token: room.instructorToken });
    expect(xml.status).toBe(200);
    expect(xml.text).toContain('<testsuites name="Ada">');
  });
});

describe("the VM box", () => {
  const sha = createHash("sha256").update(boxBytes).digest("hex");
  it("is served with its sha256, and resumes with a range request", async () => {
    expect((await call("GET", "/box/lab.box.sha256")).text).toBe(`${sha}  lab.box\n`);
    const res = await fetch(`${room.url}/box/lab.box`, { headers: { range: "bytes=1000-1999" } });
    expect(res.status).toBe(206);
    expect(res.headers.get("content-range")).toBe(`bytes 1000-1999/${boxBytes.length}`);
    expect(Buffer.from(await res.arrayBuffer()).equals(boxBytes.subarray(1000, 2000))).toBe(true);
    const whole = await fetch(`${room.url}/box/lab.box`);
    expect(createHash("sha256").update(Buffer.from(await whole.arrayBuffer())).digest("hex")).toBe(sha);
    expect((await fetch(`${room.url}/box/lab.box`, { headers: { range: "bytes=200000-" } })).status).toBe(416);
  });
  it("the join page shows the commands to add it and to join", async () => {
    const page = (await call("GET", `/r/${room.code}`)).text;
    expect(page).toContain(`--checksum ${sha} ${room.url}/box/lab.box`);
    // rootlab named as the CLI that serves it was run (npx rootlab under npx, node …/bin/rootlab.js by path).
    expect(page).toMatch(/sudo (npx rootlab|node \S*bin\/rootlab\.js) room join /);
    expect(page).toContain(` room join ${room.join} --name`);
  });
});

describe("a server killed with SIGKILL", () => {
  it("comes back with the same room, the same counts, and counts re-sent events once", async () => {
    const data = join(dir, "crash.jsonl");
    let r = await serveRoom(["--port", "0", "--data", data]);
    const ids = Array.from({ length: 30 }, (_, i) => `crash-${i}`);
    const grace = await joinAs(r, "Grace");
    const post = (rr: ServedRoom, batch: string[]) =>
      fetch(`${rr.url}/api/events`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${grace.token}` }, body: JSON.stringify({ events: batch.map((id) => ev({ id, kind: "hint" })) }) });
    expect((await post(r, ids.slice(0, 20))).status).toBe(200);
    const before = { join: r.join, token: r.instructorToken };
    await r.stop("SIGKILL");
    r = await serveRoom(["--port", "0", "--data", data]);
    try {
      expect(r.join.split("/r/")[1]).toBe(before.join.split("/r/")[1]);
      expect(r.instructorToken).toBe(before.token);
      expect((await roomJson(r)).events).toBe(20);
      // The runner did not hear back about 15..19 (say) and sends them again with the rest.
      const res = (await (await post(r, ids.slice(15))).json()) as { accepted: number; duplicates: number };
      expect(res).toEqual({ accepted: 10, duplicates: 5 });
      expect((await roomJson(r)).events).toBe(30);
    } finally {
      await r.stop();
    }
  });
});

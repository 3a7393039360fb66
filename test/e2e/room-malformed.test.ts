// The room against clients that misbehave (issue: malformed inputs), over real HTTP to `rootlab room serve` on
// loopback: requests sent too slowly (slowloris) are cut off by the server's own deadlines; one student cannot
// grow the room without bound; events out of order or sent twice are counted once and leave a sane room;
// thousands of clients joining and idling at once leave it answering, in bounded memory. Every refusal is a 4xx
// with {"error": reason} and changes nothing (room-api.test.ts has the per-field schema rows).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { joinAs, roomJson, serveRoom, type ServedRoom } from "../helpers/room.js";

const dir = mkdtempSync(join(tmpdir(), "rlt-room-malformed-"));
let room: ServedRoom;

beforeAll(async () => {
  room = await serveRoom(["--port", "0", "--bind", "127.0.0.1", "--data", join(dir, "room.jsonl"), "--title", "Malformed"]);
});
afterAll(async () => {
  await room?.stop();
  rmSync(dir, { recursive: true, force: true });
});

let seq = 0;
/** An event; kinds without a step (lab-started, lab-finished, quit) get none (the room would drop it as a field it does not know). */
const ev = (over: Record<string, unknown>) => {
  const e: Record<string, unknown> = { id: `m${++seq}`, at: Date.now(), kind: "step-started", lab: "chroot", step: 0, ...over };
  if (["lab-started", "lab-finished", "quit"].includes(String(e.kind))) delete e.step;
  return e;
};

async function post(token: string, events: unknown[]) {
  const res = await fetch(`${room.url}/api/events`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({ events }) });
  return { status: res.status, body: (await res.json()) as { error?: string; accepted?: number; duplicates?: number } };
}

/** A raw TCP client: sends `first`, then whatever `more` returns every `everyMs`; resolves with the answer's status line and when the server closed. */
function rawClient(first: string, opts: { trickle?: string; everyMs?: number } = {}): Promise<{ status: string; closedAfterMs: number }> {
  const port = Number(new URL(room.url).port);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(port, "127.0.0.1", () => socket.write(first));
    let answer = "";
    const timer = opts.trickle ? setInterval(() => socket.writable && socket.write(opts.trickle!), opts.everyMs ?? 1000) : undefined;
    socket.on("data", (d) => (answer += d.toString()));
    socket.on("error", reject);
    socket.on("close", () => {
      clearInterval(timer);
      resolve({ status: answer.split("\r\n")[0] ?? "", closedAfterMs: Date.now() - started });
    });
  });
}

describe("slow clients are cut off by the server's deadlines (slowloris)", () => {
  it("headers that never end: 408 after the headers deadline (10 s)", { timeout: 30_000 }, async () => {
    const r = await rawClient("GET / HTTP/1.1\r\nHost: x\r\n", { trickle: "X-Slow: 1\r\n", everyMs: 1000 });
    expect(r.status).toBe("HTTP/1.1 408 Request Timeout");
    expect(r.closedAfterMs).toBeGreaterThanOrEqual(9_000);
  });

  it("a body sent a byte at a time: 408 after the request deadline (30 s)", { timeout: 60_000 }, async () => {
    const r = await rawClient("POST /api/join HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{", { trickle: " ", everyMs: 1000 });
    expect(r.status).toBe("HTTP/1.1 408 Request Timeout");
    expect(r.closedAfterMs).toBeGreaterThanOrEqual(29_000);
  });

  it("the dashboard's feed is an answer, not a request: it stays open past both deadlines' checks", async () => {
    const controller = new AbortController();
    const res = await fetch(`${room.url}/api/feed`, { headers: { authorization: `Bearer ${room.instructorToken}` }, signal: controller.signal });
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('"type":"snapshot"');
    controller.abort();
  });
});

describe("one student cannot grow the room without bound", () => {
  it("a post that would make a student's labs more than 50 is refused whole (413), then 50 fit", async () => {
    const s = await joinAs(room, "Many Labs");
    const before = await roomJson(room);
    const sixty = Array.from({ length: 60 }, (_, i) => ev({ lab: `lab-${i}` }));
    const refused = await post(s.token, sixty);
    expect(refused.status).toBe(413);
    expect(refused.body.error).toMatch(/at most 50 labs per student \(this student has 0, the post adds 60\); nothing of this post was counted/);
    expect((await roomJson(room)).events).toBe(before.events);
    expect((await post(s.token, sixty.slice(0, 50))).body).toEqual({ accepted: 50, duplicates: 0 });
    expect((await post(s.token, sixty.slice(50, 51))).status).toBe(413);
    expect((await post(s.token, [ev({ lab: "lab-7", step: 1 })])).status).toBe(200); // a lab it has: fine
  });

  it("different checks past 1000 are refused; the same checks again are not", async () => {
    const s = await joinAs(room, "Many Checks");
    for (let k = 0; k < 10; k++) {
      const r = await post(s.token, Array.from({ length: 100 }, (_, i) => ev({ kind: "check", check: `c${k}-${i}`, pass: false })));
      expect(r.status, r.body.error).toBe(200);
    }
    expect((await post(s.token, [ev({ kind: "check", check: "one more", pass: false })])).body.error).toMatch(/at most 1000 different checks per student/);
    expect((await post(s.token, [ev({ kind: "check", check: "c3-3", pass: true })])).status).toBe(200);
  });
});

describe("events out of order, replayed, or about steps that do not exist", () => {
  it("are counted once and leave a readable room", async () => {
    const s = await joinAs(room, "Out Of Order");
    const passedFirst = ev({ kind: "step-passed", lab: "ooo", step: 2 });
    const events = [passedFirst, ev({ kind: "lab-started", lab: "ooo", title: "OOO", steps: ["a", "b", "c"] }), ev({ kind: "step-started", lab: "ooo", step: 1 }), ev({ kind: "check", lab: "ooo", step: 199, check: "late", pass: true }), ev({ kind: "lab-finished", lab: "ooo", passed: true }), ev({ kind: "step-started", lab: "ooo", step: 0 })];
    expect((await post(s.token, events)).body).toEqual({ accepted: 6, duplicates: 0 });
    expect((await post(s.token, [...events].reverse())).body).toEqual({ accepted: 0, duplicates: 6 });
    expect((await post(s.token, [passedFirst, passedFirst])).body).toEqual({ accepted: 0, duplicates: 2 });
    const me = (await roomJson(room)).students.find((x) => x.id === s.student)!;
    const lab = me.labs.find((l) => l.id === "ooo")!;
    expect(lab.stepsTotal).toBe(200); // step 199 reported: the lab grows to it, never beyond the schema's 200
    expect(lab.steps[0]!.status).toBe("working");
  });

  it.each<[string, string, number, RegExp]>([
    ["the gate asked with two labs", "/api/gate?lab=a&lab=b&step=0", 400, /needs \?lab=<id>&step=/],
    ["the gate asked with two steps", "/api/gate?lab=a&step=0&step=1", 400, /needs \?lab=<id>&step=/],
    ["the gate asked with step=abc", "/api/gate?lab=a&step=abc", 400, /needs \?lab=<id>&step=/],
  ])("%s", async (_name, path, status, says) => {
    const s = await joinAs(room, "Gate Asker");
    const res = await fetch(`${room.url}${path}`, { headers: { authorization: `Bearer ${s.token}` } });
    expect(res.status).toBe(status);
    expect(await res.text()).toMatch(says);
  });

  it.each<[string, string, Record<string, string>, number, RegExp]>([
    ["an encoded path out of the ui folder", "/ui/%2e%2e/%2e%2e/package.json", {}, 404, /no such/],
    ["a path out of the box folder", "/box/..%2f..%2fetc%2fpasswd", {}, 404, /no such/],
    ["a NUL in a file name", "/ui/room/app.js%00.html", {}, 404, /no such/],
    ["a 20 000-character URL", `/${"a".repeat(20_000)}`, {}, 431, /Header Fields Too Large/],
    ["Basic instead of Bearer", "/api/room", { authorization: "Basic YTpi" }, 401, /missing Authorization: Bearer <instructor token>/],
    ["the token twice", "/api/room", { authorization: "Bearer a b" }, 401, /missing Authorization: Bearer/],
  ])("%s", async (_name, path, headers, status, says) => {
    const res = await fetch(`${room.url}${path}`, { headers });
    expect(res.status).toBe(status);
    expect(await res.text()).toMatch(says);
  });
});

describe("a thousand students joining at once, and two thousand idle connections", () => {
  it("every join is answered (201, or 429 with Retry-After), the room keeps answering, memory stays bounded", { timeout: 120_000 }, async () => {
    const joins = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        fetch(`${room.url}/api/join`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ room: room.code, name: `Student ${i}` }) }).then((r) => ({ status: r.status, retry: r.headers.get("retry-after") })),
      ),
    );
    expect(joins.filter((j) => j.status !== 201 && j.status !== 429)).toEqual([]);
    expect(joins.filter((j) => j.status === 201).length).toBeGreaterThan(0);
    expect(joins.filter((j) => j.status === 429).every((j) => Number(j.retry) >= 1)).toBe(true);

    const port = Number(new URL(room.url).port);
    const idle = Array.from({ length: 2000 }, () => {
      const s = net.connect(port, "127.0.0.1", () => s.write("GET / HTTP/1.1\r\nHost: x\r\n"));
      s.on("error", () => undefined);
      return s;
    });
    try {
      await Promise.all(idle.map((s) => new Promise((r) => (s.readyState === "open" ? r(undefined) : s.once("connect", r).once("error", r)))));
      const view = await roomJson(room);
      expect(view.students.length).toBeGreaterThanOrEqual(joins.filter((j) => j.status === 201).length);
      const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${room.child.pid}/status`, "utf8"))?.[1]);
      expect(rssKiB).toBeLessThan(400 * 1024);
    } finally {
      for (const s of idle) s.destroy();
    }
  });
});

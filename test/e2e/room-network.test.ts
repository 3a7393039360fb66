// A workshop on a real network: the room's server in its own network namespace, twenty students in twenty
// namespaces on a bridge (the bridge itself in a "switch" namespace: nothing is added to the host's network).
// Three students run a real lab with `verify --room` (one at a time: the run lock), one follows a lab in
// guided mode in a PTY, sixteen replay a recorded run through the runner's own client code. The server is
// killed (SIGKILL) and restarted in the middle. At the end the room counts exactly what the students sent.
import { afterAll, beforeAll, expect, it } from "vitest";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeAsRoot } from "../helpers/root.js";
import { BIN, collectOutput, ROOT, type CliResult } from "../helpers/cli.js";
import { serveRoom, type ServedRoom } from "../helpers/room.js";
import { Screen } from "./guided-driver.js";

const P = "rltroom"; // every namespace and link of this test starts with it
const SWITCH = `${P}-sw`;
const SERVER = `${P}-srv`;
const SUBNET = "10.231.200"; // rootlab's range; only inside the namespaces this test creates
const STUDENTS = Array.from({ length: 20 }, (_, i) => ({ ns: `${P}-s${String(i + 1).padStart(2, "0")}`, addr: `${SUBNET}.${11 + i}`, name: `student ${i + 1}` }));
const RECORDING = join(ROOT, "test/fixtures/room/netns-veth-verify.json");
const REPLAY = join(ROOT, "test/helpers/room-replay.mjs");
const LAB = join(ROOT, "test/fixtures/labs/good/minimal.md");

const dir = mkdtempSync(join(tmpdir(), "rlt-room-net-"));
const ip = (...args: string[]) => execFileSync("ip", args, { encoding: "utf8" });
const inNs = (ns: string) => ["ip", "netns", "exec", ns];

function plug(ns: string, addr: string, n: number): void {
  ip("netns", "add", ns);
  ip("link", "add", `${P}${n}`, "netns", SWITCH, "type", "veth", "peer", "name", "eth0", "netns", ns);
  ip("-n", SWITCH, "link", "set", `${P}${n}`, "master", "br0", "up");
  ip("-n", ns, "addr", "add", `${addr}/24`, "dev", "eth0");
  ip("-n", ns, "link", "set", "eth0", "up");
  ip("-n", ns, "link", "set", "lo", "up");
}

function teardown(): void {
  for (const ns of ip("netns", "list").split("\n").map((l) => l.split(" ")[0]!))
    if (ns.startsWith(P)) execFileSync("ip", ["netns", "del", ns]);
}

let room: ServedRoom;
const data = join(dir, "room.jsonl");
const serve = () => serveRoom(["--bind", `${SUBNET}.1`, "--port", "8080", "--data", data, "--title", "Network test"], { wrap: inNs(SERVER) });

/** A replaying student: a process in the student's namespace. Resolves to what it sent. */
function replay(s: (typeof STUDENTS)[number], join: string, struggle: number): Promise<{ sent: number; left: number; code: number | null; err: string }> {
  return new Promise((resolve) => {
    const child = spawn("ip", ["netns", "exec", s.ns, process.execPath, REPLAY, join, s.name, RECORDING, `${dir}/${s.ns}`, "400", String(struggle), "30000"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("close", (code) => resolve({ ...(JSON.parse(out.trim() || '{"sent":-1,"left":-1}') as { sent: number; left: number }), code, err }));
  });
}

/**
 * GET /api/room as seen from the server's namespace. The test process (in the host's namespace) never talks to
 * the room's address itself: the host has no route to it, and a request would leave by the default route.
 */
async function roomJson(r: ServedRoom): Promise<{ events: number; students: { name: string; events: number; labs: { id: string; stepsDone: number; stepsTotal: number; stuck: boolean; finished?: string }[] }[] }> {
  const script = `fetch(${JSON.stringify(`${r.url}/api/room`)}, { headers: { authorization: ${JSON.stringify(`Bearer ${r.instructorToken}`)} } }).then(async (res) => { if (!res.ok) process.exit(1); process.stdout.write(await res.text()); })`;
  return JSON.parse(execFileSync("ip", ["netns", "exec", SERVER, process.execPath, "-e", script], { encoding: "utf8" })) as never;
}

/** Waits (polling the room, with a deadline) until it has counted at least `n` events. */
async function untilEvents(n: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await roomJson(room)).events < n) {
    if (Date.now() > deadline) throw new Error(`the room did not reach ${n} events in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describeAsRoot("a workshop on a real network (20 students in 20 network namespaces)", () => {
  beforeAll(() => {
    teardown();
    ip("netns", "add", SWITCH);
    ip("-n", SWITCH, "link", "add", "br0", "type", "bridge");
    ip("-n", SWITCH, "link", "set", "br0", "up");
    plug(SERVER, `${SUBNET}.1`, 0);
    STUDENTS.forEach((s, i) => plug(s.ns, s.addr, i + 1));
  });
  afterAll(async () => {
    await room?.stop();
    teardown();
    rmSync(dir, { recursive: true, force: true });
  });

  it("counts exactly what the students sent, across a server crash", { timeout: 300_000 }, async () => {
    room = await serve();
    expect(room.url).toBe(`http://${SUBNET}.1:8080`);
    // The join page is reachable from a student's namespace (and only through the bridge).
    expect(execFileSync("ip", ["netns", "exec", STUDENTS[19]!.ns, process.execPath, "-e", `fetch(${JSON.stringify(room.join)}).then(r=>r.text()).then(t=>process.stdout.write(t))`], { encoding: "utf8" })).toMatch(/sudo (npx rootlab|node \S*bin\/rootlab\.js) room join /);

    const [v1, v2, v3] = STUDENTS;
    const verify = async (s: (typeof STUDENTS)[number]) => {
      const r = await cliIn(s.ns, ["verify", LAB, "--room", room.join, "--name", s.name], { XDG_STATE_HOME: join(dir, s.ns) });
      expect(r.code, r.stderr).toBe(0);
      return r;
    };
    const first = await verify(v1!);
    const replayers = STUDENTS.slice(4).map((s, i) => replay(s, room.join, i % 3));

    // Kill the server mid-way: replays are still sending; their outboxes keep what was not confirmed.
    // Early (v1's 5 and about 3 from each replay): polling the room from its namespace takes a while on a loaded
    // machine, and the replays keep sending meanwhile; the kill must still come before most of what they send.
    await untilEvents(5 + 50);
    const atKill = (await roomJson(room)).events;
    await room.stop("SIGKILL");
    room = await serve();

    await verify(v2!);
    // The guided student, in a PTY, in its namespace: runs all three steps of a real lab.
    const g = STUDENTS[3]!;
    const state = join(dir, g.ns);
    const s = new Screen(["start", "rlt8-netns", "--room", room.join, "--name", g.name], { ROOTLAB_DISPOSABLE: "1", ROOTLAB_LABS: join(ROOT, "test/fixtures/guided"), XDG_STATE_HOME: state, HOME: state }, 120, {
      file: "ip",
      args: ["netns", "exec", g.ns, process.execPath, BIN, "start", "rlt8-netns", "--room", room.join, "--name", g.name],
    });
    try {
      await s.waitFor("Step 1/3");
      for (const n of [1, 2, 3]) {
        await s.waitFor("? What now?");
        s.choose(0); // run it for me
        await s.waitFor(`Step ${n} done`);
        if (n < 3) await s.nextStep(`Step ${n + 1}/3`);
      }
      await s.waitFor("Cleaned up");
      expect((await s.exited).exitCode).toBe(0);
    } finally {
      await s.stop();
    }
    await verify(v3!);

    const replays = await Promise.all(replayers);
    for (const r of replays) expect(r, r.err).toMatchObject({ left: 0, code: 0 });
    expect(first.stderr).toContain(`Joined the room at ${room.url}`);

    const final = await roomJson(room);
    const byName = new Map(final.students.map((st) => [st.name, st]));
    expect(final.students).toHaveLength(20);
    STUDENTS.slice(4).forEach((st, i) => {
      const got = byName.get(st.name)!;
      expect(got.events, st.name).toBe(replays[i]!.sent);
      expect(got.labs[0]).toMatchObject({ id: "netns-veth", stepsDone: 6, stepsTotal: 6, stuck: false });
    });
    for (const v of [v1!, v2!, v3!]) {
      // lab-started, 3 × step-passed, lab-finished: verify sends no step-started (its seconds-long steps set no pace).
      expect(byName.get(v.name)!.events).toBe(5);
      expect(byName.get(v.name)!.labs[0]).toMatchObject({ id: "minimal", stepsDone: 3, stepsTotal: 3 });
    }
    expect(byName.get(g.name)!.labs[0]).toMatchObject({ id: "rlt8-netns", stepsDone: 3, stepsTotal: 3, finished: "passed" });
    const sent = replays.reduce((n, r) => n + r.sent, 0) + 3 * 5 + byName.get(g.name)!.events;
    expect(final.events).toBe(sent);
    // The crash really was mid-way: most events reached the room after it.
    expect(atKill).toBeLessThan(sent / 2);
    expect(ip("netns", "list")).not.toMatch(/rlt8-ns/);
  });
});

/** The real CLI with its process inside namespace `ns`: that namespace is the student's machine. */
function cliIn(ns: string, args: string[], env: Record<string, string>): Promise<CliResult> {
  return collectOutput(spawn("ip", ["netns", "exec", ns, process.execPath, BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: "1", ROOTLAB_DISPOSABLE: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] }));
}

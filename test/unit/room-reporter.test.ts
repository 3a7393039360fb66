// What the room hears of a run: engine events in → room events out. Never output, never what was typed.
import { describe, expect, it } from "vitest";
import { RunToRoom } from "../../src/room/client/reporter.js";
import { parseJoin } from "../../src/room/client/join.js";
import type { RunEvent } from "../../src/exec/types.js";
import { addStudent, applyEvent, newRoom } from "../../src/room/state.js";
import { roomView } from "../../src/room/view.js";
import type { RoomEvent } from "../../src/room/types.js";

const lab = { meta: { id: "chroot" }, title: "chroot", steps: [{ index: 0, title: "Build" }, { index: 1, title: "Enter" }] } as never;
const block = (over: object = {}) => ({ labId: "chroot", file: "x.md", stepIndex: 1, role: "verify", line: 40, session: "host", name: "the root has busybox", ...over });
const result = { kind: "ok", exitCode: 0, stdout: "SECRET OUTPUT", stderr: "", durationMs: 1 } as const;
const summary = (status: "pass" | "fail" | "skipped", reason = "") => ({ index: 1, title: "Enter", slug: "enter", outcome: status === "pass" ? { status } : { status, reason }, durationMs: 5 }) as never;
const labEnd = (status: "pass" | "fail") => ({ type: "lab-end", summary: { id: "chroot", title: "chroot", file: "x.md", outcome: status === "pass" ? { status } : { status, reason: "x" }, durationMs: 1, steps: [], leaks: [] } }) as RunEvent;

describe("run events → room events", () => {
  const cases: { name: string; events: RunEvent[]; out: unknown[] }[] = [
    { name: "lab start carries the step titles", events: [{ type: "lab-start", lab }], out: [{ kind: "lab-started", lab: "chroot", title: "chroot", steps: ["Build", "Enter"] }] },
    { name: "step start", events: [{ type: "step-start", labId: "chroot", step: { index: 1 } as never }], out: [{ kind: "step-started", lab: "chroot", step: 1 }] },
    { name: "a named check's result, without its output", events: [{ type: "check", block: block() as never, phase: "after", outcome: { status: "fail", reason: "exit 1" }, result, attempts: 1 }], out: [{ kind: "check", lab: "chroot", step: 1, check: "the root has busybox", pass: false }] },
    { name: "an unnamed check by its line", events: [{ type: "check", block: block({ name: undefined }) as never, phase: "after", outcome: { status: "pass" }, result, attempts: 1 }], out: [{ kind: "check", lab: "chroot", step: 1, check: "check at line 40", pass: true }] },
    { name: "a --strict before-check says nothing", events: [{ type: "check", block: block() as never, phase: "before", outcome: { status: "fail", reason: "x" }, result, attempts: 1 }], out: [] },
    { name: "output says nothing", events: [{ type: "output", block: block() as never, stream: "stdout", chunk: "SECRET" }], out: [] },
    { name: "step passed", events: [{ type: "step-end", labId: "chroot", summary: summary("pass") }], out: [{ kind: "step-passed", lab: "chroot", step: 1 }] },
    { name: "step skipped by the learner", events: [{ type: "step-end", labId: "chroot", summary: summary("skipped", "skipped by the learner") }], out: [{ kind: "step-skipped", lab: "chroot", step: 1 }] },
    { name: "a replayed step says nothing", events: [{ type: "step-end", labId: "chroot", summary: summary("skipped", "replayed to re-establish its state; checks not run (--from/--only)") }], out: [] },
    {
      name: "a step re-created on resume is done, never 'started'",
      events: [{ type: "step-start", labId: "chroot", step: { index: 1 } as never, replay: true }, { type: "step-end", labId: "chroot", summary: summary("skipped", "re-established (resume); checks not run") }],
      out: [{ kind: "step-passed", lab: "chroot", step: 1 }],
    },
    {
      name: "a re-creation that failed says nothing",
      events: [{ type: "step-start", labId: "chroot", step: { index: 1 } as never, replay: true }, { type: "step-end", labId: "chroot", summary: summary("fail", "exit 1") }],
      out: [],
    },
    { name: "lab finished", events: [labEnd("pass")], out: [{ kind: "lab-finished", lab: "chroot", passed: true }] },
    {
      name: "quit once, then no 'finished'",
      events: [{ type: "step-end", labId: "chroot", summary: summary("skipped", "the learner quit") }, labEnd("fail")],
      out: [{ kind: "quit", lab: "chroot" }],
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      const m = new RunToRoom();
      expect(c.events.flatMap((e) => m.map(e))).toEqual(c.out);
    });
});

describe("join strings", () => {
  const cases: { text: string; ok?: { base: string; code: string }; error?: RegExp }[] = [
    { text: "http://192.168.1.10:8080/r/AbCdEfGh12345678", ok: { base: "http://192.168.1.10:8080", code: "AbCdEfGh12345678" } },
    { text: " http://[::1]:9/r/AbCdEfGh12345678/ ", ok: { base: "http://[::1]:9", code: "AbCdEfGh12345678" } },
    { text: "192.168.1.10:8080/r/x", error: /must start with http/ },
    { text: "not a url", error: /must start with http/ },
    { text: "http://exa mple/r/AbCdEfGh12345678", error: /is not an address/ },
    { text: "http://h:1/dashboard", error: /has no room code/ },
    { text: "ftp://h/r/AbCdEfGh12345678", error: /must start with http/ },
  ];
  for (const c of cases)
    it(c.text, () => {
      if (c.ok) expect(parseJoin(c.text)).toMatchObject(c.ok);
      else expect(() => parseJoin(c.text)).toThrow(c.error);
    });
});

describe("room events fit the room's schema", () => {
  it("a long check name or title with control characters is cut and cleaned, not refused", () => {
    const long = { meta: { id: "l" }, title: `A\ttitle${"x".repeat(300)}`, steps: [{ index: 0, title: "ok" }] } as never;
    const [started] = new RunToRoom().map({ type: "lab-start", lab: long }) as unknown as [{ title: string }];
    expect(started.title.length).toBe(200);
    expect(started.title.startsWith("A title")).toBe(true);
    const [check] = new RunToRoom().map({ type: "check", block: block({ name: "n".repeat(400) }) as never, phase: "after", outcome: { status: "pass" }, result, attempts: 1 }) as unknown as [{ check: string }];
    expect(check.check).toHaveLength(300);
    expect(check.check.endsWith("…")).toBe(true);
  });
});

describe("verify runs do not set the room's pace", () => {
  // Three students verify the lab (seconds a step), then one works on step 1 in guided mode for ten minutes.
  function roomAfter(verifyTimed: boolean) {
    const room = newRoom("t");
    let n = 0;
    const feed = (student: string, mapper: RunToRoom, events: RunEvent[], at: number) => {
      for (const body of events.flatMap((e) => mapper.map(e))) applyEvent(room, { ...body, id: `e${++n}`, at, rx: at, student } as RoomEvent);
    };
    const stepStart = (index: number) => ({ type: "step-start", labId: "chroot", step: { index } }) as RunEvent;
    const stepEnd = (index: number) => ({ type: "step-end", labId: "chroot", summary: { index, title: "x", slug: "x", outcome: { status: "pass" }, durationMs: 1 } }) as never as RunEvent;
    for (const s of ["v1", "v2", "v3"]) {
      addStudent(room, s, s, 0);
      const m = new RunToRoom({ timed: verifyTimed });
      feed(s, m, [{ type: "lab-start", lab }, stepStart(0)], 1000);
      feed(s, m, [stepEnd(0)], 3000);
    }
    addStudent(room, "g", "g", 0);
    feed("g", new RunToRoom(), [{ type: "lab-start", lab }, stepStart(0)], 1000);
    return roomView(room, 1000 + 10 * 60_000);
  }

  it("untimed (as verify sends them): steps done without a time, no median, nobody stuck", () => {
    const view = roomAfter(false);
    expect(view.students.find((s) => s.id === "v1")!.labs[0]!.steps[0]).toMatchObject({ status: "done" });
    expect(view.students.find((s) => s.id === "v1")!.labs[0]!.steps[0]!.ms).toBeUndefined();
    expect(view.students.find((s) => s.id === "g")!.labs[0]!.stuck).toBe(false);
  });

  it("timed, they would make a 2-second median and the reading student stuck", () => {
    expect(roomAfter(true).students.find((s) => s.id === "g")!.labs[0]).toMatchObject({ stuck: true, stuckWhy: "10 min on step 1; the room's median is 2s" });
  });
});

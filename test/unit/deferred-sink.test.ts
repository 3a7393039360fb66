// The verify command's reporting lags one event-loop turn (src/report/deferred-sink.ts): in order, nothing lost,
// urgent events and flush() at once.
import { describe, expect, it } from "vitest";
import { deferredSink } from "../../src/report/deferred-sink.js";
import type { RunEvent } from "../../src/exec/types.js";

const interrupted: RunEvent = { type: "interrupted", signal: "SIGINT" };
const runEnd: RunEvent = { type: "run-end", labs: [], durationMs: 1 };
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("deferredSink", () => {
  it("hands events over in the next turn, not while the engine's chain of promises goes on", async () => {
    const seen: RunEvent["type"][] = [];
    const { emit } = deferredSink((e) => seen.push(e.type));
    emit({ type: "run-start", labs: [], strict: false });
    await Promise.resolve(); // the engine going on in microtasks (the next block's text is written there)
    await Promise.resolve();
    expect(seen).toEqual([]);
    await nextTurn();
    expect(seen).toEqual(["run-start"]);
  });

  it("delivers an urgent event at once, after what was queued before it", () => {
    const seen: RunEvent["type"][] = [];
    const { emit } = deferredSink((e) => seen.push(e.type));
    emit({ type: "run-start", labs: [], strict: false });
    emit(interrupted);
    expect(seen).toEqual(["run-start", "interrupted"]);
    emit(runEnd);
    expect(seen).toEqual(["run-start", "interrupted", "run-end"]);
  });

  it("flush() hands over everything now, and the turn that was scheduled then delivers nothing twice", async () => {
    const seen: RunEvent["type"][] = [];
    const { emit, flush } = deferredSink((e) => seen.push(e.type));
    emit({ type: "run-start", labs: [], strict: false });
    flush();
    expect(seen).toEqual(["run-start"]);
    await nextTurn();
    expect(seen).toEqual(["run-start"]);
  });

  it("keeps the order of many events emitted across turns", async () => {
    const seen: string[] = [];
    const { emit } = deferredSink((e) => seen.push(e.type === "run-start" ? (e.labs[0]?.id ?? "") : e.type));
    for (let i = 0; i < 50; i++) {
      emit({ type: "run-start", labs: [{ id: String(i), file: "" }], strict: false });
      if (i % 7 === 0) await nextTurn();
    }
    await nextTurn();
    expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => String(i)));
  });
});

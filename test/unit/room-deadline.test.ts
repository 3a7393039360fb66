// A room request's time limit (src/room/client/deadline.ts) must fire even after the garbage collector ran: Node
// 20 collects the timeout signal inside AbortSignal.any([…, AbortSignal.timeout(ms)]), and a request to a room that
// hangs then never ended. The collector is run here (v8's --expose-gc, set at run time) while the limit is pending.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { deadline } from "../../src/room/client/deadline.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

describe("a room request's time limit", () => {
  it("fires after the garbage collector ran, as a TimeoutError", async () => {
    const stop = new AbortController();
    const { signal, done } = deadline(200, stop.signal);
    const aborted = once(signal, "abort");
    // Collect while the limit is pending (an interval, not a sleep: the test waits on the abort event).
    const collecting = setInterval(gc, 20);
    try {
      await aborted;
    } finally {
      clearInterval(collecting);
      done();
    }
    expect((signal.reason as DOMException).name).toBe("TimeoutError");
  }, 10_000);

  it("ends at once with the reason of another signal (close(), the student's Ctrl-C)", () => {
    const stop = new AbortController();
    const { signal, done } = deadline(60_000, stop.signal);
    stop.abort();
    done();
    expect(signal.aborted).toBe(true);
    expect((signal.reason as DOMException).name).toBe("AbortError");
  });
});

// A request's time limit together with the signals that may end it sooner. Not AbortSignal.any([…,
// AbortSignal.timeout(ms)]): Node 20 lets the garbage collector take the timeout signal out of such a combination,
// and the request then never times out (a room that hangs held the outbox for ever). Here the timer holds the
// controller, and done() clears both the timer and the listeners.

export interface Deadline {
  readonly signal: AbortSignal;
  /** Clears the timer and stops listening to the other signals (call when the request settled). */
  done(): void;
}

export function deadline(ms: number, ...signals: AbortSignal[]): Deadline {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${ms} ms`, "TimeoutError")), ms);
  const unlisten: (() => void)[] = [];
  for (const s of signals) {
    if (s.aborted) controller.abort(s.reason);
    const onAbort = (): void => controller.abort(s.reason);
    s.addEventListener("abort", onAbort, { once: true });
    unlisten.push(() => s.removeEventListener("abort", onAbort));
  }
  return {
    signal: controller.signal,
    done() {
      clearTimeout(timer);
      for (const u of unlisten) u();
    },
  };
}

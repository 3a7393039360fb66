// Events handed to the reporters one event-loop turn later, in order. A block's status line arrives, the lab run
// judges the block and sends the next block's text within the same turn; formatting the finished block's report
// line (and the next one's start) then happens while the shell runs that next block, on the other core, instead of
// between the two blocks (issue 10: the engine's cost per block). Nothing is lost or reordered: `flush()` hands
// over what is queued at once, and must be called before anything else writes to the same terminal.
import type { EventSink, RunEvent } from "../exec/types.js";

export interface DeferredSink {
  emit: EventSink;
  /** Hands every queued event to the sink now (before a direct write to the terminal, and at the end). */
  flush(): void;
}

/** Events that must reach the reporters at once: someone is waiting to see them (Ctrl-C, the end of a lab). */
const URGENT: ReadonlySet<RunEvent["type"]> = new Set(["interrupted", "lab-end", "run-end"]);

export function deferredSink(sink: EventSink): DeferredSink {
  let queue: RunEvent[] = [];
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    const events = queue;
    queue = [];
    for (const e of events) sink(e);
  };
  const emit = (e: RunEvent): void => {
    queue.push(e);
    if (URGENT.has(e.type)) return flush();
    if (!scheduled) {
      scheduled = true;
      setImmediate(() => {
        if (scheduled) flush();
      });
    }
  };
  return { emit, flush };
}

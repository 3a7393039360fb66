// One post's events, judged one by one: a bad event is rejected with its reason and the rest of the post still
// counts (a runner never loses a whole batch for one event), and a field this room does not know — a newer
// runner's — is dropped while the event is kept (an older room never loses a newer runner's events).
import { eventKindSchemas } from "./schema.js";
import type { StudentEvent } from "./types.js";

/** An event the room did not take: where it was in the post, its id if it had one, and why. */
export interface RejectedEvent {
  index: number;
  id?: string;
  error: string;
}

/** Checks a value against a JSON Schema: undefined when it fits, else the first reason (`step must be >= 0`). */
export type Validate = (schema: object, value: unknown) => string | undefined;

const KINDS = Object.keys(eventKindSchemas);

/** The events of a post the room takes (known fields only) and those it rejects, with the reason for each. */
export function sortEvents(events: readonly unknown[], validate: Validate): { good: StudentEvent[]; rejected: RejectedEvent[] } {
  const good: StudentEvent[] = [];
  const rejected: RejectedEvent[] = [];
  events.forEach((raw, index) => {
    const e = (raw ?? {}) as Record<string, unknown>;
    const id = typeof e.id === "string" && e.id.length <= 64 ? e.id : undefined;
    const reject = (error: string) => rejected.push({ index, ...(id !== undefined ? { id } : {}), error: `events/${index}${error}` });
    const schema = typeof e.kind === "string" && Object.hasOwn(eventKindSchemas, e.kind) ? eventKindSchemas[e.kind] : undefined;
    if (!schema) {
      reject(`/kind ${typeof e.kind === "string" ? `"${e.kind.slice(0, 40)}" is not a kind this room knows` : "must be a string"} (one of: ${KINDS.join(", ")})`);
      return;
    }
    const problem = validate(schema, e);
    if (problem !== undefined) {
      reject(problem);
      return;
    }
    // Only the fields this room knows are kept: the rest is a newer runner's, and would only grow the data file.
    const kept: Record<string, unknown> = {};
    for (const key of Object.keys(schema.properties)) if (Object.hasOwn(e, key)) kept[key] = e[key];
    good.push(kept as StudentEvent);
  });
  return { good, rejected };
}

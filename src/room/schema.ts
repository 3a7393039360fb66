// The wire schema (JSON Schema, enforced by fastify's Ajv): anything else is answered 400 with the reason — except
// one event of a post, which is judged alone (an event with a field this room does not know keeps its known fields;
// a bad one is rejected with its reason while the rest of the post counts: events.ts). Limits keep one student
// from filling the instructor's memory or page.

export const LIMITS = {
  /** Bytes of one request body. */
  bodyBytes: 64 * 1024,
  eventsPerPost: 100,
  nameChars: 60,
  labChars: 100,
  checkChars: 300,
  detailChars: 4000,
  commands: 20,
  commandChars: 500,
  steps: 200,
  /**
   * What the room keeps of one student (a post over one of these is refused, 413): a student who does every lab
   * of rootlab twice sends about 2000 events, for 14 labs and about 150 checks. Without them one student's
   * runner (or script) could grow the room's memory and its dashboard without end.
   */
  eventsPerStudent: 20_000,
  labsPerStudent: 50,
  checksPerStudent: 1000,
} as const;

/**
 * No control characters (they would garble the page or a terminal reading the export), and no invisible
 * direction or zero-width marks (a name with U+202E RIGHT-TO-LEFT OVERRIDE shows as someone else's).
 */
const UNPRINTABLE = "\\u0000-\\u001f\\u007f-\\u009f\\u200b\\u200c\\u200e\\u200f\\u202a-\\u202e\\u2060\\u2066-\\u2069\\ufeff";
const PRINTABLE = `^[^${UNPRINTABLE}]*$`;
/** Printable and not blank: one visible character at least (a control character is not enough). */
const PRINTABLE_NOT_BLANK = `^[^${UNPRINTABLE}]*[^\\s${UNPRINTABLE}][^${UNPRINTABLE}]*$`;

const text = (max: number) => ({ type: "string", minLength: 1, maxLength: max, pattern: PRINTABLE }) as const;
const lab = text(LIMITS.labChars);
const step = { type: "integer", minimum: 0, maximum: LIMITS.steps - 1 } as const;

function kind(name: string, props: Record<string, unknown> = {}, required: string[] = []) {
  return {
    type: "object",
    // A newer runner may send more: the room keeps what it knows (events.ts drops the rest) rather than lose the event.
    additionalProperties: true,
    required: ["id", "at", "kind", "lab", ...required],
    properties: {
      id: { type: "string", pattern: "^[A-Za-z0-9_-]{1,64}$" },
      at: { type: "integer", minimum: 0, maximum: 1e15 },
      kind: { const: name },
      lab,
      ...props,
    },
  };
}

const withStep = (name: string, props: Record<string, unknown> = {}, required: string[] = []) => kind(name, { step, ...props }, ["step", ...required]);

/** Each kind of event's schema, by kind: one post's events are checked one by one against these. */
export const eventKindSchemas: Readonly<Record<string, { properties: Record<string, unknown> }>> = Object.fromEntries(
  [
    kind("lab-started", { title: text(200), steps: { type: "array", maxItems: LIMITS.steps, items: text(200) } }, ["title", "steps"]),
    withStep("step-started"),
    withStep("check", { check: text(LIMITS.checkChars), pass: { type: "boolean" } }, ["check", "pass"]),
    withStep("step-passed"),
    withStep("step-skipped"),
    withStep("hint"),
    withStep("solution"),
    kind("lab-finished", { passed: { type: "boolean" } }, ["passed"]),
    kind("quit"),
    withStep(
      "hand",
      {
        check: text(LIMITS.checkChars),
        detail: { type: "string", maxLength: LIMITS.detailChars },
        commands: { type: "array", maxItems: LIMITS.commands, items: { type: "string", maxLength: LIMITS.commandChars } },
      },
      ["commands"],
    ),
  ].map((schema) => [schema.properties.kind.const, schema]),
);

/** A post: 1–100 objects. What each object holds is judged per event (events.ts), not for the whole post. */
export const postEventsSchema = {
  type: "object",
  additionalProperties: false,
  required: ["events"],
  properties: { events: { type: "array", minItems: 1, maxItems: LIMITS.eventsPerPost, items: { type: "object" } } },
} as const;

export const joinSchema = {
  type: "object",
  additionalProperties: false,
  required: ["room", "name"],
  properties: {
    room: { type: "string", minLength: 1, maxLength: 100 },
    name: { ...text(LIMITS.nameChars), pattern: PRINTABLE_NOT_BLANK },
    // The runner's join key (base64url, 128 bits at least): the same key joins as the same student.
    key: { type: "string", minLength: 22, maxLength: 100, pattern: "^[A-Za-z0-9_-]+$" },
  },
} as const;

export const gateSchema = {
  type: "object",
  additionalProperties: false,
  required: ["lab", "released"],
  properties: { lab, released: { anyOf: [{ type: "integer", minimum: 0, maximum: LIMITS.steps }, { type: "null" }] } },
} as const;

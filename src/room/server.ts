// `rootlab room serve`'s HTTP server (fastify): the students' API, the instructor's API and feed, the pages, the
// VM box. Fastify because it validates bodies against JSON Schema (Ajv) with a 400 that names the field, caps
// body size (413), rejects bad JSON and content types (400/415) before our code sees them.
import { createServer } from "node:http";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { LIMITS, gateSchema, joinSchema, postEventsSchema } from "./schema.js";
import { RoomService } from "./service.js";
import { Feed } from "./feed.js";
import { RateLimiter } from "./rate-limit.js";
import { roomView } from "./view.js";
import { registerPages, type BoxInfo } from "./pages.js";
import { roomExport, studentJUnit } from "./export.js";
import { sortEvents, type Validate } from "./events.js";
import type { StudentRec } from "./state.js";

export interface ServerOptions {
  service: RoomService;
  box?: BoxInfo;
  /** How students run rootlab, for the join page ("sudo rootlab" unless said: the CLI names it as it was run). */
  rootlab?: string;
  /** Where log lines go (stderr in the CLI). */
  log: (line: string) => void;
  /** Requests per second (and burst) one student may make. */
  studentRate?: { perSecond: number; burst: number };
}

export interface RoomServer {
  app: FastifyInstance;
  feed: Feed;
  close(): Promise<void>;
}

/** Longest a client may take to send a request's headers, and the whole request (see createRoomServer). */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;

/** Longest a runner's gate request waits for a change before answering (it then asks again). */
export const GATE_WAIT_MAX_S = 25;

function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  const m = typeof h === "string" ? /^Bearer\s+(\S+)$/i.exec(h) : null;
  return m?.[1];
}

function deny(reply: FastifyReply, status: number, error: string) {
  return reply.code(status).send({ error });
}

export async function createRoomServer(opts: ServerOptions): Promise<RoomServer> {
  const { service, log } = opts;
  const app = Fastify({
    logger: false,
    bodyLimit: LIMITS.bodyBytes,
    // Stopping the room must not wait for browsers' and runners' idle keep-alive connections.
    forceCloseConnections: true,
    // A client that sends its request slowly (slowloris) holds a socket: the headers must arrive within 10 s, the
    // whole request (≤ 64 KiB) within 30 s, checked every second. Answers are not limited: the gate's long poll and
    // the dashboard's feed stay open, and a box download takes as long as it takes.
    serverFactory: (handler) => createServer({ headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: 1000, keepAliveTimeout: 30_000 }, handler),
    // No coercion, nothing silently removed: a body either fits the schema or is answered 400 with the reason.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: false, discriminator: true } },
  });
  // JSON only: any other body type is answered 415 rather than reaching a schema as a string.
  app.removeContentTypeParser("text/plain");
  const feed = new Feed(service);
  const studentLimit = new RateLimiter(opts.studentRate?.perSecond ?? 20, opts.studentRate?.burst ?? 60);
  // A whole class joining at once (the join address goes up on the projector) must get in at the first try.
  const joinLimit = new RateLimiter(50, 200);

  app.setErrorHandler((err: { statusCode?: number; message: string }, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) log(`room: internal error: ${err.message}`);
    return deny(reply, status, status === 500 ? "internal error (see the server's log)" : err.message);
  });
  app.setNotFoundHandler((req, reply) => deny(reply, 404, `no such page: ${req.method} ${req.url.split("?")[0]}`));
  app.addHook("onSend", async (_req, reply, payload) => {
    reply.header("x-content-type-options", "nosniff");
    reply.header("referrer-policy", "no-referrer");
    reply.header("content-security-policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'");
    return payload;
  });

  const instructor = async (req: FastifyRequest, reply: FastifyReply) => {
    const token = bearer(req);
    if (!token) return deny(reply, 401, "missing Authorization: Bearer <instructor token> (printed by `rootlab room serve`)");
    if (!service.isInstructor(token)) return deny(reply, 403, "wrong instructor token");
  };
  const studentOf = (req: FastifyRequest, reply: FastifyReply): StudentRec | undefined => {
    const token = bearer(req);
    const student = token ? service.studentFor(token) : undefined;
    if (!student) {
      void deny(reply, 401, token ? "unknown student token: join the room again (rootlab room join …)" : "missing Authorization: Bearer <student token> (from rootlab room join)");
      return undefined;
    }
    const wait = studentLimit.take(student.id, Date.now());
    if (wait > 0) {
      void reply.header("retry-after", String(wait));
      void deny(reply, 429, `too many requests from this student; retry in ${wait}s`);
      return undefined;
    }
    return student;
  };

  app.post<{ Body: { room: string; name: string; key?: string } }>("/api/join", { schema: { body: joinSchema } }, async (req, reply) => {
    const wait = joinLimit.take("join", Date.now());
    if (wait > 0) return deny(reply.header("retry-after", String(wait)), 429, `too many joins; retry in ${wait}s`);
    if (!service.isRoomCode(req.body.room)) return deny(reply, 403, "wrong room code: copy the join address from the instructor's screen again");
    const joined = await service.join(req.body.name, req.body.key);
    if (!joined) return deny(reply, 403, "the room is full");
    log(`room: ${JSON.stringify(req.body.name.trim())} joined`);
    return reply.code(201).send(joined);
  });

  app.post<{ Body: { events: unknown[] } }>("/api/events", { schema: { body: postEventsSchema } }, async (req, reply) => {
    const student = studentOf(req, reply);
    if (!student) return reply;
    // Each event alone, with the route's own Ajv (same options, compiled once per schema): `step must be >= 0`.
    const validate: Validate = (schema, value) => {
      const check = req.compileValidationSchema(schema);
      if (check(value)) return undefined;
      const first = check.errors?.[0];
      return `${first?.instancePath ?? ""} ${first?.message ?? "is not valid"}`;
    };
    const { good, rejected } = sortEvents(req.body.events, validate);
    const result = good.length > 0 ? await service.post(student, good) : { accepted: 0, duplicates: 0 };
    if ("refused" in result) return deny(reply, 413, `${result.refused}; nothing of this post was counted`);
    return rejected.length > 0 ? { ...result, rejected } : result;
  });

  app.get<{ Querystring: { lab?: string; step?: string; wait?: string } }>("/api/gate", async (req, reply) => {
    const student = studentOf(req, reply);
    if (!student) return reply;
    const { lab } = req.query;
    const step = Number(req.query.step);
    const wait = Math.min(GATE_WAIT_MAX_S, Math.max(0, Number(req.query.wait ?? 0) || 0));
    if (typeof lab !== "string" || !lab || !Number.isInteger(step) || step < 0) return deny(reply, 400, "needs ?lab=<id>&step=<0-based index>[&wait=<seconds>]");
    const answer = () => ({ open: service.gateAllows(lab, step), released: service.room.gate.get(lab) ?? null });
    if (answer().open || wait === 0) return answer();
    // Long poll: answer as soon as the gate changes, or after `wait` seconds.
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        stop();
        resolve(answer());
      };
      const stop = service.onChange((_s, roomChanged) => roomChanged && answer().open && done());
      const timer = setTimeout(done, wait * 1000);
      req.raw.on("close", done);
    });
  });

  app.get("/api/room", { preHandler: instructor }, async () => roomView(service.room, Date.now()));
  app.get("/api/feed", { preHandler: instructor }, async (_req, reply) => {
    reply.hijack();
    feed.add(reply.raw);
  });
  app.put<{ Body: { lab: string; released: number | null } }>("/api/gate", { preHandler: instructor, schema: { body: gateSchema } }, async (req) => {
    await service.setGate(req.body.lab, req.body.released);
    log(`room: gate ${req.body.lab}: ${req.body.released === null ? "open" : `${req.body.released} step(s) released`}`);
    return { lab: req.body.lab, released: req.body.released };
  });
  app.get("/api/export", { preHandler: instructor }, async () => roomExport(service.room, Date.now()));
  app.get<{ Params: { student: string } }>("/api/export/junit/:student", { preHandler: instructor }, async (req, reply) => {
    const s = service.room.students.get(req.params.student);
    if (!s) return deny(reply, 404, "no such student");
    return reply.type("application/xml; charset=utf-8").send(studentJUnit(s));
  });

  await registerPages(app, service, opts.box, opts.rootlab);
  return {
    app,
    feed,
    async close() {
      feed.close();
      await app.close();
      await service.close();
    },
  };
}

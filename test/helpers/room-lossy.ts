// Real rooms on loopback that misbehave as rooms do in a workshop, in-process so a test can steer them: one
// whose join answers are lost after the join was kept, and one as it was before join keys (its join schema has
// no `key`). Shared by the unit tests of the runner's join and the e2e tests of `rootlab room join`.
import Fastify from "fastify";
import { RoomService } from "../../src/room/service.js";
import { createRoomServer, type RoomServer } from "../../src/room/server.js";

export interface LossyRoom {
  service: RoomService;
  join: string;
  lostJoins(): number;
  close(): Promise<void>;
}

const joinAddress = (port: number, code: string) => `http://127.0.0.1:${port}/r/${code}`;

/** A real room whose first `lose` join answers never arrive (the join itself is on disk and counted). */
export async function roomLosingJoinAnswers(file: string, lose: number): Promise<LossyRoom> {
  const { service } = await RoomService.open(file, "t");
  const server: RoomServer = await createRoomServer({ service, log: () => undefined });
  let lost = 0;
  server.app.addHook("onSend", async (req, _reply, payload) => {
    // onSend runs after the handler: the join is on disk and counted. Closing the socket now loses only the answer.
    if (req.url === "/api/join" && lost < lose) {
      lost++;
      req.raw.socket.destroy();
    }
    return payload;
  });
  await server.app.listen({ host: "127.0.0.1", port: 0 });
  const { port } = server.app.server.address() as { port: number };
  return { service, join: joinAddress(port, service.code), lostJoins: () => lost, close: () => server.close() };
}

/**
 * The join endpoint of a room from before join keys, as it was: the same strict Ajv options as server.ts and the
 * schema without `key`, so a join carrying a key is answered 400 "body must NOT have additional properties".
 */
export async function roomBeforeJoinKeys(file: string): Promise<LossyRoom & { bodies: unknown[] }> {
  const { service } = await RoomService.open(file, "t");
  const app = Fastify({ logger: false, forceCloseConnections: true, ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: false } } });
  const bodies: unknown[] = [];
  const oldJoinSchema = {
    type: "object",
    additionalProperties: false,
    required: ["room", "name"],
    properties: { room: { type: "string", minLength: 1, maxLength: 100 }, name: { type: "string", minLength: 1, maxLength: 60 } },
  };
  // As server.ts answers every error: {"error": <the message>}.
  app.setErrorHandler((err: { statusCode?: number; message: string }, _req, reply) => reply.code(err.statusCode ?? 500).send({ error: err.message }));
  app.addHook("preValidation", async (req) => void bodies.push(req.body));
  app.post<{ Body: { room: string; name: string } }>("/api/join", { schema: { body: oldJoinSchema } }, async (req, reply) => {
    if (!service.isRoomCode(req.body.room)) return reply.code(403).send({ error: "wrong room code" });
    return reply.code(201).send(await service.join(req.body.name));
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const { port } = app.server.address() as { port: number };
  return {
    service,
    bodies,
    join: joinAddress(port, service.code),
    lostJoins: () => 0,
    async close() {
      await app.close();
      await service.close();
    },
  };
}

// A student's runner and a room that does not answer (the instructor's laptop asleep mid-request, a lost
// network): the run must end when its bounded wait is over, not when the request times out, and what the
// student is told names the room and why, not "fetch failed".
import { afterEach, describe, expect, it, vi } from "vitest";
import { createServer, type Server } from "node:http";
import { once } from "node:events";
import type { Socket } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RoomClient } from "../../src/room/client/client.js";
import { parseJoin } from "../../src/room/client/join.js";

const dirs: string[] = [];
const servers: Server[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function clientFor(port: number): RoomClient {
  const dir = mkdtempSync(join(tmpdir(), "rlt-room-hung-"));
  dirs.push(dir);
  return new RoomClient({ dir }, { ...parseJoin(`http://127.0.0.1:${port}/r/Code1234567890`), name: "Ada", token: "t".repeat(32), student: "s" });
}

/**
 * The client's requests as they start: each one's promise, the real fetch's. The test waits on these events (a
 * request started, a request settled) instead of on time, so a loaded machine only makes it slower.
 */
function watchRequests(): { next(): Promise<{ request: Promise<Response> }> } {
  const real = globalThis.fetch;
  const started: Promise<Response>[] = [];
  let wake: (() => void) | undefined;
  vi.spyOn(globalThis, "fetch").mockImplementation((...args: Parameters<typeof fetch>) => {
    const request = real(...args);
    started.push(request);
    wake?.();
    return request;
  });
  let taken = 0;
  return {
    async next() {
      while (started.length <= taken) await new Promise<void>((resolve) => (wake = resolve));
      return { request: started[taken++]! }; // wrapped: an async function would wait for a promise it returns
    },
  };
}

/** Settles after the client's own handling of the request (registered before this) has run. */
const settled = (request: Promise<Response>): Promise<unknown> => request.then(() => undefined, () => undefined);

describe("a room that does not answer", () => {
  it("close() ends the request in flight at once (the run does not wait out its 5 s time-out)", async () => {
    const requests = watchRequests();
    // Takes each request and never answers it.
    const server = createServer();
    const arrived = once(server, "request") as Promise<[{ socket: Socket }]>;
    servers.push(server);
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const client = clientFor((server.address() as { port: number }).port);
    client.send({ kind: "hint", lab: "chroot", step: 0 });
    const { request } = await requests.next();
    const [req] = await arrived; // the room holds the request: it is in flight
    const closed = once(req.socket, "close");
    client.close();
    await settled(request);
    // Ended by close() (AbortError), not by the request's time-out (TimeoutError, 5 s later).
    expect(client.lastProblem).toBe(`cannot reach the room at http://127.0.0.1:${(server.address() as { port: number }).port} (AbortError)`);
    await closed;
    expect(client.pending).toBe(1); // kept on disk for the next run
    // Broken (close() not ending the request), the request waits out its 5 s time-out and the cause is TimeoutError.
  }, 30_000);

  it("names the room and the reason when nothing listens there", async () => {
    const requests = watchRequests();
    const probe = createServer();
    probe.listen(0, "127.0.0.1");
    await once(probe, "listening");
    const port = (probe.address() as { port: number }).port;
    probe.close();
    await once(probe, "close");
    const client = clientFor(port);
    client.send({ kind: "hint", lab: "chroot", step: 0 });
    await settled((await requests.next()).request);
    client.close();
    expect(client.pending).toBe(1);
    expect(client.lastProblem).toBe(`cannot reach the room at http://127.0.0.1:${port} (ECONNREFUSED)`);
  });
});

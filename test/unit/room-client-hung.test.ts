// A student's runner and a room that does not answer (the instructor's laptop asleep mid-request, a lost
// network): the run must end when its bounded wait is over, not when the request times out, and what the
// student is told names the room and why, not "fetch failed".
import { afterEach, describe, expect, it } from "vitest";
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

describe("a room that does not answer", () => {
  it("close() ends the request in flight at once (the run does not wait out its 5 s time-out)", async () => {
    // Takes each request and never answers it.
    const requests: Socket[] = [];
    const server = createServer((req) => requests.push(req.socket));
    servers.push(server);
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const client = clientFor((server.address() as { port: number }).port);
    client.send({ kind: "hint", lab: "chroot", step: 0 });
    expect(await client.flush(200)).toBe(1);
    expect(requests).toHaveLength(1);
    const closed = once(requests[0]!, "close");
    const at = Date.now();
    client.close();
    await closed;
    expect(Date.now() - at).toBeLessThan(2000);
  });

  it("names the room and the reason when nothing listens there", async () => {
    const probe = createServer();
    probe.listen(0, "127.0.0.1");
    await once(probe, "listening");
    const port = (probe.address() as { port: number }).port;
    probe.close();
    await once(probe, "close");
    const client = clientFor(port);
    client.send({ kind: "hint", lab: "chroot", step: 0 });
    expect(await client.flush(300)).toBe(1);
    client.close();
    expect(client.lastProblem).toBe(`cannot reach the room at http://127.0.0.1:${port} (ECONNREFUSED)`);
  });
});

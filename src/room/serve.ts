// Starting a room: open (or resume) its data file, hash the box, listen, and work out the addresses to show.
import { readFileSync } from "node:fs";
import { networkInterfaces } from "node:os";
import { RoomService } from "./service.js";
import { createRoomServer, type RoomServer } from "./server.js";
import { describeBox } from "./box.js";
import { BLOCKED_PORTS, defaultRouteInterfaces, rankAddresses } from "./addresses.js";

export interface ServeOptions {
  port: number;
  bind: string;
  title: string;
  data: string;
  box?: string;
  /** How students run rootlab, for the join page (`sudo npx rootlab`: as the CLI names it on this terminal). */
  rootlab?: string;
  log: (line: string) => void;
}

export interface ServingRoom {
  server: RoomServer;
  /** Base URL students reach. */
  url: string;
  /** The exact string `--room` and `rootlab room join` take. */
  join: string;
  instructorToken: string;
  dashboard: string;
  /** Other addresses of this machine a wildcard bind also answers on. */
  otherUrls: string[];
  resumed: boolean;
  loopbackOnly: boolean;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

/**
 * This machine's non-loopback IPv4 addresses, the default route's interface first (read from the interfaces and
 * /proc/net/route; nothing is sent anywhere).
 */
export function lanAddresses(): string[] {
  const found = Object.entries(networkInterfaces()).flatMap(([iface, list]) => (list ?? []).filter((a) => a.family === "IPv4" && !a.internal).map((a) => ({ iface, address: a.address })));
  let routes = "";
  try {
    routes = readFileSync("/proc/net/route", "utf8");
  } catch {
    // Not Linux (an instructor's Mac): the system's order.
  }
  return rankAddresses(found, defaultRouteInterfaces(routes));
}

const hostPart = (addr: string) => (addr.includes(":") ? `[${addr}]` : addr);

export async function serveRoom(opts: ServeOptions): Promise<ServingRoom> {
  if (BLOCKED_PORTS.has(opts.port)) throw new Error(`port ${opts.port} is one that browsers and rootlab's runners refuse to connect to (a "bad port" of the Fetch standard): pick another with --port, e.g. 8080`);
  const box = opts.box
    ? await describeBox(opts.box, (done, size) => opts.log(`room: hashing the box: ${Math.round((100 * done) / size)}%`))
    : undefined;
  const { service, resumed, damaged } = await RoomService.open(opts.data, opts.title);
  if (damaged > 0) opts.log(`room: warning: ${damaged} unreadable line(s) in ${opts.data} were skipped`);
  const server = await createRoomServer({ service, log: opts.log, ...(box ? { box } : {}), ...(opts.rootlab ? { rootlab: opts.rootlab } : {}) });
  try {
    await server.app.listen({ port: opts.port, host: opts.bind });
  } catch (err) {
    await server.close();
    const e = err as NodeJS.ErrnoException;
    if (e.code === "EADDRINUSE") throw new Error(`port ${opts.port} on ${opts.bind} is already in use: pick another with --port N (or stop the other room)`);
    if (e.code === "EADDRNOTAVAIL" || e.code === "ENOTFOUND" || e.code === "EAI_AGAIN") throw new Error(`${opts.bind} is not an address of this machine: pass one of ${["127.0.0.1", "0.0.0.0", ...lanAddresses()].join(", ")} to --bind`);
    throw err;
  }
  const addr = server.app.server.address();
  const port = typeof addr === "object" && addr ? addr.port : opts.port;
  const wildcard = opts.bind === "0.0.0.0" || opts.bind === "::";
  const lan = wildcard ? lanAddresses() : [];
  const shown = wildcard ? (lan[0] ?? "127.0.0.1") : opts.bind;
  const url = `http://${hostPart(shown)}:${port}`;
  return {
    server,
    url,
    join: `${url}/r/${service.code}`,
    instructorToken: service.instructorToken,
    dashboard: `${url}/dashboard#token=${service.instructorToken}`,
    otherUrls: lan.slice(1).map((a) => `http://${a}:${port}`),
    resumed,
    loopbackOnly: LOOPBACK.has(opts.bind),
  };
}

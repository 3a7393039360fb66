#!/usr/bin/env node
// A simulated student for the room's network test: replays a recorded run through the runner's own client
// code (dist/room/client: connectRoom, RoomClient and its outbox), paced, then flushes with a bounded wait.
// Usage: room-replay.mjs JOIN NAME RECORDING STATE_DIR PACE_MS STRUGGLE FLUSH_MS
// STRUGGLE n: each check fails n times (with a hint each time) before it passes.
// Prints {"sent": N, "left": M} and exits 0 when nothing is left in the outbox.
import { readFileSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";

const [join, name, recording, stateDir, paceMs, struggle, flushMs] = process.argv.slice(2);
const { connectRoom } = await import(new URL("../../dist/room/client/connect.js", import.meta.url).href);
const client = await connectRoom({ dir: { dir: stateDir }, join, name, remembered: false, say: (l) => process.stderr.write(`${l}\n`) });
const events = [];
for (const e of JSON.parse(readFileSync(recording, "utf8")).events) {
  if (e.kind === "check" && e.pass)
    for (let i = 0; i < Number(struggle); i++) events.push({ ...e, pass: false }, { kind: "hint", lab: e.lab, step: e.step });
  events.push(e);
}
for (const e of events) {
  client.send(e);
  await delay(Number(paceMs));
}
const left = await client.flush(Number(flushMs));
client.close();
process.stdout.write(`${JSON.stringify({ sent: events.length, left })}\n`);
process.exitCode = left === 0 ? 0 : 1;

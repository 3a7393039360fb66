#!/usr/bin/env node
// Workshop room load benchmark (not a test): N simulated students each post one event per second for D seconds
// to a real `rootlab room serve` over loopback, while one dashboard reads the live feed. Measures the time from
// a POST being sent to the feed showing it (p50/p99), and the server's CPU and peak memory (from /proc).
// Targets: p99 ≤ 100 ms, memory ≤ 200 MB. BENCH_ROOM_STUDENTS (500) and BENCH_ROOM_SECONDS (60) override.
/* global AbortController, fetch, performance */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readFeed } from "../ui/room/feed-reader.js";
import { percentile } from "./stats.js";

const BIN = fileURLToPath(new URL("../bin/rootlab.js", import.meta.url));
const STUDENTS = Number(process.env.BENCH_ROOM_STUDENTS ?? 500);
const SECONDS = Number(process.env.BENCH_ROOM_SECONDS ?? 60);
const STEPS = 10;
const TICKS = 100; // USER_HZ: /proc/PID/stat counts CPU time in 1/100 s on Linux

function procStats(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const cpuTicks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { cpuMs: (cpuTicks * 1000) / TICKS, rssMb: kb("VmRSS") / 1024, hwmMb: kb("VmHWM") / 1024 };
}

async function startRoom(dir) {
  const child = spawn(process.execPath, [BIN, "room", "serve", "--json", "--port", "0", "--data", join(dir, "room.jsonl")], { stdio: ["ignore", "pipe", "ignore"] });
  const line = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      if (out.includes("\n")) resolve(out.split("\n")[0]);
    });
    child.on("exit", (c) => reject(new Error(`room serve exited ${c}`)));
  });
  return { child, ...JSON.parse(line) };
}

async function post(url, token, body) {
  let res = await send(url, token, body);
  // Joins are rate-limited (a class joining at once): wait as the room asks, like `rootlab room join`.
  while (res.status === 429) {
    await new Promise((r) => setTimeout(r, 1000 * (Number(res.headers.get("retry-after")) || 1)));
    res = await send(url, token, body);
  }
  const json = await res.json();
  if (!res.ok) throw new Error(`${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

function send(url, token, body) {
  return fetch(url, { method: "POST", headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
}

const dir = mkdtempSync(join(tmpdir(), "rootlab-room-bench-"));
const room = await startRoom(dir);
try {
  const code = room.join.split("/r/")[1];
  const students = [];
  for (let i = 0; i < STUDENTS; i++) students.push({ i, ...(await post(`${room.url}/api/join`, null, { room: code, name: `student ${i}` })), sent: 0 });
  const steps = Array.from({ length: STEPS }, (_, i) => `step ${i + 1}`);
  await Promise.all(students.map((s) => post(`${room.url}/api/events`, s.token, { events: [{ id: `s${s.i}-start`, at: Date.now(), kind: "lab-started", lab: "bench", title: "Bench", steps }] })));

  // The dashboard: the live feed; each patch holds the changed students, whose hint count says which POST it shows.
  const pending = new Map(); // `${student}:${hints}` → time the POST was sent
  const latencies = [];
  const serverSide = []; // POST sent → the server built the patch (the rest is delivery and this process)
  const stopFeed = new AbortController();
  const feed = await fetch(`${room.url}/api/feed`, { headers: { authorization: `Bearer ${room.instructorToken}` }, signal: stopFeed.signal });
  // Read as the dashboard reads it; the latency includes parsing the patch, as the page's does.
  const feeding = readFeed(feed.body, (msg) => {
    const now = performance.now();
    for (const st of msg.students ?? msg.room?.students ?? []) {
      const key = `${st.id}:${st.labs[0]?.steps[0]?.hints}`;
      const t0 = pending.get(key);
      if (t0 !== undefined) {
        latencies.push(now - t0);
        serverSide.push(msg.now - (performance.timeOrigin + t0));
        pending.delete(key);
      }
    }
  });

  const before = procStats(room.child.pid);
  let errors = 0;
  let peakRss = before.rssMb;
  const started = performance.now();
  const sends = [];
  for (let sec = 0; sec < SECONDS; sec++) {
    for (const s of students) {
      const due = started + sec * 1000 + (s.i * 1000) / STUDENTS;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const key = `${s.student}:${sec + 1}`;
      const ev = { id: `s${s.i}-${sec}`, at: Date.now(), kind: "hint", lab: "bench", step: 0 };
      pending.set(key, performance.now());
      s.sent++;
      sends.push(post(`${room.url}/api/events`, s.token, { events: [ev] }).catch(() => errors++));
    }
    peakRss = Math.max(peakRss, procStats(room.child.pid).rssMb);
  }
  await Promise.all(sends);
  const elapsed = (performance.now() - started) / 1000;
  const after = procStats(room.child.pid);
  const view = await (await fetch(`${room.url}/api/room`, { headers: { authorization: `Bearer ${room.instructorToken}` } })).json();
  stopFeed.abort();
  await feeding.catch(() => undefined);

  const sorted = latencies.sort((a, b) => a - b);
  const sent = students.reduce((n, s) => n + s.sent, 0);
  const cpu = (100 * (after.cpuMs - before.cpuMs)) / (elapsed * 1000);
  const ok = (c) => (c ? "OK" : "OVER TARGET");
  console.log(`room load — ${STUDENTS} students × 1 event/s × ${SECONDS} s over loopback, ${new Date().toISOString()}, node ${process.version}`);
  console.log(`  events sent ${sent} (+${STUDENTS} lab-started), errors ${errors}; counted by the room ${view.events} ${ok(view.events === sent + STUDENTS && errors === 0)}`);
  console.log(`  POST → feed: p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, max ${sorted.at(-1).toFixed(1)} ms over ${sorted.length} updates (target p99 ≤ 100 ms) ${ok(percentile(sorted, 99) <= 100)}`);
  const server = serverSide.sort((a, b) => a - b);
  console.log(`  of which POST → patch built on the server: p50 ${percentile(server, 50).toFixed(1)} ms, p99 ${percentile(server, 99).toFixed(1)} ms`);
  console.log(`  server CPU ${cpu.toFixed(0)}% of one core; memory peak ${Math.max(peakRss, after.hwmMb).toFixed(0)} MB (VmHWM), at the end ${after.rssMb.toFixed(0)} MB (target ≤ 200 MB) ${ok(after.hwmMb <= 200)}`);
} finally {
  room.child.kill("SIGTERM");
  await new Promise((r) => room.child.on("exit", r));
  rmSync(dir, { recursive: true, force: true });
}

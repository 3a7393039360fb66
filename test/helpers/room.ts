// A real `rootlab room serve` for tests: spawned from the built CLI, on loopback (or inside a netns via
// `wrap`), with its --json first line parsed. stop() kills it (SIGTERM, or SIGKILL to test crash recovery).
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { BIN, ROOT } from "./cli.js";

export interface ServedRoom {
  url: string;
  join: string;
  instructorToken: string;
  code: string;
  child: ChildProcess;
  stderr(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function serveRoom(args: string[], opts: { wrap?: string[]; env?: Record<string, string> } = {}): Promise<ServedRoom> {
  const argv = [...(opts.wrap ?? []), process.execPath, BIN, "room", "serve", "--json", ...args];
  const child = spawn(argv[0]!, argv.slice(1), { cwd: ROOT, env: { ...process.env, NO_COLOR: "1", ...opts.env }, stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  let out = "";
  const first = await new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf("\n");
      if (nl >= 0) resolve(out.slice(0, nl));
    });
    child.on("close", (code) => reject(new Error(`room serve exited (${code}) before listening:\n${err}`)));
  });
  const info = JSON.parse(first) as { url: string; join: string; instructorToken: string };
  const exited = once(child, "close");
  return {
    ...info,
    code: info.join.split("/r/")[1]!,
    child,
    stderr: () => err,
    async stop(signal: NodeJS.Signals = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

export async function roomJson(room: ServedRoom): Promise<{ students: { id: string; name: string; labs: { id: string; stepsDone: number; stepsTotal: number; stuck: boolean; steps: { status: string }[] }[] }[]; events: number; hands: unknown[] }> {
  const res = await fetch(`${room.url}/api/room`, { headers: { authorization: `Bearer ${room.instructorToken}` } });
  if (!res.ok) throw new Error(`GET /api/room: ${res.status} ${await res.text()}`);
  return (await res.json()) as never;
}

export async function joinAs(room: ServedRoom, name: string): Promise<{ token: string; student: string }> {
  const res = await fetch(`${room.url}/api/join`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ room: room.code, name }) });
  if (res.status !== 201) throw new Error(`join: ${res.status} ${await res.text()}`);
  return (await res.json()) as never;
}

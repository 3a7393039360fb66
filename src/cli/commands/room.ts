// `rootlab room serve|join|leave|status`: the workshop room (instructor's dashboard) and a student's membership.
import { join as joinPath } from "node:path";
import type { Command } from "../command.js";
import { UsageError } from "../../core/errors.js";
import { fitReport } from "../../term/help-wrap.js";
import { rootlabCommand, studentRootlab } from "../../core/rootlab-command.js";
import { rootlabAsRoot } from "../../host/paths.js";
import { studentDir } from "../room-options.js";
import { serveRoom } from "../../room/serve.js";
import { JoinError, joinRoom, newJoinKey, parseJoin } from "../../room/client/join.js";
import { forgetMembership, membershipFile, readMembership, writeMembership, type Membership } from "../../room/client/membership.js";
import { JOIN_TIMEOUT_MS } from "../../room/client/connect.js";

/** The help, naming rootlab as it was run (`npx rootlab`, `./bin/rootlab.js`, …): its commands are copied from it. */
const roomHelp = (cmd = rootlabCommand()) => `Usage: ${cmd} room serve [--port N] [--bind ADDR] [--title TEXT] [--data FILE] [--box FILE] [--json]
       ${cmd} room join <join> --name NAME
       ${cmd} room leave | status

A workshop room: the instructor's live dashboard of who is on which step, which checks fail across the room,
who is stuck and who raised a hand — fed by the students' runners, offline, on the room's own network.

  serve    (instructor, no root needed) Start the room and print the join address and the dashboard address.
           Binds to 127.0.0.1 unless --bind says otherwise; stops with Ctrl-C. The room is kept in --data, so
           stopping and starting it again continues the same room (same join address and token).
  join     (student) Join a room: later guided runs (\`sudo ${cmd}\`, \`sudo ${cmd} start\`) report to it.
  leave    (student) Stop reporting to the room.
  status   (student) Which room you are in, and how many updates wait to be sent.

Options (serve):
  --port <n>        TCP port (default 8080; 0 picks a free one)
  --bind <addr>     Address to listen on (default 127.0.0.1: this machine only). Use 0.0.0.0 (or this
                    machine's LAN address) to open the room to the students' network
  --title <text>    The room's title (default "rootlab workshop")
  --data <file>     Where the room is kept (default: room-server.jsonl beside your progress, in
                    $XDG_STATE_HOME/rootlab/, else ~/.local/state/rootlab/)
  --box <file>      Also serve the lab VM box, with its sha256 and resumable downloads; the join page shows how
  --json            First line on stdout: {"url","join","instructorToken"} once listening (logs go to stderr)
Options (join):
  --name <name>     How the instructor sees you
  -h, --help        Show this help

What the room hears: lab and step started, each named check's pass/fail, step passed or skipped, hints and
solutions used, lab finished or quit. Never what you type or what commands print — except what you send on
purpose with "Raise hand". See docs/room.md.

Examples:
  ${cmd} room serve --bind 0.0.0.0 --title "Containers from scratch"
  sudo ${cmd} room join http://192.168.1.10:8080/r/3kQ… --name "Ada L."
  sudo ${cmd} verify chroot --room http://192.168.1.10:8080/r/3kQ… --name "Ada L."`;

const str = (v: unknown) => (typeof v === "string" ? v : undefined);

/** The command a student types to join (students run rootlab as root, named as the instructor ran it). */
const joinCommand = (join: string, name: string) => `${studentRootlab()} room join ${join} --name "${name}"`;

/** A message to the person at the terminal: wrapped at words there, so none is cut mid-word. */
const say = (text: string) => process.stdout.write(`${process.stdout.isTTY ? fitReport(text, process.stdout.columns || 80) : text}\n`);

async function serve(values: Record<string, unknown>): Promise<number> {
  const port = values.port === undefined ? 8080 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port needs a port number (0–65535), got "${String(values.port)}".`);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  let room;
  try {
    room = await serveRoom({
      port,
      bind: str(values.bind) ?? "127.0.0.1",
      title: str(values.title) ?? "rootlab workshop",
      data: str(values.data) ?? joinPath(studentDir().dir, "room-server.jsonl"),
      ...(str(values.box) ? { box: str(values.box)! } : {}),
      // The join page names rootlab as this terminal does (the join line printed below).
      rootlab: studentRootlab(),
      log,
    });
  } catch (err) {
    throw new UsageError(`room serve: ${(err as Error).message}`);
  }
  if (values.json) process.stdout.write(`${JSON.stringify({ url: room.url, join: room.join, instructorToken: room.instructorToken })}\n`);
  // On a terminal the lines wrap at words (an address or a command stays whole), not where the terminal cuts them.
  const out = values.json ? log : (line: string) => process.stdout.write(`${process.stdout.isTTY ? fitReport(line, process.stdout.columns || 80) : line}\n`);
  out(`${room.resumed ? "Resumed" : "Opened"} the room at ${room.url}${room.resumed ? " (same join address and token as before)" : ""}.`);
  out("  Students join with (one line):");
  // Never wrapped by rootlab: a terminal only folds it on screen, so it is copied from the projector whole.
  const joinLine = `    ${joinCommand(room.join, "Their Name")}`;
  if (values.json) log(joinLine);
  else process.stdout.write(`${joinLine}\n`);
  out(`  Join page (commands${str(values.box) ? " and the VM box" : ""}):  ${room.join}`);
  out(`  Your dashboard (keep it to yourself: it holds your token):  ${room.dashboard}`);
  for (const other of room.otherUrls) out(`  Also reachable at ${other}`);
  if (room.loopbackOnly) out("Only this machine can reach it. To open it to the room's network: add --bind 0.0.0.0 (or this machine's LAN address) and allow TCP port " + new URL(room.url).port + " in your firewall.");
  out("Ctrl-C stops the room; starting it again continues it.");
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    process.once("SIGHUP", stop);
  });
  log("room: stopping (everything is kept in the data file)");
  await room.server.close();
  return 0;
}

async function join(positionals: string[], values: Record<string, unknown>): Promise<number> {
  if (positionals.length !== 1) throw new UsageError(`which room? Give the join address the instructor shows.\nExample: ${joinCommand("http://192.168.1.10:8080/r/3kQ…", "Ada L.")}`);
  const name = str(values.name)?.trim();
  if (!name) throw new UsageError('--name "Your Name" is needed: it is how the instructor sees you.');
  let target;
  try {
    target = parseJoin(positionals[0]!);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const dir = studentDir();
  // Joining the same room again keeps the join key: the room answers with that student (renamed, when the name
  // was corrected), never a second one.
  const known = await readMembership(dir);
  const same = known?.join === target.join ? known : undefined;
  const m: Membership = { ...same, ...target, name, key: same?.key ?? newJoinKey() };
  // The key is on disk before the join is sent: a join that times out may still have made the student, and the
  // same command typed again (or the next run) must send the same key to get that student, not a second one.
  await writeMembership(dir, m);
  try {
    Object.assign(m, await joinRoom(target, name, m.key!, JOIN_TIMEOUT_MS * 2));
  } catch (err) {
    const refused = err instanceof JoinError && err.refused;
    // Refused (wrong code, room full): no student was made; the student is where they were before.
    if (refused) await (known ? writeMembership(dir, known) : forgetMembership(dir));
    // Never reached from inside another room (a mistyped address, often): nothing was made there, and the room the
    // student is in stays theirs; taking the new address would leave them out of it, and a join typed again
    // with the right address would make a second student of the same name on the instructor's dashboard.
    const stay = !refused && err instanceof JoinError && !err.reached && known?.token !== undefined && !same ? known : undefined;
    if (stay) await writeMembership(dir, stay);
    const retry = stay
      ? `You are still in the room at ${stay.base} as "${stay.name}"; this join was not kept. Check the address, and run the command again when that room answers.`
      : `The room may have you already: run the same command again when it answers (you stay one student), or start your lab now — your runs join the room by themselves once it answers.`;
    const text = `rootlab room: ${(err as Error).message}${refused ? "" : `\n${retry}`}`;
    process.stderr.write(`${process.stderr.isTTY ? fitReport(text, process.stderr.columns || 80) : text}\n`);
    return 1;
  }
  await writeMembership(dir, m);
  const asNow = `${process.env.SUDO_USER ? "sudo " : ""}${rootlabCommand()}`;
  say(`Joined the room at ${target.base} as "${name}". Your guided runs now report to it (${rootlabAsRoot()}); \`${asNow} room leave\` stops that.`);
  return 0;
}

async function status(): Promise<number> {
  const dir = studentDir();
  const m = await readMembership(dir);
  if (!m) {
    say(`You are in no room. Join one with: ${joinCommand("<join address>", "Your Name")}`);
    return 0;
  }
  process.stdout.write(`In the room at ${m.base} as "${m.name}"${m.token ? "" : " (not joined yet: the room has not answered)"}.\nKept in ${membershipFile(dir)}.\n`);
  return 0;
}

export const command: Command = {
  name: "room",
  summary: "A workshop room: the instructor's live dashboard (serve) and students joining it (join)",
  get help() {
    return roomHelp();
  },
  allowPositionals: true,
  options: {
    port: { type: "string" },
    bind: { type: "string" },
    title: { type: "string" },
    data: { type: "string" },
    box: { type: "string" },
    json: { type: "boolean" },
    name: { type: "string" },
  },
  async run({ values, positionals }) {
    const [sub, ...rest] = positionals;
    switch (sub) {
      case "serve":
        if (rest.length) throw new UsageError(`room serve takes no arguments (got "${rest.join(" ")}").`);
        return serve(values);
      case "join":
        return join(rest, values);
      case "leave": {
        const had = await forgetMembership(studentDir());
        process.stdout.write(had ? "You left the room; your runs no longer report to it.\n" : "You were in no room.\n");
        return 0;
      }
      case "status":
        return status();
      default:
        throw new UsageError(`${sub ? `unknown subcommand "${sub}"` : "which subcommand?"}: expected serve, join, leave or status.\nRun \`${rootlabCommand()} room --help\` for the options.`);
    }
  },
};

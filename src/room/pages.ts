// The room's pages: the join page (what students type), the dashboard (static files in ui/room, fed by
// /api/feed), and the VM box with HTTP range requests (@fastify/static: Range, If-Range, HEAD, 416).
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import fastifyStatic from "@fastify/static";
import type { RoomService } from "./service.js";
import { boxCommands, type BoxInfo } from "./box.js";

export type { BoxInfo } from "./box.js";

const UI = fileURLToPath(new URL("../../ui/room/", import.meta.url));
const ASSETS: Record<string, string> = { "dashboard.js": "text/javascript; charset=utf-8", "feed-reader.js": "text/javascript; charset=utf-8", "dashboard.css": "text/css; charset=utf-8" };

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function page(title: string, body: string): string {
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><link rel="stylesheet" href="/ui/dashboard.css"></head>
<body class="doc"><main>${body}</main></body></html>\n`;
}

/**
 * The join page: the exact commands for this room, as the student's browser reached it, with rootlab named as
 * ROOTLAB (as `room serve` names it on the instructor's terminal: `sudo npx rootlab` when it was run with npx).
 */
export function joinPage(service: RoomService, baseUrl: string, box?: BoxInfo, rootlab = "sudo rootlab"): string {
  const join = `${baseUrl}/r/${service.code}`;
  const cmd = (lines: string[]) => `<pre><code>${lines.map(escapeHtml).join("\n")}</code></pre>`;
  const boxPart = box
    ? `<h2>1. Get the lab VM from the room (no internet needed)</h2>
<p>The box is ${escapeHtml(box.name)} (${(box.size / 1e6).toFixed(0)} MB), sha256 <code>${escapeHtml(box.sha256)}</code>. An interrupted download resumes.</p>
${cmd(boxCommands(box, baseUrl))}<p>Then <code>vagrant up</code> in the rootlab folder (<code>box: rootlab/lab</code> in lab-vm.yml).</p>
<h2>2. Join the room from your VM</h2>`
    : `<h2>Join the room from your lab VM</h2>`;
  // A libvirt lab VM has no route off the student's laptop (docs/vm.md): the room comes in over their ssh session.
  const u = new URL(baseUrl);
  const port = u.port || "80";
  const tunnel = `<p>On a libvirt lab VM (its network has no way out): connect with <code>vagrant ssh -- -R ${escapeHtml(`${port}:${u.hostname}:${port}`)}</code> and, in that session, join <code>${escapeHtml(`http://127.0.0.1:${port}/r/${service.code}`)}</code> instead.</p>`;
  return page(
    `Join ${service.room.title}`,
    `<h1>${escapeHtml(service.room.title)}</h1>${boxPart}
${cmd([`${rootlab} room join ${join} --name "Your Name"`, rootlab])}
${tunnel}
<p>rootlab then tells the instructor which step you are on and which checks pass — never what you type or see,
unless you choose <em>Raise hand</em> in a step's menu (it sends that step's failing check, its expected-vs-actual
and your last commands). <code>${escapeHtml(rootlab)} room leave</code> stops reporting.</p>`,
  );
}

/** The room's pages; ROOTLAB: how students run rootlab (`sudo npx rootlab`, as the instructor's terminal says). */
export async function registerPages(app: FastifyInstance, service: RoomService, box?: BoxInfo, rootlab?: string): Promise<void> {
  const dashboard = readFileSync(`${UI}dashboard.html`, "utf8");
  const assets = new Map(Object.keys(ASSETS).map((name) => [name, readFileSync(`${UI}${name}`, "utf8")]));
  const base = (host: string | undefined) => `http://${host ?? "localhost"}`;

  app.get("/", async (_req, reply) =>
    reply.type("text/html; charset=utf-8").send(page(service.room.title, `<h1>${escapeHtml(service.room.title)}</h1><p>A rootlab workshop room. Students: open the join address your instructor shows. Instructor: open the dashboard address that <code>rootlab room serve</code> printed.</p>`)),
  );
  app.get<{ Params: { code: string } }>("/r/:code", async (req, reply) => {
    if (!service.isRoomCode(req.params.code)) return reply.code(404).type("text/html; charset=utf-8").send(page("Wrong room code", "<h1>Wrong room code</h1><p>Copy the join address from the instructor's screen again.</p>"));
    return reply.type("text/html; charset=utf-8").send(joinPage(service, base(req.headers.host), box, rootlab));
  });
  // Browsers ask for it on every page: answered empty, so a console shows no error for it.
  app.get("/favicon.ico", async (_req, reply) => reply.code(204).send());
  app.get("/dashboard", async (_req, reply) => reply.type("text/html; charset=utf-8").header("cache-control", "no-store").send(dashboard));
  app.get<{ Params: { file: string } }>("/ui/:file", async (req, reply) => {
    const body = assets.get(req.params.file);
    if (body === undefined) return reply.code(404).send({ error: `no such file: ${req.params.file}` });
    return reply.type(ASSETS[req.params.file]!).send(body);
  });

  if (!box) return;
  await app.register(fastifyStatic, { root: dirname(box.file), serve: false, acceptRanges: true, etag: true, lastModified: true });
  app.get(`/box/${box.name}.sha256`, async (_req, reply) => reply.type("text/plain; charset=utf-8").send(`${box.sha256}  ${box.name}\n`));
  // GET also answers HEAD (fastify adds it), so a download tool can ask the size first.
  app.get(`/box/${box.name}`, (_req, reply) => reply.header("x-checksum-sha256", box.sha256).sendFile(box.file.slice(dirname(box.file).length + 1)));
}

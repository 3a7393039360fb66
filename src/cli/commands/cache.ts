// rootlab cache: what the labs need from outside (the pinned Alpine minirootfs), fetched once, ahead of a
// workshop, so every lab runs offline afterwards.
import type { Command } from "../command.js";
import { forTerminal } from "../fit-terminal.js";
import { UsageError } from "../../core/errors.js";
import { ALPINE_FILE, ALPINE_SHA256, alpineCachePath, alpineCached, fillAlpineCache, type DownloadProgress } from "../../host/fixtures/index.js";
import { cacheRoot, rootlabAsRoot, rootlabCommand } from "../../host/paths.js";
import { createStyle, type Style } from "../../term/style.js";

const HELP = `Usage: rootlab cache fill [--from <file|url>]
       rootlab cache status

Labs run offline: rootlab sends no traffic off the machine unless ROOTLAB_ONLINE=1 says it may. The one thing
the labs need from outside is Alpine's official minirootfs (${ALPINE_FILE}, pinned by sha256), used by the
alpine-rootfs lab. Fill the cache once, ahead of a workshop; offline, rootlab then serves the cached copy on
127.0.0.1 while that lab runs, so the lab still downloads and verifies it for real with curl.

  fill     Download the tarball into the cache and verify its sha256 (nothing is kept if it does not match).
           Without --from it comes from $ROOTLAB_ALPINE_URL, else from Alpine's official URL (needs internet).
  status   Say whether the cache holds a verified copy.

Options:
  --from <file|url>  Take the tarball from a file you have (a path, or file://) or from an http(s) URL
  -h, --help         Show this help

The cache is ${"$"}ROOTLAB_CACHE (default /var/cache/rootlab); writing there needs root.

Examples:
  sudo rootlab cache fill
  sudo rootlab cache fill --from ~/Downloads/${ALPINE_FILE}
  sudo rootlab cache fill --from http://192.168.56.1:8000/${ALPINE_FILE}`;

const MB = 1024 * 1024;

/** "1.2 / 3.4 MB (35%)" or "1.2 MB" when the size is not known. */
function amount(p: DownloadProgress): string {
  const done = (p.bytes / MB).toFixed(1);
  if (!p.total) return `${done} MB`;
  return `${done} / ${(p.total / MB).toFixed(1)} MB (${Math.floor((p.bytes / p.total) * 100)}%)`;
}

/** Progress on one rewritten line for a person at a terminal; a line every 25% otherwise (logs, CI). */
function progressPrinter(style: Style, out: NodeJS.WriteStream): { update(p: DownloadProgress): void; end(): void } {
  let lastQuarter = 0;
  let drawn = false;
  return {
    update(p) {
      if (style.interactive) {
        out.write(`\r\x1b[2K${style.chalk.dim(`  ${amount(p)}`)}`);
        drawn = true;
        return;
      }
      const quarter = p.total ? Math.floor((p.bytes / p.total) * 4) : 0;
      if (quarter > lastQuarter) {
        lastQuarter = quarter;
        out.write(`  ${amount(p)}\n`);
      }
    },
    end() {
      if (drawn) out.write("\n");
    },
  };
}

async function fill(from: string | undefined, style: Style): Promise<number> {
  const out = process.stdout;
  if (!from && (await alpineCached())) {
    out.write(`${style.chalk.green(style.sym.pass)} ${ALPINE_FILE} is already in the cache, verified: ${alpineCachePath()}\n`);
    return 0;
  }
  out.write(`${forTerminal(out, `Filling rootlab's cache (${cacheRoot()}) with ${ALPINE_FILE}${from ? ` from ${from}` : ""}${style.sym.ellipsis}`)}\n`);
  const progress = progressPrinter(style, out);
  try {
    const r = await fillAlpineCache({ ...(from ? { from } : {}), onProgress: (p) => progress.update(p) });
    progress.end();
    if (r.status === "already-cached") out.write(`${style.chalk.green(style.sym.pass)} already in the cache, verified: ${r.path}\n`);
    else out.write(`${style.chalk.green(style.sym.pass)} verified (sha256 ${ALPINE_SHA256.slice(0, 16)}…) and cached: ${r.path}\n`);
    out.write(`The alpine-rootfs lab now runs without internet on this machine (\`${rootlabCommand()} list\` shows it).\n`);
    return 0;
  } catch (err) {
    progress.end();
    const e = err as NodeJS.ErrnoException;
    if (e.code === "EACCES" || e.code === "EPERM") {
      process.stderr.write(`${forTerminal(process.stderr, `rootlab: cannot write to the cache ${cacheRoot()} (${e.code}): run it as root (sudo ${rootlabCommand()} cache fill…), or set ROOTLAB_CACHE to a folder you own.`)}\n`);
    } else process.stderr.write(`${forTerminal(process.stderr, `rootlab: ${e.message.replace(/^alpine-rootfs: /, "")}`)}\n`);
    return 1;
  }
}

export const command: Command = {
  name: "cache",
  summary: "Fill the cache of what labs download (the Alpine minirootfs) so they run offline",
  help: HELP,
  allowPositionals: true,
  options: { from: { type: "string" } },
  async run({ values, positionals }) {
    const [action, ...extra] = positionals;
    const style = createStyle(process.stdout);
    if (extra.length > 0) throw new UsageError(`\`rootlab cache ${action}\` takes no more arguments (got ${extra.join(" ")}).`);
    if (action === "fill") return fill(values.from as string | undefined, style);
    if (action === "status") {
      if (values.from) throw new UsageError("--from belongs to `rootlab cache fill`.");
      const ok = await alpineCached();
      // The path on a line of its own: a terminal would cut it where a person copies it from.
      const status = ok
        ? `${style.chalk.green(style.sym.pass)} ${ALPINE_FILE}: cached and verified:\n    ${alpineCachePath()}`
        : `${style.chalk.yellow(style.sym.fail)} ${ALPINE_FILE}: not cached; it goes to:\n    ${alpineCachePath()}\n  Fill it: ${rootlabAsRoot()} cache fill [--from FILE-or-URL]`;
      process.stdout.write(`${forTerminal(process.stdout, status)}\n`);
      return ok ? 0 : 1;
    }
    throw new UsageError(`${action === undefined ? "which action?" : `unknown action "${action}".`} Expected: rootlab cache fill [--from FILE-or-URL] or rootlab cache status.`);
  },
};

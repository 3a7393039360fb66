// Where rootlab keeps things on the machine (docs/architecture.md, "Machine paths and environment").
import { fileURLToPath } from "node:url";
import { basename, delimiter, dirname, isAbsolute, relative, resolve } from "node:path";

/** `shims/` of this package: from src/host/ (tests) and dist/host/ (built) alike it is two folders up. */
export function shimsDir(): string {
  return fileURLToPath(new URL("../../shims", import.meta.url));
}

/** Packaged labs folder (`labs/` next to `dist/` and `src/`). */
export function packagedLabsDir(): string {
  return fileURLToPath(new URL("../../labs", import.meta.url));
}

export function cacheRoot(): string {
  return resolve(process.env.ROOTLAB_CACHE || "/var/cache/rootlab");
}

/** Parent folder of the per-run lab directories. */
export function workRoot(): string {
  return resolve(process.env.ROOTLAB_WORKDIR || "/var/tmp/rootlab");
}

export const DISPOSABLE_MARKER = "/etc/rootlab/disposable";
export const RUN_LOCK_PATH = "/run/lock/rootlab.lock";

/**
 * How the person started rootlab, to name it back in messages they can paste: "rootlab" when it is on the
 * PATH, "npx rootlab" under npx (npm exec), "node bin/rootlab.js" (relative to the current folder when under
 * it) when node ran the script by path. Not prefixed with sudo.
 */
export function rootlabCommand(argv1 = process.argv[1] ?? "", env: Record<string, string | undefined> = process.env): string {
  if (env.npm_command === "exec") return "npx rootlab";
  const script = basename(argv1);
  if (script === "rootlab") {
    const dir = dirname(resolve(argv1));
    const onPath = (env.PATH ?? "").split(delimiter).some((p) => p !== "" && resolve(p) === dir);
    return onPath ? "rootlab" : shownPath(argv1);
  }
  if (script === "rootlab.js") return `node ${shownPath(argv1)}`;
  return "rootlab";
}

function shownPath(file: string): string {
  const rel = relative(process.cwd(), resolve(file));
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? (rel.includes("/") ? rel : `./${rel}`) : resolve(file);
}

/** rootlabCommand() with "sudo " in front unless rootlab already runs as root without sudo. */
export function rootlabAsRoot(env: Record<string, string | undefined> = process.env): string {
  const cmd = rootlabCommand(process.argv[1], env);
  return isRoot() && !env.SUDO_USER ? cmd : `sudo ${cmd}`;
}

/** "sudo rootlab <the arguments given>" (named as the user ran rootlab) when we are the CLI, else "sudo rootlab …". */
export function sudoRerun(): string {
  const script = basename(process.argv[1] ?? "");
  const cmd = `sudo ${rootlabCommand()}`;
  if (script === "rootlab" || script === "rootlab.js") {
    const args = process.argv.slice(2).map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`));
    return [cmd, ...args].join(" ");
  }
  return `${cmd} …`;
}

/** rootlab sends no traffic off the machine to find out whether it is online: ROOTLAB_ONLINE=1 declares it. */
export function declaredOnline(): boolean {
  return process.env.ROOTLAB_ONLINE === "1";
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

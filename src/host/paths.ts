// Where rootlab keeps things on the machine (docs/architecture.md, "Machine paths and environment").
import { fileURLToPath } from "node:url";
import { basename, resolve } from "node:path";
import { rootlabCommand } from "../core/rootlab-command.js";

export { rootlabCommand };

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

// Where rootlab keeps things on the machine (docs/architecture.md, "Machine paths and environment").
import { fileURLToPath } from "node:url";
import { basename, resolve } from "node:path";

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

/** "sudo rootlab <the arguments given>" when we are the rootlab CLI, else "sudo rootlab …". */
export function sudoRerun(): string {
  const script = basename(process.argv[1] ?? "");
  if (script === "rootlab" || script === "rootlab.js") {
    const args = process.argv.slice(2).map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`));
    return ["sudo rootlab", ...args].join(" ");
  }
  return "sudo rootlab …";
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

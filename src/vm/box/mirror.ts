// This machine's apt sources: the box is built from the Debian mirror they name (host/fixtures/debian-mirror.ts
// picks it) and gets the same source files, so the VM's apt uses the same archives and nothing else.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { mirrorFromSources, type AptSourcesFile } from "../../host/fixtures/debian-mirror.js";

export const BOX_SUITE = "bookworm";

/** This machine's apt source files, in apt's order. */
export function hostDebianSources(root = "/etc/apt"): AptSourcesFile[] {
  const paths: string[] = [];
  if (existsSync(join(root, "sources.list"))) paths.push(join(root, "sources.list"));
  const dir = join(root, "sources.list.d");
  if (existsSync(dir)) {
    for (const f of readdirSync(dir).sort()) if (f.endsWith(".sources") || f.endsWith(".list")) paths.push(join(dir, f));
  }
  return paths.map((path) => ({ path, text: readFileSync(path, "utf8") }));
}

export function boxMirror(files = hostDebianSources()): string | undefined {
  return mirrorFromSources(files, BOX_SUITE);
}

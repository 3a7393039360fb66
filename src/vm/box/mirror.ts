// The Debian mirror the box is built from: the one this machine's own apt sources name (deb822 `*.sources` and
// one-line `*.list` files), never a hard-coded host. Parsing is pure; `hostDebianSources` reads the files.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const BOX_SUITE = "bookworm";

export interface AptSourceFile {
  path: string;
  text: string;
}

function isMainArchive(uri: string, suites: string[], suite: string): boolean {
  return /^https?:\/\//.test(uri) && !/security/.test(uri) && suites.includes(suite);
}

function fromDeb822(text: string, suite: string): string | undefined {
  for (const stanza of text.split(/\n\s*\n/)) {
    const field = (name: string): string[] =>
      (new RegExp(`^${name}:\\s*(.*)$`, "mi").exec(stanza)?.[1] ?? "").trim().split(/\s+/).filter(Boolean);
    if (field("Enabled")[0] === "no" || !field("Types").includes("deb")) continue;
    const uri = field("URIs").find((u) => isMainArchive(u, field("Suites"), suite));
    if (uri) return uri;
  }
  return undefined;
}

function fromOneLine(text: string, suite: string): string | undefined {
  for (const raw of text.split("\n")) {
    const words = raw.replace(/#.*/, "").replace(/\[[^\]]*\]/, "").trim().split(/\s+/);
    if (words[0] !== "deb" || !words[1] || !words[2]) continue;
    if (isMainArchive(words[1], [words[2]], suite)) return words[1];
  }
  return undefined;
}

/** The first enabled Debian archive (not security) that serves SUITE. */
export function findDebianMirror(files: AptSourceFile[], suite = BOX_SUITE): string | undefined {
  for (const f of files) {
    const found = f.path.endsWith(".sources") ? fromDeb822(f.text, suite) : fromOneLine(f.text, suite);
    if (found) return found;
  }
  return undefined;
}

/** This machine's apt source files, in apt's order. */
export function hostDebianSources(root = "/etc/apt"): AptSourceFile[] {
  const paths: string[] = [];
  if (existsSync(join(root, "sources.list"))) paths.push(join(root, "sources.list"));
  const dir = join(root, "sources.list.d");
  if (existsSync(dir)) {
    for (const f of readdirSync(dir).sort()) if (f.endsWith(".sources") || f.endsWith(".list")) paths.push(join(dir, f));
  }
  return paths.map((path) => ({ path, text: readFileSync(path, "utf8") }));
}

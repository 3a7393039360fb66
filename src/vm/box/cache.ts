// Built boxes are kept in the fixture cache under their inputs' key (inputs.ts): a rebuild happens only when
// what goes into the box changed. Only the newest KEEP boxes stay; older ones are evicted.
import { existsSync } from "node:fs";
import { copyFile, link, mkdir, readdir, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { cacheRoot } from "../../host/paths.js";
import { BOX_CACHE_SUBDIR } from "./stage.js";

export const KEEP = 2;
export const CACHED_BOX_NAME = "rootlab-lab";

export function boxCacheDir(): string {
  return join(cacheRoot(), BOX_CACHE_SUBDIR, "boxes");
}

export function cachedBoxDir(key: string): string {
  return join(boxCacheDir(), key);
}

/** The cached box for KEY, if a complete one is there (SHA256SUMS is written last). */
export function findCachedBox(key: string): string | undefined {
  const dir = cachedBoxDir(key);
  return existsSync(join(dir, "SHA256SUMS")) && existsSync(join(dir, `${CACHED_BOX_NAME}.box`)) ? dir : undefined;
}

/** Removes all but the KEEP most recently used cached boxes (KEY itself always stays). */
export async function evictOldBoxes(key: string): Promise<string[]> {
  const root = boxCacheDir();
  if (!existsSync(root)) return [];
  const entries = await Promise.all((await readdir(root)).map(async (d) => ({ d, t: (await stat(join(root, d))).mtimeMs })));
  const others = entries.filter((e) => e.d !== key).sort((a, b) => b.t - a.t);
  const evicted = others.slice(KEEP - 1).map((e) => e.d);
  for (const d of evicted) await rm(join(root, d), { recursive: true, force: true });
  return evicted;
}

/** Copies (hard-links when it can) a cached box's files into OUT under NAME. */
export async function copyCachedBox(dir: string, outDir: string, name: string): Promise<{ box: string; sums: string; manifest: string }> {
  await mkdir(outDir, { recursive: true });
  const place = async (from: string, to: string) => {
    if (from === to) return;
    await rm(to, { force: true });
    await link(from, to).catch(() => copyFile(from, to));
  };
  const box = join(outDir, `${name}.box`);
  const manifest = join(outDir, `${name}.manifest.txt`);
  await place(join(dir, `${CACHED_BOX_NAME}.box`), box);
  await place(join(dir, `${CACHED_BOX_NAME}.manifest.txt`), manifest);
  const sums = join(outDir, "SHA256SUMS");
  const [sha] = (await readFile(join(dir, "SHA256SUMS"), "utf8")).split(/\s+/);
  await writeFile(sums, `${sha}  ${name}.box\n`);
  const now = new Date();
  await utimes(dir, now, now); // most recently used: the last to be evicted
  return { box, sums, manifest };
}

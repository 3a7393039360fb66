// What `rootlab list` shows of each lab (id, title, level, time, needs, steps), kept between runs in a small
// cache so that `list` reads each lab file but parses only the ones that changed. Parsing 14 labs and loading the
// parser's libraries (yaml, marked) was most of `list`'s start-up; a lab file's summary depends only on its text,
// its path and the parser, so the cache is keyed on exactly those and can never serve an outdated summary.
// The cache is a plain JSON file that anyone may delete ($XDG_CACHE_HOME/rootlab, else ~/.cache/rootlab);
// ROOTLAB_LAB_CACHE=off turns it off. A cache that cannot be read or written is simply not used.
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FrontMatter, Step } from "../format/types.js";
import { writeFileAtomic } from "../core/atomic-write.js";

/** A lab as `list` (and its progress column) needs it. */
export interface LabSummary {
  file: string;
  meta: Pick<FrontMatter, "id" | "level" | "duration" | "requires" | "uses">;
  title: string;
  steps: Pick<Step, "slug" | "index">[];
}

export type SummaryResult = { file: string; ok: true; lab: LabSummary } | { file: string; ok: false; errors: number };

type Entry = { ok: true; lab: Omit<LabSummary, "file"> } | { ok: false; errors: number };
interface CacheFile {
  parser: string;
  entries: Record<string, Entry>;
}

/** Entries kept from earlier runs (other labs folders, older versions of a file) beside this run's. */
const KEEP = 200;

export function summaryCachePath(): string | undefined {
  if (process.env.ROOTLAB_LAB_CACHE === "off") return undefined;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(base, "rootlab", "lab-summaries.json");
}

/**
 * Which parser made a summary: the built code's fingerprint (dist/.source-sha256, written by `npm run build`) and
 * the size and time of every file of the parser's folder and of its two libraries' manifests, so that a parser
 * changed without that build step (tsc alone, an edited dist file) is still noticed.
 */
function parserFingerprint(): string {
  const format = fileURLToPath(new URL("../format/", import.meta.url));
  const parts: string[] = [];
  const stamp = fileURLToPath(new URL("../.source-sha256", import.meta.url));
  try {
    parts.push(readFileSync(stamp, "utf8").trim());
  } catch {
    parts.push("no-stamp");
  }
  for (const name of readdirSync(format).sort()) {
    const s = statSync(join(format, name));
    parts.push(`${name}:${s.size}:${s.mtimeMs}`);
  }
  for (const lib of ["yaml", "marked"]) {
    const manifest = fileURLToPath(new URL(`../../node_modules/${lib}/package.json`, import.meta.url));
    const s = statSync(manifest, { throwIfNoEntry: false });
    parts.push(s ? `${lib}:${s.size}:${s.mtimeMs}` : `${lib}:?`);
  }
  return createHash("sha256").update(parts.join("\n")).digest("hex");
}

function readCache(path: string | undefined, parser: string): Record<string, Entry> {
  if (!path) return {};
  try {
    const data = JSON.parse(readFileSync(path, "utf8")) as CacheFile;
    return data.parser === parser && typeof data.entries === "object" && data.entries !== null ? data.entries : {};
  } catch {
    return {}; // absent, unreadable or damaged: start afresh
  }
}

const keyOf = (file: string, text: string): string => createHash("sha256").update(`${file.length}:${file}\0`).update(text).digest("hex");

/**
 * Whether this process should write its cache under DIR: the nearest folder of it that exists must be its own. Root
 * run with another user's HOME (`sudo -E`) would otherwise leave root's files, or a root-owned ~/.cache, there.
 */
function mayWriteUnder(dir: string): boolean {
  for (let d = dir; ; d = dirname(d)) {
    const s = statSync(d, { throwIfNoEntry: false });
    if (s) return s.uid === process.getuid?.();
    if (dirname(d) === d) return false;
  }
}

/** Parses a lab (the parser and its libraries are loaded only now: a run that hits the cache never loads them). */
async function summarize(file: string, text: string): Promise<Entry> {
  const { parseLab } = await import("../format/parse.js");
  const result = parseLab(text, file);
  if (!result.ok) return { ok: false, errors: result.diagnostics.filter((d) => d.severity === "error").length };
  const { meta, title, steps } = result.lab;
  return {
    ok: true,
    lab: {
      meta: { id: meta.id, level: meta.level, duration: meta.duration, requires: meta.requires, uses: meta.uses },
      title,
      steps: steps.map((s) => ({ slug: s.slug, index: s.index })),
    },
  };
}

/** Each file's summary, in the order given: from the cache when the file's text is unchanged, else parsed. */
export async function labSummaries(files: string[]): Promise<SummaryResult[]> {
  const path = summaryCachePath();
  let parser = "";
  try {
    parser = parserFingerprint();
  } catch {
    /* the parser's folder cannot be read: no cache */
  }
  const cached = parser ? readCache(path, parser) : {};
  const used: Record<string, Entry> = {};
  let changed = false;
  const out: SummaryResult[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch {
      out.push({ file, ok: false, errors: 1 }); // `rootlab lint` says why
      continue;
    }
    const key = keyOf(file, text);
    let entry = cached[key];
    if (!entry) {
      entry = await summarize(file, text);
      changed = true;
    }
    used[key] = entry;
    out.push(entry.ok ? { file, ok: true, lab: { file, ...entry.lab } } : { file, ok: false, errors: entry.errors });
  }
  if (changed && path && parser && mayWriteUnder(dirname(path))) {
    const older = Object.entries(cached).filter(([k]) => !(k in used)).slice(-KEEP);
    const data: CacheFile = { parser, entries: { ...Object.fromEntries(older), ...used } };
    try {
      mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
      await writeFileAtomic(path, JSON.stringify(data));
    } catch {
      /* a cache that cannot be written is not used next time: nothing is lost */
    }
  }
  return out;
}

// Thin I/O around parseLab: where the labs are, reading files, turning a lab id or path into a file.
import { readdirSync } from "node:fs";
import { readFile, readdir, stat } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { closest } from "./suggest.js";
import { UsageError } from "../core/errors.js";
import type { ParseResult } from "./types.js";

export { formatDiagnostic } from "./diagnostics.js";

/** rootlab's own labs (same depth from src/format and dist/format). */
export function bundledLabsDir(): string {
  return fileURLToPath(new URL("../../labs/", import.meta.url));
}

/**
 * The labs folder: $ROOTLAB_LABS; else `./labs` when the current folder has one with lab files (an instructor
 * working in a course repository — `sudo` keeps the current folder but drops $ROOTLAB_LABS); else rootlab's own.
 */
export function labsDir(): string {
  const fromEnv = process.env.ROOTLAB_LABS;
  if (fromEnv) return resolve(fromEnv);
  const local = resolve("labs");
  try {
    if (readdirSync(local).some((f) => f.endsWith(".md") && f !== "README.md")) return local;
  } catch {
    /* no ./labs here */
  }
  return bundledLabsDir();
}

/** The lab files of a folder: `*.md` except README.md, sorted by name. A missing folder has no labs. */
export async function findLabFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new UsageError(`cannot read the labs folder ${dir}: ${(err as Error).message}`);
  }
  return names
    .filter((n) => n.toLowerCase().endsWith(".md") && n.toLowerCase() !== "readme.md")
    .sort()
    .map((n) => join(dir, n));
}

/** Read and parse one lab. An unreadable file is a diagnostic of that file, not an exception. */
export async function loadLab(path: string): Promise<ParseResult> {
  let source: string;
  try {
    source = await readFile(path, "utf8");
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === "ENOENT" ? "the file does not exist" : (err as Error).message;
    return {
      ok: false,
      diagnostics: [{ file: path, line: 1, column: 1, severity: "error", code: "file/unreadable", message: `cannot read the lab file: ${reason}`, expected: "a readable Markdown file" }],
    };
  }
  // Loaded here, not at the top: commands that only find lab files (`list` from its cache) never load the parser.
  const { parseLab } = await import("./parse.js");
  return parseLab(source, path);
}

export async function loadAllLabs(dir: string = labsDir()): Promise<{ file: string; result: ParseResult }[]> {
  const files = await findLabFiles(dir);
  return Promise.all(files.map(async (file) => ({ file, result: await loadLab(file) })));
}

/** The front matter `id:` of a lab file, read without a full parse (so broken labs can still be named). */
function idOf(source: string): string | undefined {
  const head = source.replace(/^\uFEFF/, "").slice(0, 4096);
  if (!/^---[ \t]*\r?\n/.test(head)) return undefined;
  const end = head.search(/\r?\n(---|\.\.\.)[ \t]*(\r?\n|$)/);
  const m = /^id:[ \t]*["']?([^"'\s#]+)/m.exec(end === -1 ? head : head.slice(0, end));
  return m?.[1];
}

/**
 * A lab argument as the user typed it: an existing file, or a lab id (front matter `id:`, or the file's stem)
 * looked up in `dir`. Throws UsageError listing the known ids when nothing matches.
 */
export async function resolveLabArg(arg: string, dir: string = labsDir()): Promise<string> {
  const asPath = resolve(arg);
  const isFile = await stat(asPath).then((s) => s.isFile(), () => false);
  if (isFile) return asPath;
  const files = await findLabFiles(dir);
  const known: { file: string; id: string }[] = [];
  for (const file of files) {
    const id = idOf(await readFile(file, "utf8").catch(() => ""));
    known.push({ file, id: id ?? basename(file, ".md") });
  }
  const match = known.find((k) => k.id === arg) ?? known.find((k) => basename(k.file, ".md") === arg);
  if (match) return match.file;
  const list = known.length ? known.map((k) => k.id).sort().join(", ") : `(none: ${dir} has no lab files)`;
  const guess = closest(arg, known.map((k) => k.id));
  const mean = guess ? `Did you mean "${guess}"?\n` : "";
  throw new UsageError(`no lab "${arg}": it is neither a file nor the id of a lab in ${dir}.\n${mean}Expected a lab file path or one of these ids: ${list}.\nRun \`rootlab list\` to see the labs.`);
}

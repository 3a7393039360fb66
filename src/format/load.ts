// Thin I/O around parseLab: where the labs are, reading files, turning a lab id or path into a file.
import { readdirSync, readlinkSync, type Stats } from "node:fs";
import { open, readFile, readdir, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { closest } from "./suggest.js";
import { UsageError } from "../core/errors.js";
import type { ParseResult } from "./types.js";
import { rootlabCommand } from "../core/rootlab-command.js";

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

/**
 * The largest lab file rootlab reads: 20 times its largest lab (46 KiB). A 50 MB "lab" is a mistake (a log, an
 * image, a generated file), and reading it whole would cost seconds and hundreds of megabytes before saying so.
 */
export const LAB_FILE_MAX_BYTES = 1024 * 1024;

const KINDS: [(s: Stats) => boolean, string][] = [
  [(s) => s.isDirectory(), "a folder"],
  [(s) => s.isFIFO(), "a named pipe (FIFO)"],
  [(s) => s.isSocket(), "a socket"],
  [(s) => s.isCharacterDevice() || s.isBlockDevice(), "a device"],
];

/** What a path that is not a regular file is, in words ("a named pipe (FIFO)"); undefined for a regular file. */
export function notAFile(info: Stats): string | undefined {
  return KINDS.find(([is]) => is(info))?.[1] ?? (info.isFile() ? undefined : "not a regular file");
}

/**
 * What an argument that cannot name a lab is, said so: `""` or blanks (a variable that was unset, `rootlab lint
 * "$LAB"`), `-` (standard input, which rootlab does not read labs from). Undefined for any other argument.
 */
export function blankArgument(arg: string): string | undefined {
  if (arg.trim() === "") return `an empty argument (${JSON.stringify(arg)}) where a lab file or id was expected: a variable in the command may be unset or empty (\`rootlab lint "$LAB"\` with LAB unset)`;
  if (arg === "-") return "`-` (standard input) is not a lab: rootlab reads labs from files; save the lab to a file (`… > lab.md`) and give its path";
  return undefined;
}

/** Why a path could not be opened, with what to do about it (never the bare errno text). */
export function unreadableReason(err: NodeJS.ErrnoException, path: string): string {
  const blank = blankArgument(path);
  if (blank) return blank;
  switch (err.code) {
    case "ENOENT":
    case "ENOTDIR": {
      // A link whose target is gone: the name is there (`ls` lists it), so say where it points, not "no such file".
      const target = linkTarget(path);
      if (target !== undefined) return `it is a symbolic link to ${target}, which does not exist: \`ls -l ${path}\` shows it; point it at the real lab file`;
      return `the file does not exist${nearFileHint(path)}`;
    }
    case "EACCES":
    case "EPERM":
      return `permission denied: rootlab may not read it (\`ls -l ${path}\` shows its owner and mode; \`chmod a+r\` it, or run rootlab as a user who may read it)`;
    case "ELOOP":
      return `it is a symbolic link that leads back to itself (a loop): \`ls -l ${path}\` shows where it points; point it at the real lab file`;
    case "ENAMETOOLONG":
      return "the path is too long for this system";
    default:
      return `${err.code ?? "error"}: ${err.message}`;
  }
}

/** Where a symbolic link points, or undefined when the path is no link. */
function linkTarget(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

/** " (did you mean 01-chroot.md?)" when a file in the same folder is named nearly the same. */
function nearFileHint(path: string): string {
  let names: string[];
  try {
    // Not the name itself (a dangling link is listed, yet does not exist): "did you mean x.md?" for x.md helps nobody.
    names = readdirSync(dirname(resolve(path))).filter((n) => n.toLowerCase().endsWith(".md") && n !== basename(path));
  } catch {
    return "";
  }
  const guess = closest(basename(path), names);
  return guess ? ` (did you mean ${join(dirname(path), guess)}?)` : "";
}

function unreadable(path: string, reason: string, expected = "a readable Markdown lab file"): ParseResult {
  return { ok: false, diagnostics: [{ file: path, line: 1, column: 1, severity: "error", code: "file/unreadable", message: `cannot read the lab file: ${reason}`, expected }] };
}

/** A lab file's text, or undefined when it is not a regular file, is too large or cannot be read (loadLab says why). */
export async function readLabSource(path: string): Promise<string | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (!info || notAFile(info) || info.size > LAB_FILE_MAX_BYTES) return undefined;
  return readFile(path, "utf8").catch(() => undefined);
}

/**
 * Read and parse one lab. An unreadable file is a diagnostic of that file, not an exception. What is not a
 * regular file is refused before it is opened: reading a named pipe waits for a writer forever.
 */
export async function loadLab(path: string): Promise<ParseResult> {
  let source: string;
  try {
    const info = await stat(path);
    const kind = notAFile(info);
    if (kind) return unreadable(path, `it is ${kind}, not a file`, "the path of a lab's Markdown file (a folder's labs: rootlab lint FOLDER)");
    if (info.size > LAB_FILE_MAX_BYTES) {
      const mib = (info.size / 1024 / 1024).toFixed(1);
      return {
        ok: false,
        diagnostics: [{ file: path, line: 1, column: 1, severity: "error", code: "file/too-large", message: `the file is ${mib} MiB: more than a lab file can be (at most 1 MiB; rootlab's longest lab is 46 KiB)`, expected: "one lab per file: check that this is the lab you meant, or split a long lab into several labs" }],
      };
    }
    source = await readFile(path, "utf8");
  } catch (err) {
    return unreadable(path, unreadableReason(err as NodeJS.ErrnoException, path));
  }
  // Loaded here, not at the top: commands that only find lab files (`list` from its cache) never load the parser.
  const { parseLab } = await import("./parse.js");
  return parseLab(source, path);
}

export async function loadAllLabs(dir: string = labsDir()): Promise<{ file: string; result: ParseResult }[]> {
  const files = await findLabFiles(dir);
  return Promise.all(files.map(async (file) => ({ file, result: await loadLab(file) })));
}

/** The first 4 KiB of a regular file ("" for anything else: a named pipe in the labs folder would block a read). */
async function readHead(file: string): Promise<string> {
  const info = await stat(file).catch(() => undefined);
  if (!info || notAFile(info)) return "";
  const handle = await open(file, "r").catch(() => undefined);
  if (!handle) return "";
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    return buffer.subarray(0, bytesRead).toString("utf8");
  } catch {
    return "";
  } finally {
    await handle.close();
  }
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
  const blank = blankArgument(arg);
  if (blank) throw new UsageError(`${blank}.\nExpected the path of a lab's Markdown file, or a lab id (${rootlabCommand()} list shows them).`);
  const asPath = resolve(arg);
  const info = await stat(asPath).catch((err: NodeJS.ErrnoException) => err);
  if (!(info instanceof Error) && info.isFile()) return asPath;
  // A path that exists but cannot be a lab (a named pipe would hang the read; a loop never resolves), unless a
  // lab has that id: a folder may share a lab's name.
  const kind = info instanceof Error ? (["ENOENT", "ENOTDIR", "ENAMETOOLONG"].includes(info.code ?? "") && linkTarget(asPath) === undefined ? undefined : unreadableReason(info, arg)) : notAFile(info);
  const looksLikePath = arg.includes("/") || arg.toLowerCase().endsWith(".md");
  const argShown = arg.length > 80 ? `${arg.slice(0, 77)}…` : arg; // a 100 000-character argument is not echoed whole
  const files = await findLabFiles(dir);
  const known: { file: string; id: string }[] = [];
  for (const file of files) {
    const id = idOf(await readHead(file));
    known.push({ file, id: id ?? basename(file, ".md") });
  }
  const match = known.find((k) => k.id === arg) ?? known.find((k) => basename(k.file, ".md") === arg);
  if (match) return match.file;
  if (kind === "a folder") throw new UsageError(`${arg} is a folder, not a lab file.\nExpected one lab: its file (${join(arg, "NN-id.md")}) or its id with --labs-dir ${arg}; ${rootlabCommand()} list --labs-dir ${arg} shows them.`);
  if (kind) throw new UsageError(`${argShown} cannot be read as a lab: ${kind.startsWith("a ") || kind.startsWith("not ") ? `it is ${kind}, not a file` : kind}.\nExpected the path of a lab's Markdown file, or a lab id (${rootlabCommand()} list shows them).`);
  if (looksLikePath && !kind) throw new UsageError(`no lab file ${argShown}: the file does not exist${nearFileHint(arg)}.\nExpected the path of a lab's Markdown file, or a lab id (${rootlabCommand()} list shows them).`);
  const list = known.length ? known.map((k) => k.id).sort().join(", ") : `(none: ${dir} has no lab files)`;
  const guess = closest(arg, known.map((k) => k.id));
  const mean = guess ? `Did you mean "${guess}"?\n` : "";
  throw new UsageError(`no lab "${argShown}": it is neither a file nor the id of a lab in ${dir}.\n${mean}Expected a lab file path or one of these ids: ${list}.\nRun \`${rootlabCommand()} list\` to see the labs.`);
}

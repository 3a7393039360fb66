// rootlab new: pick the next free number, refuse to overwrite, write the template.
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { UsageError } from "../core/errors.js";
import { labTemplate } from "./template.js";

export const ID_RULE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** Long enough to say something, short enough for resource names built from it (`rl-<id>`). */
export const MAX_ID_LENGTH = 40;

export function validateId(id: string): void {
  if (!ID_RULE.test(id) || id.length > MAX_ID_LENGTH) {
    throw new UsageError(
      `"${id}" is not a valid lab id.\nExpected lowercase letters, digits and single dashes, starting with a letter, at most ${MAX_ID_LENGTH} characters.\nExample: rootlab new netns-basics`,
    );
  }
}

/** "netns-basics" → "Netns basics": a starting title the author will change. */
export function titleFromId(id: string): string {
  const words = id.split("-").join(" ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

interface Existing {
  file: string;
  id: string;
}

/**
 * A file-system failure as a person reads it: what could not be done, why in words, and what to do.
 * ACTION is e.g. "create the folder /x"; PATH is the path that failed.
 */
export function fsProblem(err: unknown, action: string, path: string): UsageError {
  const code = (err as NodeJS.ErrnoException).code;
  const why: Record<string, string> = {
    EACCES: "permission denied",
    EPERM: "permission denied",
    EROFS: "the file system is read-only",
    ENOTDIR: `${path} (or a folder above it) is a file, not a folder`,
    EEXIST: `${path} exists and is not a folder`,
    ENOSPC: "the disk is full",
    EISDIR: `${path} is a folder`,
  };
  const reason = (code && why[code]) ?? (err as Error).message;
  return new UsageError(
    `cannot ${action}: ${reason}.\nGive a folder you can write to with --dir (e.g. rootlab new <id> --dir ./labs), or set ROOTLAB_LABS to one.`,
  );
}

async function existingLabs(dir: string): Promise<Existing[]> {
  const names = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return [] as string[];
    throw fsProblem(err, `read the folder ${dir}`, dir);
  });
  const labs: Existing[] = [];
  for (const name of names.filter((n) => n.toLowerCase().endsWith(".md") && n.toLowerCase() !== "readme.md")) {
    const text = await readFile(join(dir, name), "utf8").catch(() => "");
    const id = /^id:[ \t]*["']?([^"'\s#]+)/m.exec(text.slice(0, 4096))?.[1] ?? basename(name, ".md").replace(/^\d+-/, "");
    labs.push({ file: join(dir, name), id });
  }
  return labs;
}

/** The next NN for `NN-<id>.md`: one more than the highest number in use, at least two digits. */
export function nextNumber(fileNames: string[]): string {
  const numbers = fileNames.map((n) => /^(\d+)-/.exec(basename(n))?.[1]).filter((n): n is string => n !== undefined);
  const next = Math.max(0, ...numbers.map(Number)) + 1;
  const width = Math.max(2, ...numbers.map((n) => n.length));
  return String(next).padStart(width, "0");
}

export interface NewLabResult {
  file: string;
  id: string;
  title: string;
}

export async function createLab(opts: { id: string; dir: string; title?: string }): Promise<NewLabResult> {
  validateId(opts.id);
  const title = (opts.title ?? titleFromId(opts.id)).trim();
  if (title === "" || title.includes("\n")) throw new UsageError("--title must be one line of text.");
  const labs = await existingLabs(opts.dir);
  const clash = labs.find((l) => l.id === opts.id);
  if (clash) throw new UsageError(`a lab with id "${opts.id}" already exists: ${clash.file}.\nPick another id, or edit that lab.`);
  const file = join(opts.dir, `${nextNumber(labs.map((l) => l.file))}-${opts.id}.md`);
  await mkdir(opts.dir, { recursive: true }).catch((err: unknown) => {
    throw fsProblem(err, `create the folder ${opts.dir}`, opts.dir);
  });
  try {
    // "wx": never overwrite, even if a file appeared since the folder was read.
    await writeFile(file, labTemplate({ id: opts.id, title }), { flag: "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") throw new UsageError(`${file} already exists; rootlab new never overwrites a file.`);
    throw fsProblem(err, `write ${file}`, file);
  }
  return { file, id: opts.id, title };
}

/**
 * Where `rootlab new` writes without --dir: $ROOTLAB_LABS, else ./labs under the current directory — never
 * rootlab's own install folder, which may be read-only and is replaced on upgrade.
 */
export function defaultNewLabsDir(): string {
  return resolve(process.env.ROOTLAB_LABS || "labs");
}

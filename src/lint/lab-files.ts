// Files a lab writes whose content the gate cannot read (`base64 -d > x`, `curl -o x`, a copy of such a file)
// and copies of programs under other names (`cp /sbin/ip ./x`, `ln -s /bin/sh ./y`): running `./x` runs ip.
import type { SimpleCommand } from "../shell/types.js";

/** Files the lab writes with text the gate can read: path as written (normalised) → text. */
export type WrittenFiles = Map<string, string>;

/** `./x`, `"$LAB_DIR"/x`, `${LAB_DIR}/x` and `x` are one file: blocks run in $LAB_DIR. */
export const fileKey = (path: string): string => path.replace(/^(\$\{?LAB_DIR\}?\/+|\.\/+)+/, "").replace(/\/{2,}/g, "/");

/** The text recorded for a file whose content only the run knows. */
export const OPAQUE = "\u0000(content the gate cannot read)";

/** Program copies: file (as fileKey) → the program it is a copy of or a link to (`ip`, `sh`). */
export type Programs = Map<string, string>;

const base = (path: string) => path.replace(/\/+$/, "").replace(/^.*\//, "");
/** A command word's name as noteFiles() reads it. */
export const baseName = base;
/** The names noteFiles() reads besides redirections: downloads, copies and links. */
export const NOTES_FILES = /^(curl|wget|cp|ln|install|mv)$/;

/**
 * What a command does to the lab's files besides writing known text: redirections of unknown output, downloads,
 * copies and links. `written` holds the files writtenBy already recorded for this command (with their text).
 */
export function noteFiles(cmd: SimpleCommand, words: string[], written: ReadonlySet<string>, files: WrittenFiles, programs: Programs, target: (raw: string) => string): void {
  for (const r of cmd.redirects) {
    if (!/^(>|>>|>\||&>|&>>)$/.test(r.op)) continue;
    const key = fileKey(target(r.raw));
    if (!written.has(key) && !key.startsWith("/dev/") && !key.startsWith("/proc/")) files.set(key, OPAQUE);
  }
  const name = base(words[0] ?? "");
  const at = (opts: RegExp) => words.findIndex((w) => opts.test(w));
  if (name === "curl" || name === "wget") {
    const o = at(name === "curl" ? /^(-[a-zA-Z]*o|--output)$/ : /^(-[a-zA-Z]*O|--output-document)$/);
    if (o > 0 && words[o + 1] !== undefined && words[o + 1] !== "-") files.set(fileKey(words[o + 1] as string), OPAQUE);
  }
  if (/^(cp|ln|install|mv)$/.test(name)) {
    const args = words.slice(1).filter((w) => !w.startsWith("-"));
    if (args.length !== 2) return;
    const [src = "", dst = ""] = args;
    // `install /dev/stdin x <<< '…'`: the copy holds what the command reads.
    if (/^(\/dev\/stdin|-)$/.test(src)) {
      const input = [...cmd.heredocs.map((d) => d.body), ...cmd.redirects.filter((r) => r.op === "<<<").map((r) => `${r.target}\n`)].join("");
      files.set(fileKey(dst), input !== "" && cmd.pipeFrom === undefined ? input : OPAQUE);
      return;
    }
    const known = files.get(fileKey(src));
    if (known !== undefined) files.set(fileKey(dst), known);
    else if (src.includes("/") && !src.includes("$")) programs.set(fileKey(dst), programs.get(fileKey(src)) ?? base(src));
  }
}

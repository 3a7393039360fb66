// Text that a command runs as commands, so the safety gate reads it as commands too: `sh -c '…'`, `eval`, an
// alias, a shell fed a here-document, a here-string or a pipe (`echo '…' | sh`), a script file the lab wrote
// (`cat > x.sh <<EOF … EOF; sh x.sh`, `. file`, `./x.sh`), `ip -batch`, `nft -f`, and the string literals of
// `python3 -c`/`perl -e`. When the text cannot be known before the run (`curl … | sh`, a file the lab does not
// write), the command is marked unchecked with the reason, and the gate says so instead of guessing.
import type { SimpleCommand } from "../shell/types.js";
import { decodeAnsiC } from "../shell/words.js";
import { isShell, type Unwrapped } from "./unwrap.js";
import { fileKey, OPAQUE } from "./lab-files.js";
import { mayRunProgramScripts, programScripts } from "./program-scripts.js";
import { consoleScripts, mayRunConsoleScripts } from "./console-scripts.js";
import { batchScripts, STDIN_FILE } from "./batch-scripts.js";

export { nftCommands } from "./batch-scripts.js";

export { fileKey } from "./lab-files.js";

export type { WrittenFiles } from "./lab-files.js";
import type { WrittenFiles } from "./lab-files.js";


/** What `echo`/`printf` print (near enough to read commands in it). */
function printed(words: string[]): string | undefined {
  const name = (words[0] ?? "").replace(/^.*\//, "");
  if (name === "echo") {
    let k = 1;
    let escapes = false;
    while (/^-[neE]+$/.test(words[k] ?? "")) escapes ||= (words[k++] ?? "").includes("e");
    const text = words.slice(k).join(" ");
    return escapes ? decodeAnsiC(text) : text;
  }
  if (name === "printf") {
    const args = words.slice(1).filter((w) => w !== "--");
    const [format = "", ...rest] = args[0] === "-v" ? args.slice(2) : args;
    let used = 0;
    const body = format.replace(/%[-+ #0-9.]*([sbdqc%])/g, (_m, conv: string) => (conv === "%" ? "%" : rest[used++] ?? ""));
    return decodeAnsiC([body, ...rest.slice(used)].join("\n"));
  }
  return undefined;
}

/** A glob over written files' keys (`minirun.d/*.sh`). */
function matching(files: WrittenFiles, pattern: string): string[] | undefined {
  const key = fileKey(pattern);
  if (!/[*?[]/.test(key)) return files.has(key) ? [files.get(key) as string] : undefined;
  const re = new RegExp(`^${key.replace(/[.+^${}()|\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]")}$`);
  const hits = [...files.keys()].filter((k) => re.test(k)).sort();
  return hits.length > 0 ? hits.map((k) => files.get(k) as string) : undefined;
}

/** What a command prints that the gate can know: echo/printf, cat of here-documents or of files the lab wrote. */
function outputOf(cmd: SimpleCommand, words: string[], files: WrittenFiles): string | undefined {
  const name = (words[0] ?? "").replace(/^.*\//, "");
  const docs = cmd.heredocs.map((d) => d.body).join("") + cmd.redirects.filter((r) => r.op === "<<<").map((r) => `${r.target}\n`).join("");
  if (name === "cat" || name === "tee") {
    const args = name === "cat" ? words.slice(1).filter((w) => !w.startsWith("-")) : [];
    if (args.length === 0) return docs;
    const parts = args.map((a) => matching(files, a));
    return parts.every((p) => p !== undefined) ? parts.flat().join("") : undefined;
  }
  return printed(words);
}

/**
 * The files a command writes with text the gate can know (`cat > F <<EOF`, `printf … > F`, `tee F <<EOF`,
 * `{ printf …; cat parts/*.sh; } > F`). `wordsOf` gives a sibling's expanded words.
 */
export function writtenBy(index: number, siblings: SimpleCommand[], wordsOf: (c: SimpleCommand) => string[], files: WrittenFiles, target: (raw: string) => string): [string, string][] {
  const cmd = siblings[index] as SimpleCommand;
  const words = wordsOf(cmd);
  let text: string | undefined;
  if (words.length === 0) {
    // `{ …; } > F`: the group's commands, back to the one that opened it.
    let from = index - 1;
    while (from > 0 && !siblings[from]?.group) from--;
    const parts = siblings.slice(Math.max(0, from), index).map((c) => outputOf(c, wordsOf(c), files));
    text = from >= 0 && siblings[from]?.group && parts.every((p) => p !== undefined) ? parts.join("\n") : undefined;
  } else text = outputOf(cmd, words, files);
  const out: [string, string][] = [];
  if (text === undefined) return out;
  for (const r of cmd.redirects) if (/^(>|>>|>\||&>)$/.test(r.op)) out.push([fileKey(target(r.raw)), text]);
  if ((words[0] ?? "").replace(/^.*\//, "") === "tee") for (const w of words.slice(1)) if (!w.startsWith("-")) out.push([fileKey(w), text]);
  return out;
}

/** Text a script reads, or why the gate cannot know it. */
export type Source = { code: string; line?: number; via: string } | { unknown: string };

/** What a command's standard input holds: here-documents, a here-string, `< FILE`, or the command piped into it. */
function stdinOf(cmd: SimpleCommand, siblings: SimpleCommand[], files: WrittenFiles, line: (l: number) => number): Source | undefined {
  if (cmd.heredocs.length > 0) return { code: cmd.heredocs.map((d) => d.body).join(""), line: line(cmd.heredocs[0]?.line ?? 0), via: "<<" };
  const here = cmd.redirects.find((r) => r.op === "<<<");
  if (here) return { code: here.target, via: "<<<" };
  const from = cmd.redirects.find((r) => r.op === "<");
  if (from) return fileSource(from.target, files, "<");
  // `bash <&3`, `sh 0<>file`: input from a descriptor opened elsewhere — only the run knows what it holds.
  const dup = cmd.redirects.find((r) => r.op === "<&" || r.op === "<>");
  if (dup && dup.target !== "-") return { unknown: `the file descriptor \`${dup.op}${dup.target}\`` };
  const producer = cmd.pipeFrom === undefined ? undefined : siblings[cmd.pipeFrom];
  if (producer) return outputSource(producer, siblings, files, line, "|");
  // `echo '…' > >(sh)`, `tee >(sh)`: a command in a process substitution reads what the command around it writes.
  const at = siblings.indexOf(cmd);
  const outer = at < 0 ? undefined : siblings.find((c) => c.processSubst?.includes(at));
  if (!outer) return undefined;
  const text = outputOf(outer, outer.words, files);
  return text === undefined ? { unknown: `the output of \`${outer.words.slice(0, 3).join(" ")}\`` } : { code: text, via: `${outer.words[0]} >(…)` };
}

/** What a command prints, as a script source (`echo '…' | sh`, `sh <(printf …)`), or why it is unknown. */
function outputSource(producer: SimpleCommand | undefined, siblings: SimpleCommand[], files: WrittenFiles, line: (l: number) => number, via: string): Source {
  if (!producer) return { unknown: "a process substitution" };
  const words = producer.words;
  const shown = printed(words);
  if (shown !== undefined) return { code: shown, via: `${words[0]} ${via}` };
  if ((words[0] ?? "").replace(/^.*\//, "") === "cat") {
    if (words.length === 1) return stdinOf(producer, siblings, files, line) ?? { unknown: "`cat` with no input" };
    const file = words.slice(1).find((w) => !w.startsWith("-"));
    if (file) return fileSource(file, files, `cat ${via}`);
  }
  return { unknown: `the output of \`${words.slice(0, 3).join(" ")}\`` };
}

/** Files of the system a lab may read as shell without writing them: they set variables only. */
const SYSTEM_SCRIPTS = /^\/(etc|usr\/lib)\/(os-release|lsb-release)$/;

function fileSource(path: string, files: WrittenFiles, via: string): Source {
  if (SYSTEM_SCRIPTS.test(path)) return { code: "", via };
  const text = files.get(fileKey(path));
  if (text === OPAQUE) return { unknown: `the file \`${path}\`, which this lab writes with content the gate cannot read (a download, a decoded or generated file)` };
  return text === undefined ? { unknown: `the file \`${path}\`, which this lab does not write (with \`cat > FILE <<'EOF'\` or \`printf … > FILE\`)` } : { code: text, via: `${via} ${path}` };
}

const SHELL_VALUE_OPTIONS = new Set(["-o", "+o", "-O", "+O", "--rcfile", "--init-file"]);
const MACHINECTL_VALUE_OPTIONS = new Set(["-M", "--machine", "-H", "--host", "-E", "--setenv", "--uid", "-p", "--property"]);
const SSH_VALUE_OPTIONS = new Set(["-b", "-c", "-D", "-E", "-e", "-F", "-I", "-i", "-J", "-L", "-l", "-m", "-O", "-o", "-p", "-Q", "-R", "-S", "-W", "-w"]);

/** Commands scriptsOf() reads by name (besides shells, files the lab wrote and programScripts()'s). */
const SCRIPT_RUNNERS = new Set(["eval", "trap", "bind", "complete", "mapfile", "readarray", "history", "alias", "source", ".", "ip", "tc", "bridge", "nft", "ssh", "machinectl", "at", "batch", "iptables-restore", "ip6tables-restore", "iptables-nft-restore", "ip6tables-nft-restore", "iptables-legacy-restore", "ip6tables-legacy-restore"]);

/** Whether scriptsOf() may find a script for this unwrapped command: lets most commands skip it. */
export function mayRunScripts(inner: Unwrapped, files: WrittenFiles): boolean {
  if (inner.script !== undefined) return true;
  const first = inner.words[0] ?? "";
  const name = first.replace(/^.*\//, "");
  return SCRIPT_RUNNERS.has(name) || isShell(inner.words[0]) || (first.includes("/") && files.has(fileKey(first))) || mayRunProgramScripts(name) || mayRunConsoleScripts(name);
}

/**
 * The scripts a command runs (each read as shell commands), given its unwrapped words. `ip -batch` and `nft -f`
 * texts come back with `prefix`: each line is one `ip …` / `nft …` command.
 */
export function scriptsOf(cmd: SimpleCommand, inner: Unwrapped, siblings: SimpleCommand[], files: WrittenFiles, line: (l: number) => number): (Source & { prefix?: string })[] {
  const words = inner.words;
  const name = (words[0] ?? "").replace(/^.*\//, "");
  const out: (Source & { prefix?: string })[] = [];
  if (inner.script !== undefined) {
    // `sh -c 'ip link set "$0" down' eth0`: $0, $1 … are the words after the script (plain ones are put in).
    const positional = isShell(words[0]) ? words.slice(3) : [];
    const script = positional.length === 0 ? inner.script : inner.script.replace(/\$(\d)|\$\{(\d)\}/g, (m, a?: string, b?: string) => {
      const value = positional[Number(a ?? b)];
      return value !== undefined && /^[\w.:/@%+,=-]+$/.test(value) ? value : m;
    });
    out.push({ code: script, via: inner.wrappers.at(-1) && !isShell(words[0]) ? inner.wrappers.at(-1) as string : "sh -c" });
    // `sh -c '… exec "$@"' NAME CMD ARGS…`: the arguments after the name are run as a command.
    const args = isShell(words[0]) ? words.slice(3) : [];
    if (args.length > 1 && /\$(\{)?[@*1]/.test(inner.script)) out.push({ code: args.slice(1).map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" "), via: "sh -c … \"$@\"" });
  }
  if (name === "eval") out.push({ code: words.slice(1).join(" "), via: "eval" });
  // `trap 'CMDS' EXIT`: the shell runs CMDS when the signal comes (EXIT: when the session ends).
  const handler = name === "trap" ? (words[1] === "--" ? words[2] : words[1]) : undefined;
  if (handler !== undefined && !handler.startsWith("-")) out.push({ code: handler, via: "trap" });
  // `bind -x 'KEYS: CMD'`: readline runs CMD when the keys are pressed; `complete -C CMD`: on Tab.
  if (name === "bind") for (const [k, w] of words.entries()) if (words[k - 1] === "-x") out.push({ code: w.replace(/^\s*("(?:[^"\\]|\\.)*"|[^:]*)\s*:\s*/s, "").replace(/^"(.*)"$/s, "$1"), via: "bind -x" });
  if (name === "complete") for (const [k, w] of words.entries()) if (words[k - 1] === "-C") out.push({ code: w, via: "complete -C" });
  // `mapfile -C CMD` runs CMD for every few lines read; `history -s CMD` puts CMD where `fc -s` runs it again.
  if (name === "mapfile" || name === "readarray") {
    const at = words.findIndex((w) => /^-C/.test(w));
    const callback = at < 0 ? undefined : words[at] === "-C" ? words[at + 1] : words[at]?.slice(2);
    if (callback !== undefined) out.push({ code: `${callback} 0 line`, via: `${name} -C` });
  }
  if (name === "history" && words[1] === "-s") out.push({ code: words.slice(2).join(" "), via: "history -s (run again by fc)" });
  if (name === "alias") for (const w of words.slice(1)) if (w.includes("=")) out.push({ code: w.slice(w.indexOf("=") + 1), via: "alias" });
  if (isShell(words[0]) && inner.script === undefined) {
    let k = 1;
    while (k < words.length && /^[-+]/.test(words[k] ?? "") && words[k] !== "-" && words[k] !== "--") k += SHELL_VALUE_OPTIONS.has(words[k] ?? "") ? 2 : 1;
    if (words[k] === "--" ) k++;
    const file = words[k];
    if (file === undefined && cmd.processSubst?.length) out.push(outputSource(siblings[cmd.processSubst[0] as number], siblings, files, line, `${name} <(…)`));
    else if (file !== undefined && !STDIN_FILE.test(file) && !/^-s/.test(words[1] ?? "")) out.push(fileSource(file, files, name));
    else {
      const input = stdinOf(cmd, siblings, files, line);
      if (input) out.push(input);
    }
  }
  if ((name === "source" || name === ".") && words[1] === undefined && cmd.processSubst?.length) out.push(outputSource(siblings[cmd.processSubst[0] as number], siblings, files, line, `${name} <(…)`));
  if ((name === "source" || name === ".") && words[1] !== undefined) {
    out.push(STDIN_FILE.test(words[1]) ? stdinOf(cmd, siblings, files, line) ?? { unknown: "standard input" } : fileSource(words[1], files, name));
  }
  // A file the lab wrote, run by its path.
  if (name !== "" && (words[0] ?? "").includes("/") && files.has(fileKey(words[0] ?? ""))) out.push(fileSource(words[0] ?? "", files, "running"));
  // `ip -batch`, `tc -batch`, `nft -f`/`-i`, `iptables-restore --noflush`: files of commands for one tool.
  out.push(...batchScripts(name, words, () => stdinOf(cmd, siblings, files, line), (path, via) => fileSource(path, files, via)));
  // `ssh localhost CMD…`, `machinectl shell .host CMD…`: a shell runs the words on the host (or where it logs in).
  if (name === "ssh" || name === "machinectl") {
    const values = name === "ssh" ? SSH_VALUE_OPTIONS : MACHINECTL_VALUE_OPTIONS;
    const args: string[] = [];
    for (let k = 1; k < words.length; k++) {
      const w = words[k] ?? "";
      // After `ssh HOST` or `machinectl shell MACHINE`, every word is the command's.
      if (args.length >= (name === "ssh" ? 1 : 2)) args.push(w);
      else if (values.has(w)) k++;
      else if (!w.startsWith("-")) args.push(w);
    }
    // `-o ProxyCommand=…`, `-o LocalCommand=…`: ssh runs them with the local shell.
    if (name === "ssh") for (const [k, o] of words.entries()) if (words[k - 1] === "-o" && /^(ProxyCommand|LocalCommand)[= ]/i.test(o)) out.push({ code: o.replace(/^\w+[= ]\s*/, ""), via: "ssh -o ProxyCommand" });
    const [target, ...command] = name === "ssh" ? args : args[0] === "shell" && /^([^@]*@)?\.host$/.test(args[1] ?? "") ? args.slice(1) : [];
    // ssh hands the joined words to the remote shell; machinectl runs them as they are (quoted here).
    const code = name === "ssh" ? command.join(" ") : command.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
    if (target !== undefined && command.length > 0) out.push({ code, via: `${name} ${target}` });
  }
  // `at now`, `batch`: a shell runs what they read, later.
  if ((name === "at" || name === "batch") && !words.some((w) => /^-[lrdc]$/.test(w))) {
    const f = words.indexOf("-f");
    out.push(f > 0 ? fileSource(words[f + 1] ?? "", files, name) : stdinOf(cmd, siblings, files, line) ?? { unknown: "the terminal" });
  }
  out.push(...programScripts(name, words, () => stdinOf(cmd, siblings, files, line), (path) => fileSource(path, files, name)));
  out.push(...consoleScripts(name, words, () => stdinOf(cmd, siblings, files, line)));
  return out;
}

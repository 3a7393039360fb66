// Programs that run shell commands given to them in their own language: GNU parallel's arguments, sed's `e`,
// vi's `-c '!…'`, and the string literals and argument lists of a Python, Perl, awk … program (given with `-c`/`-e`
// or on standard input). Only what is written literally is read: the program's own logic is not shell.
import { programFile, programText } from "./program-text.js";

/** Text a program runs as shell commands, or why the gate cannot know it. */
type Found = { code: string; via: string } | { unknown: string };

const INTERPRETERS = /^(python[0-9.]*|perl|ruby|node|nodejs|php|lua[0-9.]*|tclsh|expect)$/;
const AWKS = /^(awk|gawk|mawk|nawk)$/;

/**
 * Options whose value a program runs with a shell (GTFOBins' favourites): `tar --checkpoint-action=exec=CMD`,
 * `tar -I CMD`, `nc -e CMD`, `rsync -e CMD`, `git -c core.sshCommand=CMD`. Per program: options whose value is
 * the next word, and a pattern for the value given in the word itself.
 */
const EXEC_OPTIONS: Record<string, { separate: Set<string>; inline: RegExp }> = {
  tar: { separate: new Set(["-I", "-F", "--to-command", "--use-compress-program", "--info-script", "--new-volume-script", "--rsh-command"]), inline: /^--(checkpoint-action=exec|to-command|use-compress-program|info-script|new-volume-script|rsh-command)=(.*)$/s },
  nc: { separate: new Set(["-e", "-c"]), inline: /^--(exec|sh-exec)=(.*)$/s },
  ncat: { separate: new Set(["-e", "-c", "--exec", "--sh-exec"]), inline: /^--(exec|sh-exec)=(.*)$/s },
  netcat: { separate: new Set(["-e", "-c"]), inline: /^--(exec|sh-exec)=(.*)$/s },
  rsync: { separate: new Set(["-e", "--rsh", "--rsync-path"]), inline: /^--(rsh|rsync-path)=(.*)$/s },
  // man's pager (`-P CMD`, `--pager=CMD`) and browser (`-H CMD`) run with a shell.
  man: { separate: new Set(["-P", "--pager", "-H"]), inline: /^--(pager|html)=(.*)$/s },
  git: { separate: new Set(), inline: /^(?:-c)?(core\.(?:sshCommand|pager|editor|fsmonitor|hooksPath)|sequence\.editor|diff\.external)=(.*)$/is },
  // split's `--filter=CMD` writes each piece into CMD's standard input, run with a shell; zip's `-TT CMD` tests with CMD.
  split: { separate: new Set(["--filter"]), inline: /^--(filter)=(.*)$/s },
  zip: { separate: new Set(["-TT", "--unzip-command"]), inline: /^--(unzip-command)=(.*)$/s },
};

/** emacs's `--eval` forms that hand a string to a shell: `(shell-command "CMD")` and its relatives. */
const EMACS_SHELL = /\((?:async-)?(?:shell-command(?:-to-string)?|call-process-shell-command|start-process-shell-command\s+"(?:[^"\\]|\\.)*"\s+\S+)\s+"((?:[^"\\]|\\.)*)"/g;

/** vim's command-line `!CMD`, also `:!CMD`, `silent !CMD`, `silent! !CMD`, `+!CMD`. */
const VIM_BANG = /^\+?[:\s]*(?:sil(?:ent)?!?\s*)?!/;

/** Whether programScripts() may find anything for a command of this name (most commands: no). */
export const mayRunProgramScripts = (name: string): boolean => name in EXEC_OPTIONS || name === "socat" || name === "emacs" || name === "gdb" || name === "make" || name === "gmake" || name === "parallel" || name === "sed" || /^(vi|vim|nvim|ex|view)$/.test(name) || INTERPRETERS.test(name) || AWKS.test(name);

/** The shell commands a program runs, given its name, its words and what its standard input holds. */
export function programScripts(name: string, words: string[], stdin: () => Found | undefined, file: (path: string) => Found): Found[] {
  const out: Found[] = [];
  const exec = EXEC_OPTIONS[name];
  if (exec) {
    for (const [k, w] of words.entries()) {
      const inline = exec.inline.exec(w);
      if (inline) out.push({ code: inline[2] ?? "", via: `${name} ${w.split("=")[0]}` });
      else if (k > 0 && exec.separate.has(words[k - 1] ?? "")) out.push({ code: w, via: `${name} ${words[k - 1]}` });
      else if (name === "git" && words[k - 1] === "-c" && exec.inline.test(`-c${w}`)) out.push({ code: exec.inline.exec(`-c${w}`)?.[2] ?? "", via: "git -c" });
      // `git -c alias.NAME='!CMD' NAME`: an alias that starts with `!` is a shell command.
      const alias = name === "git" ? /^(?:-c)?alias\.[^=]+=\s*!(.*)$/is.exec(w) : null;
      if (alias) out.push({ code: alias[1] ?? "", via: "git alias !" });
    }
  }
  if (name === "emacs") {
    for (const [k, w] of words.entries()) {
      const form = /^--?eval$/.test(words[k - 1] ?? "") ? w : /^--eval=(.*)$/s.exec(w)?.[1];
      for (const m of form?.matchAll(EMACS_SHELL) ?? []) out.push({ code: (m[1] ?? "").replace(/\\(.)/g, "$1"), via: "emacs shell-command" });
    }
  }
  // socat's `EXEC:CMD` and `SYSTEM:CMD` addresses run CMD (up to the first option comma).
  if (name === "socat") for (const w of words.slice(1)) for (const m of w.matchAll(/^(?:EXEC|SYSTEM):(.*)$/gis)) out.push({ code: (m[1] ?? "").split(",")[0] ?? "", via: "socat EXEC" });
  // GNU parallel: `parallel ::: 'CMD' …` runs each argument; `parallel CMD {} ::: A B` runs CMD once per argument.
  if (name === "parallel") {
    const sep = words.indexOf(":::");
    const command = words.slice(1, sep < 0 ? undefined : sep).filter((w) => !w.startsWith("-"));
    const inputs = sep < 0 ? [] : words.slice(sep + 1).filter((w) => !/^:::+$/.test(w));
    // Without `:::` parallel reads its arguments from standard input: a command of its own runs with them appended.
    if (sep < 0) out.push(command.length > 0 ? { code: command.join(" ").split("{}").join(""), via: "parallel" } : stdin() ?? { unknown: "the arguments parallel reads" });
    else out.push({ code: inputs.map((a) => (command.length === 0 ? a : command.join(" ").includes("{}") ? command.join(" ").split("{}").join(a) : `${command.join(" ")} ${a}`)).join("\n"), via: "parallel" });
  }
  // gdb's `shell CMD` (or `!CMD`) in `-ex`/`--eval-command`: gdb hands CMD to a shell.
  if (name === "gdb") {
    for (const [k, w] of words.entries()) {
      const command = /^--?(ex|iex|eval-command|init-eval-command)$/.test(words[k - 1] ?? "") ? w : /^--(eval-command|init-eval-command)=(.*)$/s.exec(w)?.[2];
      const shell = command === undefined ? undefined : /^\s*(?:shell\s|!|pipe\s[^|]*\|)\s*(.*)$/s.exec(command)?.[1];
      if (shell !== undefined) out.push({ code: shell, via: "gdb shell" });
    }
  }
  // make runs each recipe line (a line starting with a tab) with a shell: `make -f - <<< …`, `make -f FILE`, ./Makefile.
  if (name === "make" || name === "gmake") {
    const at = words.findIndex((w) => /^(-f|--file|--makefile)(=|$)|^-f./.test(w));
    const path = at < 0 ? undefined : /^-f./.test(words[at] ?? "") ? (words[at] ?? "").slice(2) : (words[at] ?? "").includes("=") ? (words[at] ?? "").replace(/^[^=]*=/, "") : words[at + 1];
    const src = path === undefined ? file("Makefile") : path === "-" || /^\/dev\/(stdin|fd\/0)$/.test(path) ? stdin() ?? { unknown: "standard input" } : file(path);
    out.push("code" in src ? { code: src.code.split("\n").flatMap((l) => (l.startsWith("\t") ? [l.slice(1).replace(/^[@+-]+/, "")] : [])).join("\n"), via: "make recipe" } : src);
    for (const w of words) if (/^--eval=/.test(w)) out.push({ code: w.slice(7).split("\n").flatMap((l) => (l.startsWith("\t") ? [l.slice(1)] : [])).join("\n"), via: "make --eval" });
  }
  // GNU sed's `e CMD` command runs CMD; vi's `-c '!CMD'` too.
  if (name === "sed") for (const w of words.slice(1)) for (const m of w.matchAll(/(?:^|[;\n])\s*\d*\s*e\s+([^;\n]+)/g)) out.push({ code: m[1] ?? "", via: "sed e" });
  if (/^(vi|vim|nvim|ex|view)$/.test(name)) for (const [k, w] of words.entries()) if ((words[k - 1] === "-c" || w.startsWith("+")) && VIM_BANG.test(w)) out.push({ code: w.replace(VIM_BANG, ""), via: `${name} -c !` });
  if (INTERPRETERS.test(name) || AWKS.test(name)) {
    const at = AWKS.test(name) ? words.findIndex((w, k) => k > 0 && !w.startsWith("-") && !/^-[vfF]$/.test(words[k - 1] ?? "")) - 1 : words.findIndex((w) => /^-[a-zA-Z]*[ceEr]$/.test(w));
    let code = at > 0 || (AWKS.test(name) && at === 0) && !words.some((w) => /^(-f|--file)/.test(w)) ? words[at + 1] : undefined;
    // `python3 - <<'EOF'`, `perl <<< '…'`: the program comes from standard input.
    if (code === undefined && !AWKS.test(name) && (words.length === 1 || words.slice(1).every((x) => x === "-" || /^-[a-zA-Z]+$/.test(x)))) {
      const input = stdin();
      if (input && "code" in input) code = input.code;
    }
    // `python3 FILE`, `awk -f FILE`: the program is a file — the lab's own is read, another is refused. A path
    // only the run knows (`"$2"`) is the caller's argument, read where it is called.
    const path = code === undefined ? programFile(name, words) : undefined;
    if (path !== undefined && (!path.includes("$") || /^\$\{?LAB_DIR\}?\//.test(path))) {
      const src = file(path);
      if ("code" in src) code = src.code;
      else out.push(src);
    }
    if (code !== undefined) out.push(...programText(name, code));
  }
  return out;
}

// Commands that only look: they list, read, print or probe and change nothing on the machine. A hint that says
// what to look at (`ip -n ns1 -br addr`, `findmnt -o PROPAGATION /`) is a nudge, even when the step runs that
// same command: only the commands that do the step's work are its answer (`hint/answer-first`). Pure.
import { simpleCommands } from "../shell/commands.js";
import type { SimpleCommand } from "../shell/types.js";

/** Programs that only read and print, whatever their arguments (the exceptions are in lookingProgram). */
const LOOKERS = new Set([
  "[", "awk", "basename", "blkid", "cat", "cmp", "column", "cut", "date", "df", "diff", "dirname", "du", "echo",
  "egrep", "false", "fgrep", "file", "find", "findmnt", "getcap", "getent", "grep", "head", "hexdump", "id", "jq",
  "ldd", "less", "ls", "lsattr", "lsblk", "lsns", "man", "md5sum", "more", "nl", "od", "pgrep", "pidof", "ping",
  "printf", "ps", "pwd", "readlink", "realpath", "sed", "sha256sum", "sort", "ss", "stat", "tail", "test", "tr",
  "tree", "true", "type", "uname", "uniq", "wc", "which", "whoami", "xxd",
]);

/** `PROGRAM VERB …` whose verb (first word that is no option) only shows; no verb shows too. */
const SHOW_VERBS: Record<string, ReadonlySet<string>> = {
  bridge: new Set(["link", "fdb", "vlan", "mdb", "show", "list"]),
  machinectl: new Set(["list", "list-images", "show", "show-image", "status", "image-status"]),
  systemctl: new Set(["status", "show", "cat", "is-active", "is-enabled", "is-failed", "is-system-running", "list-units", "list-unit-files"]),
  nft: new Set(["list"]),
  runc: new Set(["list", "state", "ps"]),
  skopeo: new Set(["inspect"]),
};

/** `ip` options that take a value (`ip -n ns1 link`): the value is not the object. */
const IP_VALUE_OPTIONS = new Set(["-n", "-netns", "-f", "-family", "-b", "-batch", "-rc", "-rcvbuf", "-l", "-loops"]);
const IP_SHOW = new Set(["show", "list", "ls", "lst", "get", "identify", "pids"]);

/** Writes to a file (`>`, `>>`, `&>`, `>|`), except to /dev/null or another descriptor (`2>&1`). */
function writesFile(cmd: SimpleCommand): boolean {
  return cmd.redirects.some((r) => /^\d*(>|>>|>\||&>|&>>)$/.test(r.op) && r.target !== "/dev/null" && !/^&?-?\d*-?$/.test(r.target));
}

/** `ip [OPTIONS] OBJECT [VERB …]` shows when VERB is missing or a show verb; `ip netns exec NS CMD` when CMD looks. */
function ipLooks(words: readonly string[]): boolean {
  let i = 1;
  while (i < words.length && words[i]!.startsWith("-")) i += IP_VALUE_OPTIONS.has(words[i]!) ? 2 : 1;
  const object = words[i];
  const verb = words[i + 1];
  if (object === undefined) return true;
  if (object === "netns" && verb === "exec") return wordsLook(words.slice(i + 3));
  return verb === undefined || IP_SHOW.has(verb) || (object === "route" && verb === "get");
}

const withoutOptions = (args: readonly string[]): string[] => args.slice(Math.max(0, args.findIndex((a) => !a.startsWith("-"))));

function wordsLook(words: readonly string[]): boolean {
  const [name, ...args] = words;
  if (name === undefined) return false;
  const program = name.slice(name.lastIndexOf("/") + 1);
  if (program === "sudo") return wordsLook(withoutOptions(args));
  if (program === "timeout") return wordsLook(withoutOptions(args).slice(1));
  if (program === "ip") return ipLooks(words);
  if (program === "mount" || program === "losetup") return args.length === 0 || args.every((a) => a === "-l" || a === "-a" || a === "--list");
  if (program === "hostname") return args.every((a) => a.startsWith("-"));
  if (program === "iptables" || program === "ip6tables") return args.some((a) => /^(-L|-S|--list|--list-rules)$/.test(a)) && !args.some((a) => /^(-[AIDRPFXNZ]|--(append|insert|delete|replace|policy|flush|zero))$/.test(a));
  if (program === "tar") return /^-?[a-zA-Z]*t/.test(args[0] ?? "") || args.includes("--list");
  const verbs = SHOW_VERBS[program];
  if (verbs) {
    const verb = args.find((a) => !a.startsWith("-"));
    return verb === undefined || verbs.has(verb);
  }
  if (!LOOKERS.has(program)) return false;
  if (program === "sed") return !args.some((a) => /^(-i|--in-place)/.test(a));
  if (program === "find") return !args.some((a) => /^-(delete|exec|execdir|ok|okdir|fprint.*|fls)$/.test(a));
  return true;
}

/** Whether a line of shell only looks: every command in it is a looker, and none writes into a file. */
export function looksOnly(line: string): boolean {
  let commands: SimpleCommand[];
  try {
    commands = simpleCommands(line);
  } catch {
    return false;
  }
  return commands.length > 0 && commands.every((c) => !writesFile(c) && wordsLook(c.words));
}

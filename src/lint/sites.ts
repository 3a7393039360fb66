// Every simple command of a lab with where it runs (session + wrappers), for the rules that read commands.
import { IPTABLES_COMMAND, splitIptablesOptions } from "./iptables-words.js";
import type { Block, Lab, Step } from "../format/types.js";
import { DEFAULT_SESSION } from "../format/types.js";
import type { Redirect, SimpleCommand } from "../shell/types.js";
import type { Field } from "./expand.js";
import { mayRunScripts, scriptsOf } from "./scripts.js";
import { callOf } from "./calls.js";
import { fileKey } from "./lab-files.js";
import { unwrap } from "./unwrap.js";
import { canonicalIpWords } from "./ip-args.js";
import { fullLongOptions, hasLongOptions } from "./long-options.js";
import { foreignNetns, HOST, isOwnNetns, type Isolation } from "./isolation.js";
import { nameOf } from "./site-words.js";
import { hookCommands } from "./hook-commands.js";
import { lexScript, readLab, variantsOf, type LabShell } from "./lab-shell.js";

export { commandName, positionals, whereItRuns } from "./site-words.js";

export interface CommandSite {
  block: Block;
  /** The step the block belongs to; undefined for the lab's `## Cleanup`. */
  step: Step | undefined;
  /** The effective command's words, wrappers removed (`ip netns exec ns ping x` → `ping x`), variables resolved. */
  words: string[];
  literal: boolean[];
  /** The words with what the gate knows of each (`known`, the literal `head` before a run-time part). */
  fields: Field[];
  redirects: Redirect[];
  /** Lab-file line and column of the command. */
  line: number;
  column: number;
  /** What the command does not share with the host: its session's isolation plus its wrappers'. */
  isolation: Isolation;
  wrappers: string[];
  /** Runs on after its block ends: a `background` block, or a command ended by `&`. */
  background: boolean;
  /** Runs in the host's network namespace (not isolated, and no `ip -n NS` of the lab's own). */
  hostNetns: boolean;
  /** Why the gate cannot read what this command runs (a script from a pipe or a file it does not know). */
  unchecked?: string;
  /** The command's name without a path (`/usr/sbin/ip` → `ip`), computed once: rules look sites up by it. */
  name: string;
  /** Position among the lab's sites (document order), set by the site index. */
  order: number;
}

/**
 * Each session's isolation from the host, from the command that entered it (the block's last command), joined
 * with the isolation of the session it was entered from. Unknown sessions count as the host (the safe default).
 */
function sessionIsolation(shell: LabShell): Map<string, Isolation> {
  const sessions = new Map<string, Isolation>([[DEFAULT_SESSION, HOST]]);
  // By the variable that holds each session's PID, for `nsenter -t "$ROOTLAB_SESSION_NAME_PID"` (a later session's too).
  const byPidVariable = new Map<string, Isolation>([["HOST", HOST]]);
  shell.ctx.sessions = byPidVariable;
  for (const { block, commands } of shell.blocks) {
    if (!block.enter) continue;
    const last = commands.at(-1);
    const parent = sessions.get(block.session) ?? HOST;
    const fields = last ? variantsOf(shell, last)[0] ?? [] : [];
    const entered = last ? unwrap(fields.map((f) => f.text), fields.map((f) => f.known), parent, shell.ctx).isolation : parent;
    sessions.set(block.enter, entered);
    byPidVariable.set(block.enter.toUpperCase().replace(/[-.]/g, "_"), entered);
  }
  return sessions;
}

export function commandSites(lab: Lab): CommandSite[] {
  const shell = readLab(lab);
  const sessions = sessionIsolation(shell);
  const sites: CommandSite[] = [];
  for (const { block, step, commands, facts } of shell.blocks) {
    const base = sessions.get(block.session) ?? HOST;
    // PROMPT_COMMAND, BASH_ENV, prompts, proxies, subscripts: what a block runs without writing it as a command.
    const hooks = hookCommands(commands, facts);
    for (const list of [hooks, commands]) {
      for (const cmd of list) {
        const where = { block, step, line: block.codeLine + cmd.line, column: cmd.column, background: block.background || cmd.background };
        addSites(shell, sites, where, cmd, commands, base, [], 0);
      }
    }
    // What the lexer could not read to its end is refused, never passed: the commands after it are unknown.
    if (facts.unreadable) sites.push({ block, step, line: block.codeLine + facts.unreadable.line, column: 1, background: false, words: [], literal: [], fields: [], redirects: [], isolation: base, wrappers: [], hostNetns: !base.net, unchecked: `the block cannot be read past this line (${facts.unreadable.what})`, name: "", order: 0 });
  }
  return sites;
}

/**
 * The command's redirections with their targets expanded (`> $p/ip_forward`, `< /dev/tcp/$host/53`): one per value
 * the lab gives the variable. Most targets hold no `$`, and are the lexer's own list.
 */
function redirectsOf(shell: LabShell, cmd: SimpleCommand): Redirect[] {
  if (!cmd.redirects.some((r) => r.raw.includes("$"))) return cmd.redirects;
  return cmd.redirects.flatMap((r) => {
    if (!r.raw.includes("$")) return [r];
    const values = shell.env.expand(r.raw).flat();
    const known = values.filter((f) => f.known).map((f) => ({ op: r.op, target: f.text, raw: r.raw }));
    // A part only the run knows keeps the target as written (`/dev/tcp/$host/53`): rules refuse what they cannot read.
    return values.length > 0 && known.length === values.length ? known : [r, ...known];
  });
}

type Where = Pick<CommandSite, "block" | "step" | "line" | "column" | "background">;

/** A command name only the run knows (`$cmd`, `$(…)`), unless it is a file in the lab's own folders. */
const unknownName = (f: Field | undefined, inBody: boolean): boolean => f !== undefined && !f.known && !/^\$\{?(LAB_DIR|BUSYBOX_ROOTFS|ALPINE_ROOTFS|SYSTEMD_IMAGE)\b/.test(f.text) && !(inBody && /^\$[@*]$/.test(f.text));

/** Where an ip/tc/bridge command's global options end (their values included). */
function leadingOptionsEnd(words: string[]): number {
  let k = 1;
  while (k < words.length && (words[k] ?? "").startsWith("-") && words[k] !== "-") k += /^-(n|b|f|rc|l|cf)$/.test(words[k] ?? "") ? 2 : 1;
  return k - 1;
}

/**
 * How deep the gate follows functions, aliases, program copies and scripts run by scripts (`eval`, `sh -c`, `sh <<E`).
 * What lies deeper is refused (safety/unchecked), never passed: `eval eval eval eval ip link set eth0 down` or a
 * chain of functions each calling the next would otherwise hide its last command.
 */
const MAX_DEPTH = 6;
const TOO_DEEP = `it runs commands nested more than ${MAX_DEPTH} levels deep (functions, aliases, \`eval\`, \`sh -c\`, scripts run by scripts), deeper than the gate reads`;

function addSites(shell: LabShell, sites: CommandSite[], where: Where, cmd: SimpleCommand, siblings: SimpleCommand[], base: Isolation, outer: string[], depth: number): void {
  // A call of the lab's alias or function runs the alias's text or the function's body, with the call's words.
  // `./x` where x is a copy of or a link to a program: it runs that program.
  const program = cmd.words[0]?.includes("/") ? shell.programs.get(fileKey(cmd.words[0])) : undefined;
  if (program !== undefined && depth < MAX_DEPTH) {
    const renamed = { ...cmd, words: [program, ...cmd.words.slice(1)], raw: [program, ...cmd.raw.slice(1)], literal: [true, ...cmd.literal.slice(1)] };
    addSites(shell, sites, where, renamed, siblings, base, [...outer, `${cmd.words[0]} (a copy of ${program})`], depth + 1);
  }
  // A call already being read further out (`alias ls='ls -l'`, a function calling back the one that called it):
  // bash expands no alias inside itself, and a body already read says nothing new.
  const found = callOf(cmd, shell.callables);
  const callName = found?.via.split(" ").slice(0, 2).join(" ");
  const call = found && !outer.some((o) => o === callName || o.startsWith(`${callName} `)) ? found : undefined;
  const tooDeep = depth >= MAX_DEPTH && (program !== undefined || call !== undefined);
  if (call && !tooDeep) {
    for (const text of call.alias ?? []) {
      const nested = lexScript(shell, text);
      for (const c of nested) addSites(shell, sites, { ...where, background: where.background || c.background }, c, nested, base, [...outer, call.via], depth + 1);
    }
    for (const c of call.body ?? []) addSites(shell, sites, where, c, call.body ?? [], base, [...outer, call.via], depth + 1);
  }
  for (const fields of variantsOf(shell, cmd)) {
    const inner = unwrap(fields.map((f) => f.text), fields.map((f) => f.known), base, shell.ctx);
    let innerFields = inner.rewritten ? inner.words.map((w) => ({ text: w, known: !w.includes("$"), head: w.split("$")[0] ?? "", ifEmpty: w.replace(/\$\(input\)/g, ""), raw: undefined })) : inner.offset === 0 ? fields : fields.slice(inner.offset); // variants are never changed once read
    const { isolation } = inner;
    const wrappers = outer.length === 0 ? inner.wrappers : inner.wrappers.length === 0 ? outer : [...outer, ...inner.wrappers];
    const name = nameOf(inner.words[0]);
    // `ip -n NS`, `tc -n NS`, `bridge -n NS`: the tool's own way into a namespace (the lab's, or someone else's).
    const nsTool = name === "ip" || name === "tc" || name === "bridge";
    // Options as the rules read them, whatever prefix the lab wrote (`ip -net X` is `ip -n X`, `rm --rec` `--recursive`).
    const toolWords = nsTool ? canonicalIpWords(inner.words) : hasLongOptions(name) ? fullLongOptions(name, inner.words) : inner.words;
    if (toolWords !== inner.words) {
      inner.words = toolWords;
      innerFields = innerFields.map((f, i) => (toolWords[i] === f.text || toolWords[i] === undefined ? f : { text: toolWords[i] as string, known: f.known, head: toolWords[i] as string, ifEmpty: toolWords[i] as string, raw: f.raw }));
    }
    // The last -n wins: ip switches into each in turn.
    const nsOpt = nsTool ? toolWords.lastIndexOf("-n", leadingOptionsEnd(toolWords)) : -1;
    const foreignNs = nsOpt >= 0 && !isOwnNetns(inner.words[nsOpt + 1], shell.ctx);
    const hostNetns = !isolation.net && (nsOpt < 0 || foreignNs);
    // Built property by property: a spread of `where` here cost more than the rest of lint together.
    const site: CommandSite = { block: where.block, step: where.step, line: where.line, column: where.column, background: where.background, words: inner.words, literal: inner.literal, fields: innerFields, redirects: redirectsOf(shell, cmd), isolation, wrappers: foreignNs ? [...wrappers, `${name} -n ${inner.words[nsOpt + 1]} (${foreignNetns(inner.words[nsOpt + 1], shell.ctx)})`] : wrappers, hostNetns, unchecked: undefined, name, order: 0 };
    // Under another root (chroot, nspawn) a command can only be one of that root's files.
    // `"$@"` as a command is a function's or a script's arguments (read at their call); in a block it is `set --`'s.
    if (!isolation.root && unknownName(innerFields[0], depth > 0 || cmd.fn !== undefined)) site.unchecked = `its name, \`${innerFields[0]?.text}\`, comes from an expansion only the run knows`;
    if (IPTABLES_COMMAND.test(name)) splitIptablesOptions(site);
    if (tooDeep) site.unchecked ??= TOO_DEEP;
    sites.push(site);
    if (!mayRunScripts(inner, shell.files)) continue;
    // Lines of what the command reads (a here-document) count from its own code's first line: the block's, or the
    // script's that holds it (`sh <<A` inside `sh <<B`); one that falls outside the block is the command's own line.
    const origin = where.line - cmd.line;
    const line = (l: number) => (origin + l >= where.block.codeLine && origin + l <= where.block.codeLine + where.block.code.split("\n").length ? origin + l : where.line);
    for (const script of scriptsOf(cmd, inner, siblings, shell.files, line)) {
      if (depth >= MAX_DEPTH) {
        site.unchecked ??= TOO_DEEP;
        break;
      }
      if ("unknown" in script) {
        site.unchecked ??= `it runs commands from ${script.unknown}`;
        continue;
      }
      const code = script.prefix === undefined ? script.code : script.code.split("\n").filter((l) => l.trim() !== "" && !l.trim().startsWith("#")).map((l) => script.prefix + l).join("\n");
      const key = `${where.line}:${where.column}:${script.via}:${+isolation.net}${+isolation.mnt}${+isolation.root}${+isolation.pid}`;
      const readAt = shell.read.get(code) ?? new Set<string>();
      if (readAt.has(key)) continue;
      readAt.add(key);
      shell.read.set(code, readAt);
      const nested = lexScript(shell, code);
      for (const c of nested) {
        const at = { ...where, line: script.line !== undefined ? script.line + c.line : where.line, background: where.background || c.background };
        addSites(shell, sites, at, c, nested, isolation, [...wrappers, script.via], depth + 1);
      }
    }
  }
}

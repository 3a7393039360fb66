// Every simple command of a lab with where it runs (session + wrappers), for the rules that read commands.
import type { Block, Lab, Step } from "../format/types.js";
import { DEFAULT_SESSION } from "../format/types.js";
import { simpleCommands } from "../shell/commands.js";
import type { Redirect, SimpleCommand } from "../shell/types.js";
import { HOST, isShell, unwrap, type Isolation } from "./unwrap.js";

export interface CommandSite {
  block: Block;
  /** The step the block belongs to; undefined for the lab's `## Cleanup`. */
  step: Step | undefined;
  /** The effective command's words, wrappers removed (`ip netns exec ns ping x` → `ping x`). */
  words: string[];
  literal: boolean[];
  redirects: Redirect[];
  /** Lab-file line and column of the command. */
  line: number;
  column: number;
  /** What the command does not share with the host: its session's isolation plus its wrappers'. */
  isolation: Isolation;
  wrappers: string[];
  /** Runs on after its block ends: a `background` block, or a command ended by `&`. */
  background: boolean;
}

/** Blocks in the order rootlab meets them: steps in order, then `## Cleanup`. */
export function blocksInOrder(lab: Lab): { block: Block; step: Step | undefined }[] {
  return [
    ...lab.steps.flatMap((step) => [...step.blocks, ...step.wrongAttempts.flatMap((w) => (w.undo ? [w, w.undo] : [w]))].map((block) => ({ block, step }))),
    ...lab.cleanup.map((block) => ({ block, step: undefined })),
  ];
}

/**
 * Each session's isolation from the host, from the command that entered it (the block's last command), joined
 * with the isolation of the session it was entered from. Unknown sessions count as the host (the safe default).
 */
export function sessionIsolation(lab: Lab): Map<string, Isolation> {
  const sessions = new Map<string, Isolation>([[DEFAULT_SESSION, HOST]]);
  for (const { block } of blocksInOrder(lab)) {
    if (!block.enter) continue;
    const last = simpleCommands(block.code).at(-1);
    const parent = sessions.get(block.session) ?? HOST;
    sessions.set(block.enter, last ? unwrap(last.words, last.literal, parent).isolation : parent);
  }
  return sessions;
}

export function commandSites(lab: Lab): CommandSite[] {
  const sessions = sessionIsolation(lab);
  const sites: CommandSite[] = [];
  for (const { block, step } of blocksInOrder(lab)) {
    const base = sessions.get(block.session) ?? HOST;
    for (const cmd of simpleCommands(block.code)) {
      const where = { block, step, line: block.codeLine + cmd.line, column: cmd.column, background: block.background || cmd.background };
      addSites(sites, where, cmd, base, [], 0);
    }
  }
  return sites;
}

type Where = Pick<CommandSite, "block" | "step" | "line" | "column" | "background">;

const EVAL = new Set(["eval", "source", "."]);

function addSites(sites: CommandSite[], where: Where, cmd: SimpleCommand, base: Isolation, outer: string[], depth: number): void {
  const inner = unwrap(cmd.words, cmd.literal, base);
  const { isolation } = inner;
  const wrappers = [...outer, ...inner.wrappers];
  sites.push({ ...where, words: inner.words, literal: inner.literal, redirects: cmd.redirects, isolation, wrappers });
  if (depth >= 3) return;
  // Text that a shell runs as commands is read as commands: `sh -c '…'`, `eval '…'`, a shell fed a here-document.
  const scripts: { code: string; line: number; via: string }[] = [];
  if (inner.script !== undefined) scripts.push({ code: inner.script, line: where.line, via: "sh -c" });
  const name = (inner.words[0] ?? "").replace(/^.*\//, "");
  if (name === "eval") scripts.push({ code: inner.words.slice(1).join(" "), line: where.line, via: "eval" });
  if ((isShell(inner.words[0]) && inner.script === undefined) || (EVAL.has(name) && /^\/dev\/stdin$|^-$/.test(inner.words[1] ?? ""))) {
    for (const doc of cmd.heredocs) scripts.push({ code: doc.body, line: where.block.codeLine + doc.line, via: `${name} <<` });
  }
  for (const script of scripts) {
    for (const c of simpleCommands(script.code)) {
      const at = { ...where, line: script.via.endsWith("<<") ? script.line + c.line : where.line, background: where.background || c.background };
      addSites(sites, at, c, isolation, [...wrappers, script.via], depth + 1);
    }
  }
}

/** The command's name without a path (`/usr/sbin/ip` → `ip`). */
export function commandName(site: Pick<CommandSite, "words">): string {
  return (site.words[0] ?? "").replace(/^.*\//, "");
}

/** Positional words after the command name: options (and given option values) removed. */
export function positionals(words: string[], valueOptions: ReadonlySet<string> = new Set()): string[] {
  const out: string[] = [];
  for (let k = 1; k < words.length; k++) {
    const w = words[k] ?? "";
    if (w === "--") {
      out.push(...words.slice(k + 1));
      break;
    }
    if (w.startsWith("-") && w !== "-") {
      if (valueOptions.has(w)) k++;
      continue;
    }
    out.push(w);
  }
  return out;
}

/** "in session box" / "inside unshare" — where a command runs, for messages. */
export function whereItRuns(site: CommandSite): string {
  const parts = [site.block.session === DEFAULT_SESSION ? "in the host session" : `in session \`${site.block.session}\``];
  if (site.wrappers.length > 0) parts.push(`via ${site.wrappers.join(" → ")}`);
  return parts.join(" ");
}

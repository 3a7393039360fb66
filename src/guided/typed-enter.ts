// After the learner typed a command that opens a session (a block with `enter=NAME`: `systemd-nspawn … /bin/sh`,
// `unshare -Ur bash`) and left that shell, rootlab opens the session itself with the lab's command (a shell the
// learner opened lives only in their terminal). What rootlab says then must be true: when what they typed differs
// from the lab's command (`--private-network` left out, `as_student` left out so it ran as root), it names the
// difference, since rootlab's session — and so the checks — did not see their version. Pure.
import type { Block } from "../format/types.js";
import { blockCommands, programOf } from "./typed-runs.js";

/** A command's words as compared: quotes left out, short option clusters split (`-Ur` = `-U -r`). */
export function comparableWords(command: string): string[] {
  return command
    .replace(/["']/g, "")
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((w) => (/^-[A-Za-z]{2,}$/.test(w) ? [...w.slice(1)].map((c) => `-${c}`) : [w.length > 1 ? w.replace(/\/+$/, "") : w]));
}

/** Does the learner's word TYPED stand for the lab's word LAB? A variable in LAB ($LAB_DIR) may have been typed expanded. */
function sameWord(lab: string, typed: string): boolean {
  if (lab === typed) return true;
  if (!lab.includes("$")) return false;
  const parts = lab.split(/\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/);
  if (parts.length < 2) return false;
  const pattern = parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".+");
  return new RegExp(`^${pattern}$`).test(typed);
}

export interface CommandDifference {
  /** Words of the lab's command the typed one lacks, in the lab's order. */
  lacked: string[];
  /** Words of the typed command the lab's lacks, in the typed order. */
  extra: string[];
}

/** How TYPED differs from the lab's command LAB, word by word in any order (options may come in any order). */
export function commandDifference(lab: string, typed: string): CommandDifference {
  const mine = comparableWords(typed);
  const used = new Set<number>();
  const lacked: string[] = [];
  for (const word of comparableWords(lab)) {
    const i = mine.findIndex((t, k) => !used.has(k) && sameWord(word, t));
    if (i < 0) lacked.push(word);
    else used.add(i);
  }
  return { lacked, extra: mine.filter((_t, k) => !used.has(k)) };
}

/**
 * Of TYPED (the lines the learner ran in the turn, in order), the one that opened the shell for LAB: of those whose
 * program is one of the lab's command's words (`unshare -Ur bash` for `as_student unshare -Ur bash`), the closest
 * to it (a `bash` typed inside the new shell is further away), and of equals the last.
 */
export function typedOpener(lab: string, typed: readonly string[]): string | undefined {
  const labWords = new Set(comparableWords(lab).map((w) => w.split("/").pop()));
  let best: { text: string; distance: number } | undefined;
  for (const t of typed) {
    const program = programOf(t);
    if (program === "" || !labWords.has(program)) continue;
    const d = commandDifference(lab, t);
    const distance = d.lacked.length + d.extra.length;
    if (!best || distance <= best.distance) best = { text: t, distance };
  }
  return best?.text;
}

/** A list of words as the learner reads it: `a`, `b` and `c`. */
function listed(words: readonly string[]): string {
  const q = words.map((w) => `\`${w}\``);
  return q.length <= 1 ? (q[0] ?? "") : `${q.slice(0, -1).join(", ")} and ${q.at(-1)}`;
}

/** The command of BLOCK that opens its session (its last). */
export function openingCommand(block: Block): string {
  return blockCommands(block).at(-1) ?? block.code.trim();
}

/**
 * What rootlab says once it has opened BLOCK's session after the learner's turn: a short confirmation when TYPED
 * (what they ran) matches the block's command; otherwise that rootlab used the lab's command, which, and how
 * theirs differed (what it lacked, what it added), so the learner sees what they missed.
 */
export function openedSessionNote(block: Block, typed: readonly string[]): { same: boolean; text: string } {
  const lab = openingCommand(block);
  const session = block.enter ?? block.session;
  const theirs = typedOpener(lab, typed);
  if (theirs === undefined) return { same: false, text: `rootlab opened session "${session}" with the lab's command: \`${lab}\`.` };
  const diff = commandDifference(lab, theirs);
  if (diff.lacked.length === 0 && diff.extra.length === 0) return { same: true, text: `rootlab opened session "${session}" with the command you typed.` };
  const how = [
    ...(diff.lacked.length > 0 ? [`lacked ${listed(diff.lacked)}`] : []),
    ...(diff.extra.length > 0 ? [`had ${listed(diff.extra)}, which the lab's has not`] : []),
  ].join(" and ");
  return {
    same: false,
    text:
      `rootlab opened session "${session}" with the lab's command, not yours: \`${lab}\`. Yours (\`${theirs}\`) ${how}. ` +
      `The next commands and the checks run in rootlab's session, so they show what the lab's command does.`,
  };
}

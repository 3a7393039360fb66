// What a step changed, folded for a screen a student also reads the step's output on: duplicates dropped, a
// session's new namespaces on one line, a mount namespace's many mounts (nspawn makes dozens, most of them
// /sys/fs/cgroup/… turned shared) on one line with counts, every line a sentence, and at most MAX lines with
// room for "… and N more" (the whole list is kept for whoever asks for it). Pure.
import type { Change } from "./types.js";

export interface FoldedChanges {
  /** At most `max` lines (one of them is left for the caller's "… and N more" when `more` > 0). */
  lines: string[];
  /** Every change, one per line (duplicates dropped, sentence case): what "see all" shows. */
  all: string[];
  /** Folded lines left out to stay within `max`. */
  more: number;
  /** Whether `lines` differ from `all` (merged or cut): then seeing all of them tells more. */
  folded: boolean;
}

/** A mount namespace with more mount changes than this gets one line for all of them. */
const MOUNTS_LISTED = 3;
/** Mount points named on a folded mount line, as examples. */
const EXAMPLES = 3;

/** "c1: in its own mount namespace" → "c1" and "mount" (a session's new namespace, as diff.ts words it). */
const OWN_NAMESPACE = /^(.+): in its own (\S+) namespace$/;

/** The text as a sentence: "c1: …" (a session) → "Session c1: …", "/x mounted" → "On the host: /x mounted". */
export function asSentence(c: Change): string {
  const t = c.text;
  if (/^[+-] /.test(t) || /^[A-Z0-9]/.test(t)) return t;
  if (c.kind === "mount") return c.where === undefined || c.where === "host" ? `On the host: ${t}` : t.replace(/^([^:]+): /, "In $1's mount namespace: ");
  if (c.kind === "limit") return `Cgroup ${t}`;
  if (c.kind === "link") return `Link ${t}`;
  if (c.kind === "namespace" || c.kind === "root" || c.kind === "process" || c.kind === "hostname") {
    const session = /^([^:\s]+): /.exec(t);
    if (session) return `Session ${t}`;
  }
  return t.charAt(0).toUpperCase() + t.slice(1);
}

function list(words: string[]): string {
  return words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** One line for many mount changes in one mount namespace: how many added, gone, turned shared/private. */
function mountLine(where: string, changes: Change[]): string {
  const added = changes.filter((c) => c.action === "added");
  const gone = changes.filter((c) => c.action === "removed");
  const changed = changes.filter((c) => c.action === "changed");
  const parts: string[] = [];
  if (added.length > 0) {
    const names = added.slice(0, EXAMPLES).map((c) => c.subject);
    parts.push(`${plural(added.length, "new mount")} (${names.join(", ")}${added.length > EXAMPLES ? ", …" : ""})`);
  }
  for (const c of gone) {
    // diff.ts already sums up many mounts gone: "N of the host's mounts are no longer visible".
    const n = /(\d+) of the host's mounts/.exec(c.text);
    parts.push(n ? `${plural(Number(n[1]), "host mount")} no longer visible` : `${c.subject} unmounted`);
  }
  if (changed.length > 0) {
    const states = [...new Set(changed.map((c) => /(?:is|are) now (\S+)$/.exec(c.text)?.[1] ?? "changed"))];
    // diff.ts sums up a new namespace's copied mounts turned private: "N mounts copied from the host are now …".
    const count = changed.reduce((n, c) => n + Number(/(\d+) mounts copied from the host/.exec(c.text)?.[1] ?? 1), 0);
    parts.push(`${plural(count, "mount")} now ${list(states)}`);
  }
  const label = where === "host" ? "On the host" : `In ${where.replace(/'s mount namespace$/, "")}'s mount namespace`;
  return `${label}: ${list(parts)}`;
}

/** The changes as lines: grouped as diff.ts sorted them (by kind), folded, at most MAX lines. */
export function foldChanges(changes: Change[], max: number): FoldedChanges {
  const seen = new Set<string>();
  const unique = changes.filter((c) => (seen.has(c.text) ? false : (seen.add(c.text), true)));
  const all = unique.map(asSentence);
  const lines: string[] = [];
  const ownNamespaces = new Map<string, string[]>();
  const mounts = new Map<string, Change[]>();
  for (const c of unique) {
    const own = c.kind === "namespace" && c.action === "added" ? OWN_NAMESPACE.exec(c.text) : null;
    if (own) ownNamespaces.set(own[1]!, [...(ownNamespaces.get(own[1]!) ?? []), own[2]!]);
    if (c.kind === "mount") mounts.set(c.where ?? "host", [...(mounts.get(c.where ?? "host") ?? []), c]);
  }
  const placed = new Set<string>();
  for (const c of unique) {
    const own = c.kind === "namespace" && c.action === "added" ? OWN_NAMESPACE.exec(c.text) : null;
    if (own) {
      const kinds = ownNamespaces.get(own[1]!) ?? [];
      if (kinds.length > 1 && placed.has(`ns:${own[1]}`)) continue;
      placed.add(`ns:${own[1]}`);
      lines.push(kinds.length > 1 ? `Session ${own[1]}: in its own ${list(kinds)} namespaces` : asSentence(c));
      continue;
    }
    const where = c.kind === "mount" ? (c.where ?? "host") : undefined;
    const group = where !== undefined ? (mounts.get(where) ?? []) : [];
    if (where !== undefined && group.length > MOUNTS_LISTED) {
      if (placed.has(`mnt:${where}`)) continue;
      placed.add(`mnt:${where}`);
      lines.push(mountLine(where, group));
      continue;
    }
    lines.push(asSentence(c));
  }
  const folded = lines.length !== all.length || lines.some((l, i) => l !== all[i]);
  if (lines.length <= max) return { lines, all, more: 0, folded };
  const kept = lines.slice(0, Math.max(1, max - 1));
  return { lines: kept, all, more: lines.length - kept.length, folded: true };
}

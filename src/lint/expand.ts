// What the safety gate can know of a word before the lab runs: literal assignments (`x=eth0`), `for` lists,
// brace expansion, `$'…'` and field splitting are resolved; what only the run knows ($( ), `read`, $1…) stays as
// written and is marked, so a rule can say "the gate cannot check this". Over-approximate on purpose: a variable
// takes every value the lab ever gives it, in any block or session (a wrong branch costs a false alarm at worst,
// never a missed `eth0`).
import type { ShellFacts, SimpleCommand } from "../shell/types.js";
import { braceExpand } from "../shell/brace-expansion.js";
import { wordParts } from "../shell/words.js";

/** One word after expansion. */
export interface Field {
  /** The word; parts only the run knows stay as written (`rl-$(date)`). */
  text: string;
  /** Nothing in it depends on the run. */
  known: boolean;
  /** The literal text before the first part only the run knows (all of `text` when known). */
  head: string;
  /** The word if every part only the run knows came out empty (what `rm -rf "$DIR/"` does when DIR is unset). */
  ifEmpty: string;
  /** The word as the lab wrote it, when it was a whole word of the command. */
  raw?: string;
}

/** Variables rootlab sets for every block: never empty, and paths or values of the lab's own. */
export const ROOTLAB_VARS = /^(LAB_DIR|LAB_ID|BUSYBOX_ROOTFS|ALPINE_ROOTFS|ALPINE_TARBALL|ALPINE_URL|ALPINE_SHA256|ALPINE_VERSION|SYSTEMD_IMAGE|ROOTLAB_SESSION_[A-Z0-9_]+_PID)$/;

/** At most this many values per word or command: beyond it the rest is dropped (never an explosion). */
const LIMIT = 16;
/** At most this many values as written per variable that a lab appends to (`x+=…`). */
const MAX_APPENDED = 256;

// Every Field is made with the same properties in the same order (raw too): one object shape, which V8 keeps fast.
const literal = (text: string): Field => ({ text, known: true, head: text, ifEmpty: text, raw: undefined });
/**
 * A value longer than any lab writes is one only the run knows, rather than a crash: `v2=$v1$v1`, `v3=$v2$v2`, …
 * doubles at each step, and 30 steps exceed the longest string JavaScript can hold.
 */
const MAX_TEXT = 1 << 16;
const TOO_LONG: Field = { text: "${…}", known: false, head: "", ifEmpty: "", raw: undefined };
const concat = (a: Field, b: Field): Field => (a === TOO_LONG || b === TOO_LONG || a.text.length + b.text.length > MAX_TEXT ? TOO_LONG : { text: a.text + b.text, known: a.known && b.known, head: a.known ? a.head + b.head : a.head, ifEmpty: a.ifEmpty + b.ifEmpty, raw: undefined });

/** The variables of a lab (every assignment and `for` list), resolved lazily. */
export class ShellEnv {
  private readonly raw = new Map<string, string[][]>();
  private readonly unknown = new Set<string>();
  private readonly cache = new Map<string, Field[]>();
  private readonly resolving = new Set<string>();
  /** Words already expanded (the same words recur across a lab's commands); cleared with `cache` on learn(). */
  private readonly expanded = new Map<string, Field[][]>();
  /** Plain words (no quote, expansion or brace): their one reading, shared (Fields are never changed). */
  private readonly plain = new Map<string, Field[][]>();
  /** Characters that split unquoted expansions: the default blanks plus any IFS the lab sets. */
  ifs = " \t\n";

  /** Learns from a block's commands and loops. */
  learn(commands: SimpleCommand[], facts: ShellFacts): void {
    this.cache.clear();
    this.expanded.clear();
    // `d+=0` appends to every value d had so far (`d=eth; d+=0` is eth0).
    for (const a of facts.assignments) this.assign(a.name, a.append ? this.appended(a.name, a.raw) : [a.raw]);
    for (const cmd of commands) {
      // `${DEV:=eth0}` assigns DEV when it is unset.
      for (const raw of cmd.raw) if (raw.includes("=")) for (const m of raw.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*):?=([^}]*)\}/g)) this.assign(m[1] as string, [m[2] as string]);
      const name = cmd.words[0] ?? "";
      if (/^(export|declare|typeset|local|readonly)$/.test(name)) {
        // `declare -n ref=name`: ref is another name for the variable `name`.
        const nameref = cmd.words.slice(1).some((w) => /^-[a-zA-Z]*n/.test(w));
        for (const raw of cmd.raw.slice(1)) {
          const m = /^([A-Za-z_][A-Za-z0-9_]*)(\+?)=/.exec(raw);
          const value = m ? raw.slice(m[0].length) : "";
          if (m) this.assign(m[1] as string, nameref ? [`\${${value.replace(/["']/g, "")}}`] : m[2] ? this.appended(m[1] as string, value) : [value]);
        }
      } else if (name === "unset") {
        // An unset variable expands to nothing: `unset LAB_DIR; rm -rf "$LAB_DIR"/usr` deletes /usr.
        for (const w of cmd.words.slice(1)) if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(w)) this.assign(w, [""]);
      } else if (/^(read|mapfile|readarray|getopts)$/.test(name) || (name === "printf" && cmd.words[1] === "-v")) {
        for (const w of cmd.words.slice(1)) if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(w)) this.unknown.add(w);
      }
    }
    for (const loop of facts.loops) {
      if (loop.values === undefined) this.unknown.add(loop.name);
      else this.assign(loop.name, loop.values, true);
    }
  }

  /**
   * `NAME+=TEXT`: every value NAME had so far, with TEXT after it. Each append adds them all again (`x+=$x` forty
   * times would be 2^40 values): past MAX_APPENDED the variable is one only the run knows.
   */
  private appended(name: string, text: string): string[] {
    const before = this.raw.get(name)?.flat() ?? [""];
    if (before.length > MAX_APPENDED) {
      this.unknown.add(name);
      return [];
    }
    return before.map((r) => `${r.replace(/^\u0000/, "")}${text}`);
  }

  private assign(name: string, raw: string[], split = false): void {
    if (name === "IFS") {
      for (const r of raw) for (const c of wordParts(r).flatMap((p) => (p.kind === "text" ? [p.text] : [])).join("")) if (!this.ifs.includes(c)) this.ifs += c;
    }
    const list = this.raw.get(name) ?? [];
    list.push(split ? raw.map((r) => `\u0000${r}`) : raw);
    this.raw.set(name, list);
  }

  /** Every value the variable may have; a variable never assigned is unknown (it may come from outside, or be empty). */
  values(name: string): Field[] | undefined {
    // rootlab's own variables are the lab's paths — unless the lab sets or unsets them itself (`LAB_DIR=/`).
    if ((ROOTLAB_VARS.test(name) && !this.raw.has(name)) || this.unknown.has(name)) return undefined;
    // IFS never set is bash's default: `ip${IFS}link` is two words.
    if (name === "IFS" && !this.raw.has(name)) return [literal(" \t\n")];
    const hit = this.cache.get(name);
    if (hit) return hit;
    const raws = this.raw.get(name);
    // A chain of variables deeper than any lab writes (v2=$v1, v3=$v2, …) is unknown rather than a stack overflow.
    if (!raws || this.resolving.has(name) || this.resolving.size >= 32) return undefined;
    this.resolving.add(name);
    const out: Field[] = [];
    for (const group of raws) {
      for (const r of group) {
        // A `for` list word is brace-expanded and split; an assignment's value is neither.
        const fields = r.startsWith("\u0000") ? braceExpand(r.slice(1)).flatMap((w) => this.expand(w).flat()) : this.expandValue(r);
        for (const f of fields) if (out.length < LIMIT && !out.some((o) => o.text === f.text)) out.push(f);
      }
    }
    this.resolving.delete(name);
    this.cache.set(name, out);
    return out;
  }

  /**
   * `${x}`, `${x:?}`: x's values; `${x:-w}`, `${x-w}`, `${x:=w}`: x's values and w (w alone when x is never
   * set); `${x:+w}`: w or nothing. Other operators (`#`, `%`, `/`, `^`) give what only the run knows.
   */
  private paramValues(name: string, op: string): Field[] | undefined {
    if (op === "" || /^:?\?/.test(op)) return this.values(name);
    const m = /^(:?)([-=+])(.*)$/s.exec(op);
    if (!m) return undefined;
    const word = this.expandValue(m[3] as string);
    if (m[2] === "+") return [...word, literal("")];
    const own = this.values(name);
    if (own === undefined && (ROOTLAB_VARS.test(name) || this.unknown.has(name) || this.raw.has(name))) return undefined;
    return [...(own ?? []), ...word].slice(0, LIMIT);
  }

  /** An assignment's value: no splitting, no brace expansion. */
  private expandValue(raw: string): Field[] {
    return this.alternatives(raw, false).map((fields) => fields.reduce(concat, literal("")));
  }

  /** A word as the command sees it: each alternative is the list of fields the word becomes. */
  expand(raw: string): Field[][] {
    if (!/[{"'\\$`]/.test(raw)) {
      // A plain word reads the same whatever the lab's variables: kept across learn().
      let fields = this.plain.get(raw);
      if (!fields) this.plain.set(raw, (fields = [[literal(raw)]]));
      return fields;
    }
    const hit = this.expanded.get(raw);
    if (hit) return hit;
    const words = braceExpand(raw);
    const stamp = (alt: Field[]): Field[] => alt.map((f) => ({ text: f.text, known: f.known, head: f.head, ifEmpty: f.ifEmpty, raw }));
    // Bash makes one word into all of its brace expansion's words, in order (`{ip,link,set,eth0,down}` is a whole
    // command): that reading first. Each word alone too, over-approximating (`ip link set {rl-a,eth0} down`).
    let joint: Field[][] = [[]];
    if (words.length > 1) for (const w of words) joint = joint.flatMap((j) => this.alternatives(w, true).map((alt) => [...j, ...stamp(alt)])).slice(0, LIMIT);
    const out: Field[][] = words.length > 1 ? joint : [];
    for (const w of words) for (const alt of this.alternatives(w, true)) if (out.length < LIMIT) out.push(stamp(alt));
    // While a variable is being resolved, its own name reads as unknown (a cycle): that answer is not kept.
    if (this.resolving.size === 0) this.expanded.set(raw, out);
    return out;
  }

  private alternatives(raw: string, split: boolean): Field[][] {
    type Partial = { done: Field[]; cur: Field };
    let states: Partial[] = [{ done: [], cur: literal("") }];
    const push = (s: Partial, f: Field): Partial => ({ done: s.done, cur: concat(s.cur, f) });
    for (const part of wordParts(raw)) {
      if (part.kind === "text") {
        states = states.map((s) => push(s, literal(part.text)));
        continue;
      }
      const unknown: Field = { text: part.raw, known: false, head: "", ifEmpty: part.kind === "param" && (ROOTLAB_VARS.test(part.name) || /^:?\?/.test(part.op)) ? part.raw : "", raw: undefined };
      const vals = part.kind === "param" ? this.paramValues(part.name, part.op) : undefined;
      if (!vals || vals.length === 0) {
        states = states.map((s) => push(s, unknown));
        continue;
      }
      const next: Partial[] = [];
      for (const s of states) {
        for (const v of vals) {
          if (next.length >= LIMIT) break;
          if (!split || part.quoted || !v.known || ![...v.text].some((c) => this.ifs.includes(c))) {
            next.push(push(s, v));
            continue;
          }
          // Unquoted: the value is split into words at IFS characters.
          const pieces = v.text.split(new RegExp(`[${this.ifs.replace(/[\]\\^-]/g, "\\$&")}]+`));
          const first = pieces.shift() ?? "";
          const last = pieces.pop();
          const done = [...s.done];
          const cur = concat(s.cur, literal(first));
          if (last === undefined) {
            next.push({ done, cur });
            continue;
          }
          if (cur.text !== "") done.push(cur);
          for (const p of pieces) if (p !== "") done.push(literal(p));
          next.push({ done, cur: literal(last) });
        }
      }
      states = next;
    }
    // An unquoted word that expands to nothing is no word at all.
    const quoted = /["']/.test(raw);
    return states.map((s) => (s.cur.text !== "" || quoted || !split ? [...s.done, s.cur] : s.done));
  }
}

/** The variants of a command's words: the product of its words' alternatives, at most LIMIT. */
export function commandVariants(env: ShellEnv, raw: string[]): Field[][] {
  let variants: Field[][] = [[]];
  for (const w of raw) {
    const alts = env.expand(w);
    if (alts.length === 1) {
      // One reading of the word (the usual case): it extends every variant in place (each array is this
      // function's own), instead of copying every variant once per word.
      for (const v of variants) v.push(...(alts[0] as Field[]));
      continue;
    }
    const next: Field[][] = [];
    for (const v of variants) for (const a of alts) if (next.length < LIMIT) next.push([...v, ...a]);
    variants = next;
  }
  return variants;
}

// iptables reads its options with getopt: `--in-interface=eth0` and `-ieth0` are `--in-interface eth0` and
// `-i eth0`. The rules read an option and its value as two words, so a site's words are split the same way first.
import type { Field } from "./expand.js";
import { fullLongOption } from "./wrapper-options.js";

/** The parts of a command site this split changes. */
interface Words {
  words: string[];
  literal: boolean[];
  fields: Field[];
}

export const IPTABLES_COMMAND = /^(ip6?|eb|arp)tables(-nft)?$/;

/** Short options that take a value (a chain, a table, an interface, an address, a target, a match). */
const ATTACHED = /^-([AIDRNXEPFZLtiosdjgmw])(.+)$/;
const LONG_VALUE = /^(--[a-z][a-z-]*)=(.*)$/;

/** iptables' own long options, for the prefixes getopt_long takes (`--fl` is `--flush`, `--pol` `--policy`). */
const LONG_OPTIONS = ["append", "delete", "insert", "replace", "check", "list", "list-rules", "flush", "zero", "new-chain", "delete-chain", "rename-chain", "policy", "source", "destination", "src", "dst", "protocol", "in-interface", "jump", "table", "match", "numeric", "out-interface", "verbose", "wait", "wait-interval", "exact", "fragments", "version", "help", "line-numbers", "modprobe", "set-counters", "goto", "ipv4", "ipv6"];
/** Those the rules read: a prefix is rewritten only to one of them (a match's own `--set` stays as it is). */
const READ_BY_RULES = /^--(append|delete|insert|replace|flush|zero|new-chain|delete-chain|rename-chain|policy|source|destination|in-interface|out-interface|table|jump|goto)(=|$)/;

/** The site with `--opt=value` and `-Xvalue` split into two words (fields and literal flags kept in step). */
export function splitIptablesOptions(site: Words): void {
  const full = site.words.map((w, k) => {
    const long = k > 0 && w.startsWith("--") ? fullLongOption(w, LONG_OPTIONS) : w;
    return long !== w && READ_BY_RULES.test(long) ? long : w;
  });
  if (full.some((w, k) => w !== site.words[k])) {
    site.fields = site.fields.map((f, k) => (full[k] === site.words[k] || full[k] === undefined ? f : { ...f, text: full[k] as string, head: full[k] as string, ifEmpty: full[k] as string }));
    site.words = full;
  }
  if (!site.words.some((w, k) => k > 0 && (LONG_VALUE.test(w) || ATTACHED.test(w)))) return;
  const words: string[] = [];
  const literal: boolean[] = [];
  const fields: Field[] = [];
  site.words.forEach((w, k) => {
    const field = site.fields[k];
    const m = k > 0 ? LONG_VALUE.exec(w) ?? ATTACHED.exec(w) : null;
    if (!m) {
      words.push(w);
      literal.push(site.literal[k] ?? true);
      if (field) fields.push(field);
      return;
    }
    const opt = (m[1] as string).startsWith("--") ? (m[1] as string) : `-${m[1]}`;
    const value = m[2] as string;
    words.push(opt, value);
    literal.push(site.literal[k] ?? true, site.literal[k] ?? true);
    if (field) fields.push({ ...field, text: opt, head: opt, ifEmpty: opt }, { ...field, text: value, head: field.known ? value : "", ifEmpty: value });
  });
  site.words = words;
  site.literal = literal;
  site.fields = fields;
}

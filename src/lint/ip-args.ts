// `ip`'s own global options (`-n NS`, `-4`, `-br`, `-batch FILE`, …): where its object starts, and whether it runs
// in another network namespace by its own option. Apart from ./unwrap.ts, which strips the wrappers around commands.

/**
 * The global options that take a value, as ip reads them: by any prefix it accepts, in its own order of matching
 * (`-n`, `-ne`, `-net` are -netns; `-r` is -resolve but `-rc` -rcvbuf; `--batch` is -batch): [full, shortest, short].
 * tc and bridge read -netns and -batch the same way.
 */
const PREFIXED: [string, number, string][] = [["-loops", 2, "-l"], ["-family", 2, "-f"], ["-batch", 2, "-b"], ["-rcvbuf", 3, "-rc"], ["-netns", 2, "-n"]];
const IP_VALUE_OPTIONS = new Set(["-n", "-f", "-b", "-rc", "-l"]);

/** One global option in the short spelling the gate reads (`-net` → `-n`, `--batch` → `-b`); other words as they are. */
export function canonicalIpOption(word: string): string {
  if (!word.startsWith("-") || word === "-" || word === "--") return word;
  const w = word.startsWith("--") ? word.slice(1) : word;
  for (const [full, shortest, short] of PREFIXED) if (w.length >= shortest && full.startsWith(w)) return short;
  return w;
}

/** An `ip`/`tc`/`bridge` command with its global options in their short spellings (the same array when none changes). */
export function canonicalIpWords(words: string[]): string[] {
  let out: string[] | undefined;
  for (let k = 1; k < words.length && (words[k] ?? "").startsWith("-") && words[k] !== "-"; k++) {
    const c = canonicalIpOption(words[k] as string);
    if (c !== words[k]) (out ??= [...words])[k] = c;
    if (IP_VALUE_OPTIONS.has(c)) k++;
  }
  return out ?? words;
}

/** `ip` arguments after global options (`-n NS`, `-4`, `-br`, `-o`, …). */
export function ipArgs(words: string[]): string[] {
  let k = 1;
  while (k < words.length && (words[k] ?? "").startsWith("-")) k += IP_VALUE_OPTIONS.has(canonicalIpOption(words[k] ?? "")) ? 2 : 1;
  return words.slice(k);
}

/** Whether `ip` runs in another namespace by its own option (`ip -n NS …`, `ip -net NS …`). */
export function ipInOtherNetns(words: string[]): boolean {
  return canonicalIpWords(words).slice(1).some((w, i, all) => w === "-n" && all[i + 1] !== undefined);
}

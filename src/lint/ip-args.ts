// `ip`'s own global options (`-n NS`, `-4`, `-br`, `-batch FILE`, …): where its object starts, and whether it runs
// in another network namespace by its own option. Apart from ./unwrap.ts, which strips the wrappers around commands.

/** `ip` arguments after global options (`-n NS`, `-4`, `-br`, `-o`, …). */
const IP_VALUE_OPTIONS = new Set(["-n", "-netns", "--netns", "-f", "-family", "-b", "-batch", "-rc", "-l", "-loops"]);
export function ipArgs(words: string[]): string[] {
  let k = 1;
  while (k < words.length && (words[k] ?? "").startsWith("-")) k += IP_VALUE_OPTIONS.has(words[k] ?? "") ? 2 : 1;
  return words.slice(k);
}

/** Whether `ip` runs in another namespace by its own option (`ip -n NS …`). */
export function ipInOtherNetns(words: string[]): boolean {
  return words.slice(1).some((w, i, all) => (w === "-n" || w === "-netns" || w === "--netns") && all[i + 1] !== undefined);
}

// Fence info strings: ```LANG [ROLE] [key=value ...]. Splits the words and remembers each one's column.
import type { DiagnosticSink } from "./diagnostics.js";
import { didYouMean } from "./suggest.js";

export const ROLE_WORDS = ["verify", "expect", "solution", "setup", "cleanup", "wrong", "undo"] as const;
export type RoleWord = (typeof ROLE_WORDS)[number];
export const ATTRIBUTE_KEYS = ["session", "enter", "exit", "timeout", "retry", "background"] as const;
export type AttributeKey = (typeof ATTRIBUTE_KEYS)[number];
export const SHELL_LANGS = ["sh", "bash", "shell"] as const;
export const OUTPUT_LANGS = ["text", "console", ""] as const;

export interface FenceAttribute {
  key: AttributeKey;
  /** undefined for the `background` flag. */
  value?: string;
  column: number;
}

export interface FenceInfo {
  /** As written ("" when the fence has no language). */
  lang: string;
  langColumn: number;
  role?: RoleWord;
  roleColumn?: number;
  attributes: FenceAttribute[];
  /** Whether any word looked like rootlab's (a role or attribute), even a broken one. */
  mentionsRootlab: boolean;
}

export const FENCE_EXAMPLE = "```sh verify timeout=10s";

const isRole = (w: string): w is RoleWord => (ROLE_WORDS as readonly string[]).includes(w);
const isKey = (w: string): w is AttributeKey => (ATTRIBUTE_KEYS as readonly string[]).includes(w);

export function isShellLang(lang: string): boolean {
  return (SHELL_LANGS as readonly string[]).includes(lang.toLowerCase());
}

export function isOutputLang(lang: string): boolean {
  return (OUTPUT_LANGS as readonly string[]).includes(lang.toLowerCase());
}

const WORD = /\S+/g;

/** Words of the info string with their 1-based columns in the file (`column` is where the info string starts). */
function words(info: string, column: number): { word: string; column: number }[] {
  const out: { word: string; column: number }[] = [];
  // An exec loop: matchAll copies the expression (twice per fence: the parser reads each info string twice).
  WORD.lastIndex = 0;
  for (let m = WORD.exec(info); m; m = WORD.exec(info)) out.push({ word: m[0], column: column + m.index });
  return out;
}

/**
 * Read an info string. Problems (unknown words, malformed or duplicate attributes, two roles) go to `sink`
 * only when `report` is set: a display-only fence (```yaml) may carry any info string.
 */
const MAX_INFO_PROBLEMS = 5;

export function readFenceInfo(info: string, column: number, line: number, given: DiagnosticSink | undefined): FenceInfo {
  const all = words(info, column);
  // An info string of 20 000 words would list 20 000 problems (megabytes on a terminal): the first few, then a count.
  let problems = 0;
  const sink: Pick<DiagnosticSink, "error"> | undefined = given && { error: (d) => (++problems <= MAX_INFO_PROBLEMS ? given.error(d) : undefined) };
  const result: FenceInfo = { lang: "", langColumn: column, attributes: [], mentionsRootlab: false };
  let rest = all;
  const first = all[0];
  if (first && !isRole(first.word) && !first.word.includes("=") && !isKey(first.word)) {
    result.lang = first.word;
    result.langColumn = first.column;
    rest = all.slice(1);
  }
  const seen = new Set<string>();
  for (const { word, column: col } of rest) {
    const eq = word.indexOf("=");
    const name = eq === -1 ? word : word.slice(0, eq);
    if (isRole(name) || isKey(name)) result.mentionsRootlab = true;
    if (eq === -1 && isRole(word)) {
      if (result.role !== undefined) sink?.error({ line, column: col, code: "fence/two-roles", message: `the block has two roles, \`${result.role}\` and \`${word}\``, expected: "at most one role per block", example: FENCE_EXAMPLE });
      else {
        result.role = word;
        result.roleColumn = col;
      }
      continue;
    }
    if (eq === -1 && word !== "background") {
      if (isKey(word)) sink?.error({ line, column: col, code: "fence/missing-value", message: `\`${word}\` needs a value`, expected: `${word}=VALUE`, example: attributeExample(word) });
      else sink?.error({ line, column: col, code: "fence/unknown-word", message: `unknown word \`${word}\` in the fence info string${didYouMean(word, [...ROLE_WORDS, ...ATTRIBUTE_KEYS])}`, expected: `a role (${ROLE_WORDS.join(", ")}) or key=value (${ATTRIBUTE_KEYS.join(", ")})`, example: FENCE_EXAMPLE });
      continue;
    }
    if (eq !== -1 && (name === "" || eq === word.length - 1 || word.indexOf("=", eq + 1) !== -1)) {
      sink?.error({ line, column: col, code: "fence/malformed-attribute", message: `\`${word}\` is not a key=value attribute`, expected: "key=value with no spaces around `=`", example: isKey(name) ? attributeExample(name) : FENCE_EXAMPLE });
      continue;
    }
    if (!isKey(name)) {
      sink?.error({ line, column: col, code: "fence/unknown-attribute", message: `unknown attribute \`${name}\`${didYouMean(name, ATTRIBUTE_KEYS)}`, expected: `one of: ${ATTRIBUTE_KEYS.join(", ")}`, example: FENCE_EXAMPLE });
      continue;
    }
    if (name === "background" && eq !== -1) {
      sink?.error({ line, column: col, code: "fence/malformed-attribute", message: "`background` is a flag and takes no value", expected: "background", example: "```sh background" });
      continue;
    }
    if (seen.has(name)) {
      sink?.error({ line, column: col, code: "fence/duplicate-attribute", message: `\`${name}\` is given twice`, expected: "each attribute at most once", example: attributeExample(name) });
      continue;
    }
    seen.add(name);
    result.attributes.push(eq === -1 ? { key: name, column: col } : { key: name, value: word.slice(eq + 1), column: col });
  }
  if (problems > MAX_INFO_PROBLEMS) given?.error({ line, column, code: "fence/too-many-problems", message: `${problems - MAX_INFO_PROBLEMS} more problems in this fence's info string are not listed (${problems} in all)`, expected: "a language, at most one role and a few key=value attributes", example: FENCE_EXAMPLE });
  if (result.role) result.mentionsRootlab = true;
  return result;
}

export function attributeExample(key: AttributeKey): string {
  switch (key) {
    case "session": return "```sh session=ns";
    case "enter": return "```sh enter=ns\nunshare --fork --pid --mount-proc bash\n```";
    case "exit": return "```sh exit=1";
    case "timeout": return "```sh timeout=30s";
    case "retry": return "```sh verify retry=10s";
    case "background": return "```sh background";
  }
}

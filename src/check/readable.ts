// Expected output as a person reads it (`rootlab show`, guided mode after a mismatch): the `(re)` lines an author
// writes are patterns, which a reader takes for output. A pattern made of literal text and the usual wildcards is
// shown in its example form (`.*` → `…`, `\d+` → `<number>`, `\s+` → a space, `\(` → `(`); any other pattern is
// said in words ("a line matching …"); a `...` line is "(any lines)". Pure.

const ANY = "...";
const RE_SUFFIX = " (re)";

/** Which conventions a readable listing uses, so its label can say only those. */
export interface ReadableConventions {
  anyText: boolean;
  number: boolean;
  word: boolean;
  anyLines: boolean;
  pattern: boolean;
}

/** Wildcards with an example form, longest first (tried in order at each position of the pattern). */
const TOKENS: [RegExp, (m: RegExpExecArray) => string, keyof ReadableConventions | undefined][] = [
  [/^\( ?\.[*+]\)\?/, () => "…", "anyText"],
  [/^\.[*+]\??/, () => "…", "anyText"],
  [/^(\\d|\[0-9\])[+*]/, () => "<number>", "number"],
  [/^\[1-9\](\\d|\[0-9\])\*/, () => "<number>", "number"],
  [/^\[0-9a-f\]\{(\d+)\}/, (m) => `<${m[1]} hex digits>`, "number"],
  [/^(\\d|\[0-9\])/, () => "<digit>", "number"],
  [/^(\\S|\\w)[+*]/, () => "<word>", "word"],
  [/^\\s[+*]?/, () => " ", undefined],
  [/^ [+*]/, () => " ", undefined],
  // An escaped character stands for itself; so does a lone `.` (a dot is an example of "any character").
  [/^\\[.()[\]{}^$|?*+\\/-]/, (m) => m[0].slice(1), undefined],
  [/^\.(?![*+?{])/, () => ".", undefined],
];

/** The example form of regular expression SOURCE, or undefined when it has more than text and wildcards. */
export function exampleOf(source: string, used?: ReadableConventions): string | undefined {
  let out = "";
  let rest = source.replace(/^\^/, "").replace(/(?<!\\)\$$/, "");
  while (rest.length > 0) {
    const token = TOKENS.find(([re]) => re.test(rest));
    if (token) {
      const [re, text, convention] = token;
      const m = re.exec(rest)!;
      out += text(m);
      if (convention && used) used[convention] = true;
      rest = rest.slice(m[0].length);
      continue;
    }
    const c = rest[0]!;
    if ("\\.()[]{}^$|?*+".includes(c)) return undefined;
    out += c;
    rest = rest.slice(1);
  }
  // Two wildcards in a row say no more than one.
  return out.replace(/…(\s*…)+/g, "…");
}

/** An expected line as a reader sees it (see the file's head); USED collects the conventions it relies on. */
export function readableLine(line: string, used?: ReadableConventions): string {
  if (line === ANY) {
    if (used) used.anyLines = true;
    return "(any lines)";
  }
  if (!line.endsWith(RE_SUFFIX)) return line;
  const source = line.slice(0, -RE_SUFFIX.length);
  const example = exampleOf(source, used);
  if (example !== undefined) return example;
  if (used) used.pattern = true;
  return `(a line matching the pattern ${source})`;
}

/** LINES of an expect block as a reader sees them, and what their marks mean, as Markdown ("" when none). */
export function readableExpect(lines: readonly string[]): { lines: string[]; legend: string } {
  const used: ReadableConventions = { anyText: false, number: false, word: false, anyLines: false, pattern: false };
  const out = lines.map((l) => readableLine(l.trimEnd(), used));
  // Marks in backticks: the legend is Markdown (and `<number>` must not read as an HTML tag).
  const says = [
    used.anyText ? "`…` stands for any text" : "",
    used.number ? "`<number>` for digits" : "",
    used.word ? "`<word>` for a word" : "",
    used.anyLines ? "`(any lines)` for any number of lines" : "",
    used.pattern ? "a pattern is the lab's regular expression" : "",
  ].filter(Boolean);
  return { lines: out, legend: says.join(", ") };
}

// The Markdown links of a lab and the anchors its headings make, read in one pass over the source's lines.
// marked's block tokens (what the parser keeps) carry no inline links, and running its inline pass over every
// paragraph would cost more than lint itself; this pass skips what GitHub never links in: front matter, fenced
// code, code spans and HTML comments. Pure.

/** A `[text](target)`, `![alt](target)` or `[label]: target` of the lab, where it starts. */
export interface MarkdownLink {
  text: string;
  target: string;
  line: number;
  column: number;
}

export interface LinksAndAnchors {
  links: MarkdownLink[];
  /** Every `#fragment` a reader's browser can jump to: heading slugs (GitHub's rules) and HTML `id`/`name`s. */
  anchors: string[];
}

const FENCE = /^(`{3,}|~{3,})/;
const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
const INLINE_LINK = /(!?)\[((?:[^[\]\\]|\\.)*)\]\(\s*(<[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g;
const DEFINITION = /^ {0,3}\[((?:[^[\]\\]|\\.)+)\]:[ \t]*(<[^>\n]*>|\S+)/;
const HTML_ID = /<[a-z][^>]*?\s(?:id|name)\s*=\s*["']([^"']+)["']/gi;
/** What GitHub's slugger removes: everything but letters, marks, numbers, connector punctuation (`_`), `-` and space. */
const NOT_SLUG = /[^\p{L}\p{M}\p{N}\p{Pc} -]/gu;

/** A heading's text as GitHub renders it, then its anchor: "Sessions: `enter=`" → "sessions-enter". */
export function githubSlug(heading: string): string {
  const text = heading
    .replace(/!\[[^\]]*\]\([^)]*\)/g, "") // an image adds no text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1") // a link adds its text
    .replace(/<[^>]+>/g, "") // inline HTML tags
    .replace(/(^|[^\p{L}\p{N}])_{1,2}(?=\S)(.*?\S)_{1,2}(?![\p{L}\p{N}])/gu, "$1$2") // _emphasis_ (a snake_name stays)
    .replace(/\\([!-/:-@[-`{-~])/g, "$1") // backslash escapes
    .replace(/&[a-z]+;|&#\d+;/gi, "");
  return text.trim().toLowerCase().replace(NOT_SLUG, "").replace(/ /g, "-");
}

/**
 * Code spans blanked out: a run of backticks not after a backslash, text, then the next run of exactly as many
 * (an unmatched run is literal text). What `line.replace(/(?<![`\\])(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g, blank)`
 * does, read by `indexOf` over the runs: the expression with a function for each span was 2 % of parse + lint.
 */
function blankCodeSpans(line: string): string {
  let out = "";
  let copied = 0;
  for (let at = line.indexOf("`"); at !== -1; ) {
    let end = at;
    while (line.charCodeAt(end) === 96) end++;
    const length = end - at;
    let close = -1;
    if (at === 0 || line.charCodeAt(at - 1) !== 92) {
      for (let k = line.indexOf("`", end); k !== -1; ) {
        let e = k;
        while (line.charCodeAt(e) === 96) e++;
        if (e - k === length) {
          close = k;
          break;
        }
        k = line.indexOf("`", e);
      }
    }
    if (close === -1) {
      at = line.indexOf("`", end);
      continue;
    }
    out += line.slice(copied, at) + " ".repeat(close + length - at);
    copied = close + length;
    at = line.indexOf("`", copied);
  }
  return copied === 0 ? line : out + line.slice(copied);
}

/** Blank out code spans and comments (same length, so columns stay right); `inComment` carries across lines. */
function visibleText(line: string, state: { inComment: boolean }): string {
  // Most lines have neither: no copy. Code spans alone: one regular expression, not a walk.
  if (!state.inComment && !line.includes("<!--")) return line.includes("`") ? blankCodeSpans(line) : line;
  let out = "";
  let i = 0;
  while (i < line.length) {
    if (state.inComment) {
      const end = line.indexOf("-->", i);
      const stop = end === -1 ? line.length : end + 3;
      out += " ".repeat(stop - i);
      i = stop;
      if (end !== -1) state.inComment = false;
      continue;
    }
    if (line.startsWith("<!--", i)) {
      state.inComment = true;
      continue;
    }
    if (line[i] === "\\" && i + 1 < line.length) {
      out += line.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (line[i] === "`") {
      const run = /^`+/.exec(line.slice(i))![0];
      const close = line.indexOf(run, i + run.length);
      // An unmatched run of backticks is literal text.
      if (close !== -1 && line[close + run.length] !== "`") {
        out += " ".repeat(close + run.length - i);
        i = close + run.length;
        continue;
      }
      out += run;
      i += run.length;
      continue;
    }
    out += line[i];
    i++;
  }
  return out;
}

/** The links and anchors of a lab's source lines (front matter included in the numbering). */
export function linksAndAnchors(lines: readonly string[]): LinksAndAnchors {
  const links: MarkdownLink[] = [];
  const headings: string[] = [];
  const ids: string[] = [];
  let i = 0;
  // Front matter: `---` on the first line up to the next `---`.
  if ((lines[0] ?? "").replace(/^\uFEFF/, "").trimEnd() === "---") {
    i = 1;
    while (i < lines.length && !/^(---|\.\.\.)\s*$/.test(lines[i] ?? "")) i++;
    i++;
  }
  /** The open fence: its character and run length (closed by `^C{n,}\s*$`, read without an expression per fence). */
  let fence: { char: string; length: number } | undefined;
  const state = { inComment: false };
  let paragraph: string[] = [];
  for (; i < lines.length; i++) {
    const raw = lines[i] ?? "";
    // Quote markers and indent do not change what a fence is: hints quote their code.
    // (Most lines start with a printable ASCII character other than `>`: nothing to strip, no expression.)
    const c0 = raw.charCodeAt(0);
    const bare = c0 > 32 && c0 < 127 && c0 !== 62 ? raw : raw.replace(/^(\s*>)*\s*/, "");
    if (fence !== undefined) {
      if (closesFence(bare, fence)) fence = undefined;
      continue;
    }
    const opening = state.inComment ? null : FENCE.exec(bare);
    if (opening && !(opening[1]![0] === "`" && bare.slice(opening[1]!.length).includes("`"))) {
      // Closed by a run of the same character at least as long, with nothing after it.
      fence = { char: opening[1]![0] === "~" ? "~" : "`", length: opening[1]!.length };
      paragraph = [];
      continue;
    }
    const text = visibleText(raw, state);
    if (text.trim() === "") {
      paragraph = [];
      continue;
    }
    const atx = ATX.exec(text);
    const setext = !atx && paragraph.length > 0 ? SETEXT.exec(text) : null;
    if (atx) headings.push(ATX.exec(raw)?.[2] ?? "");
    else if (setext) headings.push(paragraph.join(" "));
    if (atx || setext) paragraph = [];
    else if (/^ {0,3}([-*+]\s|\d+[.)]\s|>|\||<)/.test(text)) paragraph = [];
    else paragraph.push(raw.trim());
    if (!text.includes("[") && !text.includes("<")) continue;
    // exec loops, not matchAll (which copies the expression for every line).
    HTML_ID.lastIndex = 0;
    for (let m = HTML_ID.exec(text); m; m = HTML_ID.exec(text)) ids.push(m[1]!);
    const def = DEFINITION.exec(text);
    if (def) {
      links.push({ text: def[1]!, target: def[2]!.replace(/^<|>$/g, ""), line: i + 1, column: text.indexOf("[") + 1 });
      continue;
    }
    INLINE_LINK.lastIndex = 0;
    for (let m = INLINE_LINK.exec(text); m; m = INLINE_LINK.exec(text)) {
      // `[x](y)` right after a backslash is literal text.
      if (m.index > 0 && text[m.index - 1] === "\\") continue;
      // The text as written (code spans were blanked only to find the links).
      const written = raw.slice(m.index + m[1]!.length + 1, m.index + m[1]!.length + 1 + m[2]!.length);
      links.push({ text: written, target: m[3]!.replace(/^<|>$/g, ""), line: i + 1, column: m.index + 1 });
    }
  }
  return { links, anchors: [...uniqueSlugs(headings), ...ids] };
}

/** `^C{n,}\s*$`: a run of the fence's character at least as long as its opening, then only white space. */
function closesFence(line: string, fence: { char: string; length: number }): boolean {
  let i = 0;
  while (line[i] === fence.char) i++;
  return i >= fence.length && line.slice(i).trim() === "";
}

/** GitHub numbers repeated headings: `setup`, `setup-1`, `setup-2`. */
function uniqueSlugs(headings: string[]): string[] {
  const taken = new Set<string>();
  // The next suffix per base: 80 000 headings with one title must not try -1, -2, … each time.
  const next = new Map<string, number>();
  return headings.map((h) => {
    const base = githubSlug(h);
    let slug = base;
    let n = next.get(base) ?? 1;
    for (; taken.has(slug); n++) slug = `${base}-${n}`;
    next.set(base, n);
    taken.add(slug);
    return slug;
  });
}

// parseLab: lab source text in, Lab out (or every problem found). Pure: no I/O, never throws.
// Stages: normalise → split front matter → front matter → body tokens → steps.
import { DiagnosticSink } from "./diagnostics.js";
import { normaliseSource } from "./source.js";
import { parseFrontMatter, splitFrontMatter } from "./frontmatter.js";
import { readBody } from "./body.js";
import { buildLabBody } from "./steps.js";
import type { Lab, ParseResult } from "./types.js";
import { controlName } from "./frontmatter-schema.js";

// C0 controls but tab and newline, DEL, C1 controls: raw in a lab, they reach the student's terminal as they are
// (ESC starts colour, clear-screen and window-title sequences; BEL rings; CSI is ESC [ in one character).
const CONTROL = /[\u0001-\u0008\u000b-\u001f\u007f-\u009f]/g;
// Direction overrides and isolates (Trojan Source): a command would show in another order than the shell reads it.
const BIDI = /[\u202a-\u202e\u2066-\u2069]/;
// Zero-width characters in a command: the student sees `ip link set rl-x up` and the shell reads another word.
const ZERO_WIDTH = /[\u200b-\u200d\u2060]/;
// Line and paragraph separators, and a byte order mark after the start (two files joined): some editors and
// terminals break the line there and others do not, so the file reads differently to the author and to rootlab.
const INVISIBLE_BREAK = /[\u2028\u2029]|(?<!^)\ufeff/;

/** Control characters anywhere (the first one, and how many), and direction controls inside code blocks. */
function reportControlCharacters(text: string, sink: DiagnosticSink): void {
  const all = [...text.matchAll(CONTROL)];
  const first = all[0];
  if (first?.index !== undefined) {
    const before = text.slice(0, first.index);
    const more = all.length > 1 ? ` (and ${all.length - 1} more)` : "";
    sink.error({ line: before.split("\n").length, column: first.index - before.lastIndexOf("\n"), code: "file/control-character", message: `the file holds the control character ${controlName(first[0])}${more}, which would reach the student's terminal as it is (colours, a cleared screen, a changed window title)`, expected: "printable text: delete it (`grep -nP '[\\x01-\\x08\\x0b-\\x1f\\x7f]' lab.md` finds them); a command that prints an escape writes it as `\\033`", example: "printf '\\033[1mbold\\033[0m\\n'" });
  }
  const hidden = INVISIBLE_BREAK.exec(text);
  if (hidden) {
    const before = text.slice(0, hidden.index);
    const what = hidden[0] === "\ufeff" ? "a byte order mark (U+FEFF) after the start of the file, as when two files are joined" : `the invisible line break ${hidden[0] === "\u2028" ? "U+2028 (LINE SEPARATOR)" : "U+2029 (PARAGRAPH SEPARATOR)"}, which some editors and terminals show as a new line and Markdown does not`;
    sink.error({ line: before.split("\n").length, column: hidden.index - before.lastIndexOf("\n"), code: "file/control-character", message: `the file holds ${what}`, expected: "plain text: delete it, or use a real line break (`grep -nP '\\x{2028}|\\x{2029}|\\x{FEFF}' lab.md` finds them)", example: "## Create the namespace" });
  }
  let inCode = false;
  text.split("\n").forEach((line, i) => {
    if (/^ {0,3}(```|~~~)/.test(line)) inCode = !inCode;
    const bidi = inCode ? BIDI.exec(line) : null;
    const zero = inCode && !bidi ? ZERO_WIDTH.exec(line) : null;
    if (zero) sink.error({ line: i + 1, column: zero.index + 1, code: "block/invisible-character", message: `a code block holds the invisible character ${controlName(zero[0])} (zero width): the command the student sees is not the one the shell reads`, expected: "commands of visible characters only: delete it (`grep -nP '[\\x{200B}-\\x{200D}\\x{2060}]' lab.md` finds them)", example: "ip link set rl-v0 up" });
    if (bidi) sink.error({ line: i + 1, column: bidi.index + 1, code: "block/direction-control", message: `a code block holds the invisible direction control U+${(bidi[0].codePointAt(0) ?? 0).toString(16).toUpperCase()}: the command shows in another order than the shell runs it`, expected: "commands without direction overrides or isolates (U+202A–U+202E, U+2066–U+2069): delete it", example: "echo safe" });
  });
}

export function parseLab(source: string, file: string): ParseResult {
  const sink = new DiagnosticSink(file);
  try {
    const text = normaliseSource(typeof source === "string" ? source : String(source));
    if (text.includes("\0")) {
      // Text saved as UTF-16 or UTF-32 (Windows editors offer it) has a NUL beside nearly every letter.
      const head = text.slice(0, 512);
      const wide = head.length >= 8 && head.split("\0").length - 1 >= head.length / 3;
      const message = wide ? "the file is UTF-16 or UTF-32 text (a NUL byte beside every letter), not UTF-8" : "the file contains NUL bytes: it is not a text file";
      const expected = wide ? "a Markdown lab file in UTF-8: convert it, e.g. `iconv -f UTF-16 -t UTF-8 lab.md > lab.utf8.md`" : "a Markdown lab file (UTF-8 text)";
      sink.error({ line: text.slice(0, text.indexOf("\0")).split("\n").length, code: "file/binary", message, expected });
      return { ok: false, diagnostics: sink.sorted() };
    }
    const bad = text.indexOf("\uFFFD");
    if (bad !== -1) {
      // Node's UTF-8 decoder replaces each invalid byte sequence with U+FFFD: the file was not UTF-8.
      sink.error({ line: text.slice(0, bad).split("\n").length, code: "file/encoding", message: "the file is not valid UTF-8 here (a byte sequence that is no character, shown as \uFFFD)", expected: "a Markdown lab file in UTF-8: convert it, e.g. `iconv -f LATIN1 -t UTF-8 lab.md > lab.utf8.md`" });
      return { ok: false, diagnostics: sink.sorted() };
    }
    reportControlCharacters(text, sink);
    const split = splitFrontMatter(text, sink);
    const meta = parseFrontMatter(split.yaml, sink);
    const body = buildLabBody(readBody(split.body, sink), sink);
    // The front matter's title is the lab's name (what `list` and the menu show); the `# H1` is the fallback.
    const lab: Lab = { file, meta, title: meta.title || body.heading?.text || meta.id, intro: body.intro, steps: body.steps, cleanup: body.cleanup, source: text };
    if (body.heading) lab.heading = body.heading;
    if (body.cleanupLine !== undefined) lab.cleanupLine = body.cleanupLine;
    if (sink.hasErrors) return { ok: false, diagnostics: sink.sorted(), partial: lab };
    return { ok: true, lab, warnings: sink.sorted() };
  } catch (err) {
    // A bug in a stage must not crash `rootlab lint` over many labs: report it as a diagnostic of this file.
    sink.error({ line: 1, code: "internal/parser", message: `rootlab could not parse this file (a bug in rootlab, please report it): ${(err as Error)?.message ?? String(err)}` });
    return { ok: false, diagnostics: sink.sorted() };
  }
}

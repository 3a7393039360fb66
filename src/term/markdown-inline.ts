// Inline Markdown (marked's inline tokens) → terminal text: emphasis, code spans, links, line breaks.
import type { Token, Tokens } from "marked";
import type { Style } from "./style.js";

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0", copy: "©", mdash: "—", ndash: "–", hellip: "…" };

/** marked leaves character references in text as written; a terminal shows characters. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === "#") {
      const cp = ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
    }
    return NAMED[ref.toLowerCase()] ?? whole;
  });
}

function link(token: Tokens.Link, style: Style): string {
  const { chalk } = style;
  const text = renderInline(token.tokens, style);
  const href = token.href;
  const plainText = text.replace(/\x1b\[[0-9;]*m/g, "");
  if (token.autolink || plainText === href || `mailto:${plainText}` === href) return chalk.underline(plainText);
  return `${chalk.underline(text)} ${chalk.dim(`(${href})`)}`;
}

/** Inline tokens → one string (soft line breaks become spaces; hard breaks stay "\n"). */
export function renderInline(tokens: Token[] | undefined, style: Style): string {
  const { chalk } = style;
  let out = "";
  for (const t of tokens ?? []) {
    switch (t.type) {
      case "text":
        out += "tokens" in t && t.tokens ? renderInline(t.tokens, style) : decodeEntities(t.text).replace(/\n/g, " ");
        break;
      case "escape":
        out += t.text;
        break;
      case "strong":
        out += chalk.bold(renderInline(t.tokens, style));
        break;
      case "em":
        out += chalk.italic(renderInline(t.tokens, style));
        break;
      case "del":
        out += chalk.strikethrough(renderInline(t.tokens, style));
        break;
      case "codespan":
        // Plain text keeps the backticks so commands stay recognisable; with colour, colour marks them.
        out += style.color ? chalk.cyan(t.text) : `\`${t.text}\``;
        break;
      case "link":
        out += link(t as Tokens.Link, style);
        break;
      case "image":
        out += `[image: ${t.text || "no description"}] ${chalk.dim(`(${t.href})`)}`;
        break;
      case "br":
        out += "\n";
        break;
      case "checkbox":
        out += t.checked ? "[x] " : "[ ] ";
        break;
      case "html":
        // Inline HTML tags carry no text of their own (<kbd>, <sup>); <br> is a line break.
        out += /^<br\s*\/?>$/i.test(t.text.trim()) ? "\n" : "";
        break;
      default: {
        // Tokens of extensions: their children if any, else their text.
        const generic = t as Tokens.Generic;
        out += generic.tokens ? renderInline(generic.tokens, style) : decodeEntities(String(generic.text ?? generic.raw));
      }
    }
  }
  return out;
}

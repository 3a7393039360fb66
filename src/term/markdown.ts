// Markdown → terminal text, with marked's lexer and our own small renderer (marked-terminal is not used:
// it decides colour by itself and knows nothing of GitHub alerts). Colour and symbols come from the Style,
// so with colour off the result is clean plain text.
import { Lexer, type Token, type Tokens } from "marked";
import type { Style } from "./style.js";
import { decodeEntities, renderInline } from "./markdown-inline.js";
import { renderTable } from "./markdown-table.js";
import { highlightShell, SHELL_LANGS } from "./highlight.js";
import { displayWidth } from "./width.js";
import { wrapText } from "./wrap.js";
import { wrapShellLines } from "./shell-wrap.js";

export interface MarkdownOptions {
  /** Columns to fit (code blocks and long words may exceed it). */
  width: number;
  style: Style;
}

const ALERTS: Record<string, { label: string; color: "blue" | "green" | "magenta" | "yellow" | "red" }> = {
  NOTE: { label: "Note", color: "blue" },
  TIP: { label: "Tip", color: "green" },
  IMPORTANT: { label: "Important", color: "magenta" },
  WARNING: { label: "Warning", color: "yellow" },
  CAUTION: { label: "Caution", color: "red" },
};
const ALERT_MARKER = /^\[!([A-Za-z]+)\][ \t]*(?:\n|$)/;
const CODE_INDENT = "    ";

function heading(t: Tokens.Heading, o: MarkdownOptions): string[] {
  const { chalk, color } = o.style;
  const text = renderInline(t.tokens, o.style);
  if (color) return wrapText(t.depth === 1 ? chalk.bold.underline(text) : chalk.bold(text), o.width).split("\n");
  const lines = wrapText(text, o.width).split("\n");
  if (t.depth > 2) return lines;
  const rule = (t.depth === 1 ? "=" : "-").repeat(Math.min(o.width, Math.max(...lines.map(displayWidth))));
  return [...lines, rule];
}

function list(t: Tokens.List, o: MarkdownOptions): string[] {
  const start = typeof t.start === "number" ? t.start : 1;
  const markers = t.items.map((_, k) => (t.ordered ? `${start + k}.` : o.style.sym.bullet));
  const markerWidth = Math.max(...markers.map(displayWidth)) + 1;
  const out: string[] = [];
  t.items.forEach((item, k) => {
    const box = item.task ? (item.checked ? "[x] " : "[ ] ") : "";
    const content = item.tokens.filter((tok) => tok.type !== "checkbox");
    const body = blocks(content, { ...o, width: Math.max(10, o.width - markerWidth - box.length) }, t.loose ? "\n" : "");
    if (box) body[0] = box + (body[0] ?? "");
    const marker = markers[k]!.padEnd(markerWidth);
    body.forEach((line, i) => out.push(line === "" ? "" : (i === 0 ? marker : " ".repeat(markerWidth)) + line));
    if (t.loose && k < t.items.length - 1) out.push("");
  });
  return out;
}

function alertBox(kind: string, body: string, o: MarkdownOptions): string[] {
  const { chalk, sym } = o.style;
  const { label, color } = ALERTS[kind]!;
  const paint = chalk[color];
  const inner = blocks(Lexer.lex(body, { gfm: true }), { ...o, width: Math.max(10, o.width - 2) }, "\n");
  const top = `${sym.box.tl}${sym.box.h} ${label} `;
  const rule = Math.max(3, Math.min(o.width, 80) - displayWidth(top));
  return [
    paint(sym.box.tl + sym.box.h) + " " + paint.bold(label) + " " + paint(sym.box.h.repeat(rule)),
    ...inner.map((l) => (l === "" ? paint(sym.box.v) : `${paint(sym.box.v)} ${l}`)),
    paint(sym.box.bl + sym.box.h.repeat(Math.max(3, Math.min(o.width, 80) - 1))),
  ];
}

function blockquote(t: Tokens.Blockquote, o: MarkdownOptions): string[] {
  const marker = ALERT_MARKER.exec(t.text);
  const kind = marker?.[1]?.toUpperCase();
  if (marker && kind && ALERTS[kind]) return alertBox(kind, t.text.slice(marker[0].length), o);
  const { chalk, unicode, sym } = o.style;
  const bar = chalk.dim(unicode ? sym.box.v : ">");
  return blocks(t.tokens, { ...o, width: Math.max(10, o.width - 2) }, "\n").map((l) => (l === "" ? bar : `${bar} ${l}`));
}

/** Languages whose every line is shell code (a `console` block mixes prompts with output). */
const SCRIPT_LANGS = new Set(["sh", "bash", "shell", "zsh"]);

/**
 * Code, indented. Shell code wider than the room is wrapped the shell's way (shell-wrap.ts), so it stays a
 * command you can type or copy; other code (a `text` block holding a command, output, config) is never broken:
 * a line wider than the room stays one line, which the terminal wraps on screen and copies whole. (Broken at a
 * space like prose, `mount … -o` / `  lowerdir=…` copied as two commands, and a quoted string lost its space.)
 */
function code(t: Tokens.Code, o: MarkdownOptions): string[] {
  const lang = (t.lang ?? "").trim().split(/\s+/)[0]!.toLowerCase();
  const room = Math.max(20, o.width - CODE_INDENT.length);
  if (SCRIPT_LANGS.has(lang) || lang === "") {
    const wrapped = wrapShellLines(t.text, room);
    const text = wrapped.map((l) => l.text).join("\n");
    const lines = SHELL_LANGS.has(lang) ? highlightShell(text, lang, o.style) : text.split("\n");
    // Lines that must start at column 0 to be typed or copied as they are (see CodeLine) get no indent.
    return lines.map((l, i) => (l === "" || wrapped[i]?.flush ? l : CODE_INDENT + l));
  }
  return t.text.split("\n").map((l) => (l === "" ? "" : CODE_INDENT + l));
}

function block(t: Token, o: MarkdownOptions): string[] | undefined {
  switch (t.type) {
    case "heading":
      return heading(t as Tokens.Heading, o);
    case "paragraph":
    case "text":
      return wrapText(renderInline("tokens" in t && t.tokens ? t.tokens : [{ type: "text", raw: t.raw, text: t.text }], o.style), o.width).split("\n");
    case "list":
      return list(t as Tokens.List, o);
    case "blockquote":
      return blockquote(t as Tokens.Blockquote, o);
    case "code":
      return code(t as Tokens.Code, o);
    case "table":
      return renderTable(t as Tokens.Table, o.width, o.style);
    case "hr":
      return [o.style.chalk.dim(o.style.sym.box.h.repeat(Math.min(o.width, 80)))];
    case "html": {
      // Block HTML: comments vanish; other tags are dropped and their text kept.
      const text = decodeEntities(t.text.replace(/<!--[\s\S]*?-->/g, "").replace(/<[^>]+>/g, "")).trim();
      return text ? wrapText(text, o.width).split("\n") : undefined;
    }
    default:
      return undefined; // space, def: nothing to show
  }
}

/** Renders block tokens, separated by `gap` ("\n" = a blank line between blocks). */
function blocks(tokens: Token[], o: MarkdownOptions, gap: "\n" | ""): string[] {
  const out: string[] = [];
  for (const t of tokens) {
    const lines = block(t, o);
    if (!lines) continue;
    if (out.length > 0 && (gap || t.type === "code" || t.type === "table")) out.push("");
    // One by one: a spread of 200 000 lines (a long expect block) overflows the call stack.
    for (const line of lines) out.push(line);
  }
  return out;
}

/** Markdown → text for a terminal `opts.width` columns wide; no trailing newline. */
export function renderMarkdown(md: string, opts: MarkdownOptions): string {
  const tokens = Lexer.lex(md.replace(/\r\n/g, "\n"), { gfm: true });
  return blocks(tokens, opts, "\n").join("\n").replace(/\s+$/, "");
}

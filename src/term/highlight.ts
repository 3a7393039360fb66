// A small shell highlighter for code blocks in the terminal: `$ ` prompts, comments, quoted strings and
// variables. It only adds colour: with colour off the code comes back unchanged, character for character.
import type { Style } from "./style.js";

export const SHELL_LANGS = new Set(["sh", "bash", "shell", "console", "zsh", "shell-session"]);

type Quote = "'" | '"' | undefined;

/** Colours one line of shell code; `quote` carries an open string over to the next line. */
function shellLine(line: string, style: Style, open: Quote): { text: string; quote: Quote } {
  const { chalk } = style;
  let out = "";
  let quote = open;
  let buf = "";
  const flush = (paint: (s: string) => string) => {
    if (buf) out += paint(buf);
    buf = "";
  };
  const str = (s: string) => chalk.green(s);
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      buf += c;
      if (c === "\\" && quote === '"' && i + 1 < line.length) buf += line[++i]!;
      else if (c === quote) {
        quote = undefined;
        flush(str);
      }
      continue;
    }
    if (c === "#" && (i === 0 || /\s/.test(line[i - 1]!))) {
      flush((s) => s);
      out += chalk.dim(line.slice(i));
      return { text: out, quote };
    }
    if (c === "'" || c === '"') {
      flush((s) => s);
      quote = c;
      buf = c;
      continue;
    }
    if (c === "\\" && i + 1 < line.length) {
      buf += c + line[++i]!;
      continue;
    }
    const variable = c === "$" ? /^\$(\{[^}]*\}|[A-Za-z_]\w*|[0-9#?$!@*-])/.exec(line.slice(i)) : null;
    if (variable) {
      flush((s) => s);
      out += chalk.cyan(variable[0]);
      i += variable[0].length - 1;
      continue;
    }
    buf += c;
  }
  flush(quote ? str : (s) => s);
  return { text: out, quote };
}

/**
 * Highlights shell code. In `console` blocks only lines starting with a `$ ` or `# ` prompt are commands (the
 * rest is output, left alone); in sh/bash/shell blocks every line is code, and a leading `$ ` is a prompt.
 */
export function highlightShell(code: string, lang: string, style: Style): string[] {
  const lines = code.split("\n");
  if (!style.color) return lines;
  const { chalk } = style;
  const session = lang === "console" || lang === "shell-session";
  let quote: Quote;
  return lines.map((line) => {
    const prompt = /^(\s*[$#] )/.exec(line);
    if (session && !prompt && quote === undefined) return line;
    if (prompt && (session || prompt[1]!.trim() === "$") && quote === undefined) {
      const r = shellLine(line.slice(prompt[1]!.length), style, undefined);
      quote = r.quote;
      return chalk.dim(prompt[1]!) + chalk.bold(r.text);
    }
    const r = shellLine(line, style, quote);
    quote = r.quote;
    return r.text;
  });
}

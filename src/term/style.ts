// The one place that decides colour, Unicode and interactivity for the whole program. Everything that prints
// asks createStyle() for the stream it writes to; nothing else looks at isTTY, NO_COLOR, TERM or the locale.
// Cheap to import (chalk only): the console reporter and `rootlab --version` load it.
import { Chalk, type ChalkInstance } from "chalk";

export interface Symbols {
  pass: string;
  fail: string;
  skip: string;
  warn: string;
  /** Marks the step that is starting, e.g. "▶ 2/5 Title". */
  arrow: string;
  bullet: string;
  spinnerFrames: readonly string[];
  /** Box drawing for frames and rules: horizontal, vertical, corners. */
  box: { h: string; v: string; tl: string; bl: string };
  ellipsis: string;
}

export interface Style {
  /** ANSI colour and emphasis are allowed. */
  color: boolean;
  /** Non-ASCII symbols can be shown. */
  unicode: boolean;
  /** A person is watching a real terminal: spinners and rewriting the current line are allowed. */
  interactive: boolean;
  /** Always use this, never the global chalk: it has the colour level decided here (level 0 = plain text). */
  chalk: ChalkInstance;
  sym: Symbols;
}

type ColorLevel = 0 | 1 | 2 | 3;
type Env = Record<string, string | undefined>;

const UNICODE_SYMBOLS: Symbols = {
  pass: "✓",
  fail: "✗",
  skip: "○",
  warn: "!",
  arrow: "▶",
  bullet: "•",
  spinnerFrames: ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"],
  box: { h: "─", v: "│", tl: "┌", bl: "└" },
  ellipsis: "…",
};

const ASCII_SYMBOLS: Symbols = {
  pass: "ok",
  fail: "FAIL",
  skip: "-",
  warn: "!",
  arrow: ">",
  bullet: "*",
  spinnerFrames: ["|", "/", "-", "\\"],
  box: { h: "-", v: "|", tl: "+", bl: "+" },
  ellipsis: "...",
};

/** FORCE_COLOR as chalk/supports-color read it: "0"/"false" = off, "1"–"3" = that level, anything else = 1. */
function forcedLevel(value: string | undefined): ColorLevel | undefined {
  if (value === undefined) return undefined;
  if (value === "0" || value === "false") return 0;
  if (value === "2" || value === "3") return Number(value) as ColorLevel;
  return 1;
}

function detectedLevel(env: Env): ColorLevel {
  if (env.COLORTERM === "truecolor" || env.COLORTERM === "24bit") return 3;
  if (env.TERM?.includes("256")) return 2;
  return 1;
}

/** Colour level: FORCE_COLOR wins; otherwise off for NO_COLOR (any value), TERM=dumb, or no terminal. */
export function colorLevel(stream: { isTTY?: boolean }, env: Env = process.env): ColorLevel {
  const forced = forcedLevel(env.FORCE_COLOR);
  if (forced !== undefined) return forced === 0 ? 0 : Math.max(forced, detectedLevel(env)) as ColorLevel;
  if (env.NO_COLOR !== undefined) return 0;
  if (env.TERM === "dumb") return 0;
  if (stream.isTTY !== true) return 0;
  return detectedLevel(env);
}

/**
 * Unicode unless the Linux console or a dumb terminal, or the locale that governs characters (LC_ALL, then
 * LC_CTYPE, then LANG — the POSIX order) does not say UTF-8. No locale at all means "C": ASCII.
 */
export function supportsUnicode(env: Env = process.env): boolean {
  if (env.TERM === "linux" || env.TERM === "dumb") return false;
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || "";
  return /utf-?8/i.test(locale);
}

/** Interactive: a real terminal that is not a CI log and not dumb. */
export function isInteractive(stream: { isTTY?: boolean }, env: Env = process.env): boolean {
  return stream.isTTY === true && !env.CI && env.TERM !== "dumb";
}

export function createStyle(stream: NodeJS.WriteStream | { isTTY?: boolean }, env: Env = process.env): Style {
  const level = colorLevel(stream, env);
  const unicode = supportsUnicode(env);
  return {
    color: level > 0,
    unicode,
    interactive: isInteractive(stream, env),
    chalk: new Chalk({ level }),
    sym: unicode ? UNICODE_SYMBOLS : ASCII_SYMBOLS,
  };
}

/** A style with no colour, ASCII or Unicode symbols, never interactive: for files and tests. */
export function plainStyle(unicode = true): Style {
  return { color: false, unicode, interactive: false, chalk: new Chalk({ level: 0 }), sym: unicode ? UNICODE_SYMBOLS : ASCII_SYMBOLS };
}

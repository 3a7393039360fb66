// Help text fitted to the terminal: lines wider than it wrap at word boundaries with a hanging indent — an option's
// description continues under itself, any other line under its own first word. A line that will wrap takes the
// next lines written as its continuation along, so a description reflows as one paragraph. A command line (an
// example) is never reflowed with its neighbours: it wraps the shell's way (" \\" continuations), so it can still be
// copied and run. A usage line wraps between its [options], never inside one. Pure.
import { displayWidth } from "./width.js";
import { wrapText } from "./wrap.js";
import { wrapShellCode } from "./shell-wrap.js";

/**
 * Option and command rows: leading blanks, the option and its value (or a command's name), two or more blanks,
 * the description.
 */
const OPTION_ROW = /^(\s*-\S*(?:,? -\S+)*(?: <[^>]+>| [A-Z][A-Z0-9|.]*| [a-z][a-z0-9|]*)*\s{2,}|\s+[a-z][a-z0-9-]*(?: \[[^\]]*\]| <[^>]+>| [a-z][a-z0-9-]*)*\s{2,})(\S.*)$/;
/** An example: an indented line that is a command to type (`rootlab …`, `sudo rootlab …`, `npx rootlab …`). */
const COMMAND_LINE = /^\s+(?:sudo |npx |node )*(?:\S*\/)?(?:rootlab(?:\.js)?|vagrant|jq)(?: |$)/;
/** A usage line (`Usage: rootlab …` and the alternatives under it). */
const USAGE_LINE = /^(?:Usage: |\s{7})(?:sudo |npx |node )*\S*rootlab/;
const BULLET = /^\s*(?:[-*]|\d+\.)\s+/;

interface Paragraph {
  first: string;
  rest: string;
  hang: string;
  /** How it wraps: at words (prose), the shell's way (a command), or between bracketed options (usage). */
  kind: "prose" | "command" | "usage";
}

function paragraphs(lines: string[], width: number): Paragraph[] {
  const out: Paragraph[] = [];
  for (const line of lines) {
    const prev = out[out.length - 1];
    const lead = /^\s*/.exec(line)?.[0] ?? "";
    // A continuation of a paragraph that wraps anyway: same hanging indent, not a new option or list item.
    if (USAGE_LINE.test(line)) {
      const head = line.startsWith("Usage: ") ? "Usage: " : lead;
      out.push({ first: head, rest: line.slice(head.length), hang: `${" ".repeat(displayWidth(head))}    `, kind: "usage" });
      continue;
    }
    if (COMMAND_LINE.test(line)) {
      out.push({ first: lead, rest: line.slice(lead.length), hang: lead, kind: "command" });
      continue;
    }
    if (prev?.kind === "prose" && displayWidth(prev.first + prev.rest) > width && line.trim() !== "" && lead === prev.hang && !OPTION_ROW.test(line) && !BULLET.test(line)) {
      prev.rest += ` ${line.trim()}`;
      continue;
    }
    const option = OPTION_ROW.exec(line);
    if (option) {
      const head = option[1] as string;
      out.push({ first: head, rest: option[2] as string, hang: " ".repeat(displayWidth(head)), kind: "prose" });
      continue;
    }
    const bullet = BULLET.exec(line)?.[0];
    out.push({ first: lead, rest: line.slice(lead.length), hang: " ".repeat(displayWidth(bullet ?? lead)), kind: "prose" });
  }
  return out;
}

/** Spaces inside `[...]` and `<...>` kept from breaking (a no-break space while wrapping). */
const NBSP = "\u00a0";
const keepGroups = (text: string) => text.replace(/\[[^\]]*\]|<[^>]*>/g, (group) => group.replaceAll(" ", NBSP));

function fitParagraph(p: Paragraph, width: number): string {
  if (displayWidth(p.first + p.rest) <= width) return p.first + p.rest;
  if (p.kind === "command") return wrapShellCode(p.rest, width - displayWidth(p.first)).map((l) => p.first + l).join("\n");
  if (p.kind === "usage") return wrapText(keepGroups(p.rest), width, { firstIndent: p.first, indent: p.hang }).replaceAll(NBSP, " ");
  return wrapText(p.rest, width, { firstIndent: p.first, indent: p.hang });
}

export function fitHelp(text: string, width: number): string {
  if (!Number.isFinite(width) || width < 40) return text;
  return paragraphs(text.split("\n"), width)
    .map((p) => fitParagraph(p, width))
    .join("\n");
}

/** Table-like rows of a report (`  ✓ name      what it says`): the text after the first wide gap is the column. */
const REPORT_ROW = /^(\s*\S(?:\S| \S)*\s{2,})(\S.*)$/;

/**
 * A report (doctor, list, a message) fitted to the terminal: each line wider than it wraps at words, under its own
 * column (the text after a row's first wide gap) or under its first word; an indented rootlab command wraps the
 * shell's way. Lines are items: they never reflow together.
 */
export function fitReport(text: string, width: number): string {
  if (!Number.isFinite(width) || width < 40) return text;
  return text
    .split("\n")
    .map((line) => {
      if (displayWidth(line) <= width) return line;
      // A command to paste (`  npx rootlab vm up && npx rootlab vm ssh`): wrapped the shell's way, still one command.
      if (COMMAND_LINE.test(line)) {
        const lead = /^\s*/.exec(line)?.[0] ?? "";
        return wrapShellCode(line.slice(lead.length), width - displayWidth(lead)).map((l) => lead + l).join("\n");
      }
      const row = REPORT_ROW.exec(line);
      if (row && displayWidth(row[1] as string) < width / 2) {
        const head = row[1] as string;
        return wrapText(row[2] as string, width, { firstIndent: head, indent: " ".repeat(displayWidth(head)) });
      }
      const lead = /^\s*/.exec(line)?.[0] ?? "";
      const bullet = BULLET.exec(line)?.[0] ?? /^\s*[^\s\w]\s+/.exec(line)?.[0];
      return wrapText(line.slice(lead.length), width, { firstIndent: lead, indent: " ".repeat(displayWidth(bullet ?? lead)) });
    })
    .join("\n");
}

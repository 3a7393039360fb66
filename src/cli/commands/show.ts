// rootlab show: a lab as readable text — prose, commands, checks, hints — rendered for the terminal.
import { rootlabCommand } from "../../core/rootlab-command.js";
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import type { Command } from "../command.js";
import type { Block, Lab, Step } from "../../format/types.js";
import { UsageError } from "../../core/errors.js";
import { loadLabsFor } from "../load-labs.js";
import { createStyle } from "../../term/style.js";
import { renderMarkdown } from "../../term/markdown.js";
import { readableExpect } from "../../check/readable.js";
import { displayWidth } from "../../term/width.js";

/** A folder is a common slip (`rootlab show labs/`): say what it is and which command shows a folder's labs. */
async function refuseFolder(arg: string): Promise<void> {
  // `""` resolves to the current folder: resolveLabArg says what an empty argument is instead.
  if (arg.trim() === "") return;
  if (!(await stat(resolve(arg)).then((s) => s.isDirectory(), () => false))) return;
  throw new UsageError(`${arg} is a folder; show prints one lab.\nSee the labs in it: rootlab list --labs-dir ${arg}\nThen show one: rootlab show <lab-id> --labs-dir ${arg}   (or give the path of its .md file)`);
}

const fence = (lang: string, code: string) => `\`\`\`${lang}\n${code}\n\`\`\``;

/** Rendered code's indent (term/markdown.ts): an expected line has the width less these columns. */
const CODE_INDENT = 4;
const PATTERN_WORDS = "(a line matching the pattern ";

/**
 * Expected output is shown as the lab wrote it, never broken (the terminal wraps it); rootlab's own words around a
 * pattern are not the lab's, so a described pattern wider than ROOM puts the pattern on a line of its own.
 */
export function fitPatternLines(lines: readonly string[], room: number | undefined): string[] {
  return lines.flatMap((l) => (room !== undefined && l.startsWith(PATTERN_WORDS) && displayWidth(l) > room ? [PATTERN_WORDS.trimEnd(), `  ${l.slice(PATTERN_WORDS.length)}`] : [l]));
}

function blockMarkdown(block: Block, withSolutions = false, room?: number): string {
  if (block.role === "solution" && !withSolutions) return "**Solution:** hidden — try it yourself first (`rootlab show --solutions` prints it).";
  const where = block.session !== "host" || block.enter ? ` (session ${block.enter ? `${block.session} → becomes ${block.enter}` : block.session})` : "";
  const extras = [block.exit !== 0 ? `expected to exit with ${block.exit}` : "", block.background ? "runs in the background" : ""].filter(Boolean).join(", ");
  const label: Record<Block["role"], string> = {
    command: `**Run**${where}${extras ? ` — ${extras}` : ""}:`,
    verify: `**Check: ${block.name ?? "(unnamed)"}**${where}${block.retryMs ? ` — retried for up to ${block.retryMs / 1000}s` : ""}:`,
    solution: `**Solution** (hidden in guided mode)${where}:`,
    setup: `**Setup** (hidden, runs before the step)${where}:`,
    cleanup: `**Cleanup** (runs when the lab ends)${where}:`,
    wrong: `**Wrong attempt** (only \`verify --strict\` runs it)${where}:`,
    undo: `**Undo** of the wrong attempt${where}:`,
  };
  const parts = [label[block.role], fence("sh", block.code)];
  if (block.expect) {
    // Patterns (`(re)` lines) as a reader understands them, the way guided mode shows them after a mismatch.
    const readable = readableExpect(block.expect.lines);
    parts.push(readable.legend ? `Expected output (${readable.legend}):` : "Expected output:", fence("text", fitPatternLines(readable.lines, room).join("\n")));
  }
  return parts.join("\n\n");
}

function stepMarkdown(step: Step, withSolutions: boolean, room?: number): string {
  let hint = 0;
  const body = step.parts.map((part) => {
    if (part.kind === "prose") return part.markdown;
    if (part.kind === "hint") return `> [!TIP]\n> **Hint ${++hint}:** ${part.hint.markdown.split("\n").join("\n> ")}`;
    return blockMarkdown(part.block, withSolutions, room);
  });
  return [`## ${step.index + 1}. ${step.title}`, ...body].join("\n\n");
}

/** WIDTH: the terminal's columns, when the Markdown is rendered for one (rootlab's own words then fit in it). */
export function labMarkdown(lab: Lab, opts: { solutions?: boolean; width?: number } = {}): string {
  const room = opts.width === undefined ? undefined : opts.width - CODE_INDENT;
  const m = lab.meta;
  const req = m.requires;
  const needs = [req.root ? "root" : "", ...req.kernel.map((k) => `kernel ${k}`), req.systemd ? "systemd as PID 1" : "", req.network ? "internet" : ""].filter(Boolean);
  const facts = [`id \`${m.id}\``, m.level, m.duration, needs.length ? `needs ${needs.join(", ")}` : "", req.commands.length ? `commands: ${req.commands.join(", ")}` : ""].filter(Boolean).join(" · ");
  const parts = [`# ${lab.title}`, m.summary ? `*${m.summary}*` : "", facts, lab.intro, ...lab.steps.map((step) => stepMarkdown(step, Boolean(opts.solutions), room))];
  if (lab.cleanup.length > 0) parts.push("## Cleanup", ...lab.cleanup.map((b) => blockMarkdown(b, false, room)));
  return parts.filter((p) => p.trim() !== "").join("\n\n");
}

export const command: Command = {
  name: "show",
  summary: "Print a lab as text",
  help: `Usage: rootlab show <lab-id|path> [--width N] [--markdown]

Prints the lab as the student reads it: prose, each step's commands, named checks, expected output and hints.
Needs no root.

Options:
  --width <n>       Wrap to n columns (default: the terminal's width, or 80)
  --markdown        Print the composed Markdown instead of terminal text
  --solutions       Also print the solutions of challenge steps (hidden by default, as in guided mode)
  --labs-dir <dir>  Where lab ids are looked up (default: $ROOTLAB_LABS, else ./labs if it has labs, else rootlab's)
  -h, --help        Show this help

Examples:
  rootlab show chroot
  rootlab show ./labs/01-my-lab.md --markdown`,
  allowPositionals: true,
  options: { width: { type: "string" }, markdown: { type: "boolean" }, solutions: { type: "boolean" }, "labs-dir": { type: "string" } },
  async run({ values, positionals }) {
    if (positionals.length !== 1) throw new UsageError(`show takes one lab id or path.\nExample: ${rootlabCommand()} show chroot`);
    // A terminal narrower than 20 columns still gets the lab (at 20: wrapping narrower helps nobody).
    const width = values.width === undefined ? Math.max(20, Math.min(process.stdout.columns || 80, 100)) : Number(values.width);
    if (!Number.isInteger(width) || width < 20) throw new UsageError(`--width needs a whole number ≥ 20, got "${String(values.width)}".`);
    // A folder is looked up as an id first (a folder may share a lab's name); only then is it the mistake.
    const { labs } = await loadLabsFor(positionals, values["labs-dir"] ? { dir: String(values["labs-dir"]) } : {}).catch(async (err: unknown) => {
      if (err instanceof UsageError) await refuseFolder(positionals[0]!);
      throw err;
    });
    const md = labMarkdown(labs[0]!, { solutions: Boolean(values.solutions), ...(values.markdown ? {} : { width }) });
    process.stdout.write(values.markdown ? `${md}\n` : `${renderMarkdown(md, { width, style: createStyle(process.stdout) })}\n`);
    return 0;
  },
};

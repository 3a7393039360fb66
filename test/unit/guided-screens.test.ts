// Every guided screen of every lab in labs/ (whatever labs are there), rendered as a student sees it without
// colour at 80 and 120 columns: no line wider than the terminal, and no word split across lines. Shell code is
// allowed its continuation marks (" \" at a space, a bare "\" inside a cut word) — the shell joins them back; a
// line of other code (a `text` block) is never broken, so it may be wider.
import { describe, expect, it } from "vitest";
import type { Lab } from "../../src/format/types.js";
import { bundledLabsDir, loadAllLabs } from "../../src/format/load.js";
import { plainStyle } from "../../src/term/style.js";
import { displayWidth } from "../../src/term/width.js";
import { commandView, explanationView, hintView, labHeader, solutionView, stepHeader, markdown, type View } from "../../src/guided/render.js";
import { typedShellIntro } from "../../src/guided/typed-notes.js";
import { stepText } from "../../src/guided/step-text.js";

/** Every screen a student can meet in LAB: the header, each step's text, commands, hints, solution, explanation. */
function screens(lab: Lab, v: View): { name: string; text: string }[] {
  const out = [{ name: "lab header", text: labHeader(lab, v) }];
  for (const step of lab.steps) {
    const at = `step ${step.index + 1}`;
    out.push({ name: `${at} header`, text: stepHeader(lab, step, v) });
    const commands = step.blocks.filter((b) => b.role === "command");
    const text = stepText(step);
    commands.forEach((b, i) => {
      const lead = text.beforeCommand.get(b) ?? [];
      if (lead.length > 0) out.push({ name: `${at} text before command ${i + 1}`, text: markdown(lead.join("\n\n"), v) });
      out.push({ name: `${at} command ${i + 1}`, text: commandView(b, { n: i + 1, of: commands.length }, v) });
      out.push({ name: `${at} typing ${i + 1}`, text: typedShellIntro(step, b.session, b, v) });
    });
    if (text.beforeChecks.length > 0) out.push({ name: `${at} text before checks`, text: markdown(text.beforeChecks.join("\n\n"), v) });
    step.hints.forEach((h, i) => out.push({ name: `${at} hint ${i + 1}`, text: hintView(h, i + 1, step.hints.length, v) }));
    out.push({ name: `${at} solution`, text: solutionView(step, v) });
    out.push({ name: `${at} explanation`, text: explanationView(step, v) });
    out.push({ name: `${at} skipped`, text: explanationView(step, v, "skipped") });
  }
  return out;
}

/** Tokens as the reader gets them: a word cut by a shell continuation joined again, the marks themselves dropped. */
function tokens(text: string): string[] {
  const joined = text
    .replace(/'\\\n *'/g, "") // 'abc'\ + 'def' → 'abcdef'
    .replace(/(\S)\\\n/g, "$1") // a word cut with a bare backslash goes on at column 0 (an indent would split it)
    .replace(/ \\\n/g, "\n"); // a continuation at a space
  // Rules (─────) are as wide as the terminal: not words.
  return joined.split(/\s+/).filter((t) => t !== "" && t !== "#" && !/^[─=-]+$/.test(t));
}

const labs = (await loadAllLabs(bundledLabsDir())).flatMap((l) => (l.result.ok ? [l.result.lab] : []));

describe.each([80, 120])("guided screens at %i columns, no colour", (width) => {
  const v: View = { style: plainStyle(), width };
  const wide: View = { style: plainStyle(), width: 100_000 };
  it.each(labs.map((l) => [l.meta.id, l] as const))("%s", (_id, lab) => {
    const narrow = screens(lab, v);
    const reference = screens(lab, wide);
    const problems: string[] = [];
    narrow.forEach((screen, k) => {
      // Lines of code blocks in the prose (a `text` block holding a command, output) are never broken either: a
      // line wider than the terminal stays one line, which the terminal wraps and copies whole.
      const fenced = (md: string) => [...md.matchAll(/^```[^\n]*\n([\s\S]*?)^```/gm)].flatMap((m) => m[1]!.split("\n"));
      const prose = lab.steps.flatMap((s) => [s.intro, s.explanation, ...s.parts.flatMap((p) => (p.kind === "prose" ? [p.markdown] : []))]);
      const codeLines = new Set([...lab.steps.flatMap((s) => s.blocks.flatMap((b) => b.code.split("\n"))), ...prose.flatMap(fenced)]);
      for (const line of screen.text.split("\n")) {
        // A heredoc's body is shown as written (wrapping it would change the file it writes).
        // One word longer than the whole line (a long URL) cannot fit without being cut: the terminal wraps it.
        const oneLongWord = /^\s*\S+\s*$/.test(line);
        if (displayWidth(line) > width && !oneLongWord && !codeLines.has(line) && !codeLines.has(line.replace(/^ {4}/, ""))) problems.push(`${screen.name}: ${displayWidth(line)} columns: ${line}`);
      }
      const known = new Set(tokens(reference[k]!.text));
      for (const t of tokens(screen.text)) if (!known.has(t)) problems.push(`${screen.name}: "${t}" is not a whole word of the text`);
    });
    expect(problems).toEqual([]);
  });
});

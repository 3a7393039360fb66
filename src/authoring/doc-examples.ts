// Example labs inside Markdown docs (docs/lab-format.md, docs/authoring.md), so tests can check every one.
// An example is a four-backtick fence: ````markdown lab [runnable] [lint=code,code] (a complete lab) or
// ````markdown step (a piece of a step, checked inside a minimal lab). Pure.

export interface DocExample {
  kind: "lab" | "step";
  /** Run it with `rootlab verify --strict` in the e2e tests. */
  runnable: boolean;
  /** For examples that show lint findings: exactly these codes are expected. */
  lint: string[];
  /** Line of the opening fence in the doc. */
  line: number;
  text: string;
  /** The lab to parse: the text itself, or a step snippet wrapped in a minimal lab. */
  lab: string;
  /** Lines the wrapper adds before the text (to map a diagnostic back to the doc). */
  offset: number;
}

const WRAPPER_HEAD = `---
format: 1
id: docs-snippet
title: A snippet from the docs
summary: A piece of a lab, shown in the docs.
level: beginner
duration: 5m
requires:
  root: true
  commands: []
  kernel: []
  systemd: false
  network: false
uses: []
---

# A snippet from the docs

The docs show this piece of a lab.

`;

export interface DocFence {
  info: string;
  line: number;
  text: string;
}

/** Every four-backtick fence of a Markdown doc whose language is `markdown`. */
export function markdownFences(doc: string): DocFence[] {
  const lines = doc.split("\n");
  const out: DocFence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^````markdown\b(.*)$/.exec(lines[i] ?? "");
    if (!open) continue;
    const end = lines.findIndex((l, k) => k > i && /^````\s*$/.test(l));
    const stop = end === -1 ? lines.length : end;
    out.push({ info: (open[1] ?? "").trim(), line: i + 1, text: `${lines.slice(i + 1, stop).join("\n")}\n` });
    i = stop;
  }
  return out;
}

export function docExamples(doc: string): DocExample[] {
  return markdownFences(doc).map((f) => {
    const words = f.info.split(/\s+/).filter(Boolean);
    const kind = words[0] === "lab" ? "lab" : words[0] === "step" ? "step" : undefined;
    if (!kind) throw new Error(`line ${f.line}: a \`\`\`\`markdown example must say \`lab\` or \`step\`, got "${f.info}"`);
    const lint = words.find((w) => w.startsWith("lint="))?.slice(5).split(",").filter(Boolean) ?? [];
    const wrapped = kind === "step" ? `${WRAPPER_HEAD}${f.text.startsWith("## ") ? "" : "## The step\n\n"}` : "";
    return { kind, runnable: words.includes("runnable"), lint, line: f.line, text: f.text, lab: wrapped + f.text, offset: wrapped.split("\n").length - 1 };
  });
}

// `rootlab explain`: per step, the author's explanation beside what the machine says the step changed — an
// instructor's check that the prose tells the truth. Markdown, so it reads in a terminal and renders on GitHub.
import type { Lab } from "../format/types.js";
import { renderDiagram, renderMermaid, type Wiring } from "./diagram.js";
import type { Change } from "./types.js";

export type DiagramStyle = "text" | "mermaid" | "none";

export interface StepObservation {
  changes: Change[];
  wiring?: Wiring;
}

export interface ExplainDocumentInput {
  lab: Lab;
  /** step index → what the machine said (-1: after the cleanups); a step that never ran is absent. */
  observed: Map<number, StepObservation>;
  diagram: DiagramStyle;
  ascii?: boolean;
}

const quote = (markdown: string) =>
  markdown
    .trim()
    .split("\n")
    .map((l) => (l ? `> ${l}` : ">"))
    .join("\n");

/**
 * A change as a list item. Its "+ "/"- " mark is escaped: after the item's own "- " Markdown reads it as a nested
 * list, and a terminal showed "• • netns rlv-ns1" (GitHub a bullet in a bullet).
 */
const item = (text: string) => `- ${text.replace(/^([+-]) /, "\\$1 ")}`;

function machineSays(o: StepObservation, diagram: DiagramStyle, ascii: boolean): string[] {
  const out = o.changes.length === 0 ? ["No change to namespaces, links, addresses, routes, firewall, mounts, loop devices or cgroups."] : o.changes.map((c) => item(ascii ? c.text.replace(/⇄/g, "<->") : c.text));
  if (o.wiring && diagram === "text") {
    const picture = renderDiagram(o.wiring, { ascii });
    if (picture.length) out.push("", "```text", ...picture, "```");
  }
  if (o.wiring && diagram === "mermaid") out.push("", "```mermaid", renderMermaid(o.wiring).trimEnd(), "```");
  return out;
}

export function explainDocument(input: ExplainDocumentInput): string {
  const { lab, observed, diagram } = input;
  const ascii = Boolean(input.ascii);
  const parts = [`# ${lab.title} — explained by the machine`, "", `Lab \`${lab.meta.id}\` (${lab.file}). For each step: what the lab says, then what rootlab saw change on the machine.`];
  for (const step of lab.steps) {
    parts.push("", `## ${step.index + 1}. ${step.title}`, "");
    const prose = step.explanation.trim() || step.intro.trim();
    parts.push("**The lab says:**", "", prose ? quote(prose) : "_(no explanation in the lab)_", "");
    const o = observed.get(step.index);
    parts.push("**The machine says:**", "", ...(o ? machineSays(o, diagram, ascii) : ["_(the step did not run)_"]));
  }
  const end = observed.get(-1);
  if (end) {
    parts.push("", "## After the cleanups", "");
    parts.push(...(end.changes.length === 0 ? ["The machine is as it was before the lab."] : ["Still different from the start:", "", ...end.changes.map((c) => item(c.text))]));
  }
  return `${parts.join("\n")}\n`;
}

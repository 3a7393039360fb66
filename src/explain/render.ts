// What a step changed, as terminal lines: the changes in words, then the wiring as a picture. Pure.
import { renderDiagram, type Wiring } from "./diagram.js";
import type { Change } from "./types.js";

export interface ExplainRenderOptions {
  unicode: boolean;
  /** Columns available; the picture is left out when it does not fit (the words always say it all). */
  width: number;
  indent?: string;
}

export function changeLines(changes: Change[], wiring: Wiring | undefined, opts: ExplainRenderOptions): string[] {
  const pad = opts.indent ?? "";
  const arrow = opts.unicode ? "⇄" : "<->";
  if (changes.length === 0) return [`${pad}machine: no change to namespaces, links, mounts, loop devices or cgroups`];
  const lines = [`${pad}what changed on the machine:`, ...changes.map((c) => `${pad}  ${opts.unicode ? c.text : c.text.replace(/⇄/g, arrow)}`)];
  if (wiring) {
    const picture = renderDiagram(wiring, { ascii: !opts.unicode });
    if (picture.length > 0 && Math.max(...picture.map((l) => l.length)) + pad.length + 2 <= opts.width) lines.push("", ...picture.map((l) => `${pad}  ${l}`));
  }
  return lines;
}

// After each step, guided mode shows what the step changed on the machine (namespaces, links, mounts, cgroups…)
// and, for networks, a picture. It comes after the step's explanation, folded to a few lines (src/explain/fold.ts)
// so that it never pushes the output the explanation talks about off the screen; "See all changes" between steps
// shows every one in a pager, and the learner can fold it to one line per step.
import type { RunEvent } from "../exec/types.js";
import { renderDiagram } from "../explain/diagram.js";
import { foldChanges } from "../explain/fold.js";
import { displayWidth } from "../term/width.js";
import { wrapText } from "../term/wrap.js";
import type { View } from "./render.js";

type StepChanges = Extract<RunEvent, { type: "step-changes" }>;

/** Lines of changes shown on a terminal of ROWS rows: a sixth of it, 3 to 10 (30 rows: 5). */
export function changeLinesFor(rows: number): number {
  return Math.max(3, Math.min(10, Math.floor(rows / 6)));
}

/** Terminals with at least this many rows also get the wiring picture after the folded list. */
const PICTURE_ROWS = 40;

export class MachineChanges {
  /** The learner folded it to one line per step. */
  folded = false;
  private pending: string[] = [];
  /** The last step's whole list (and picture), for "See all changes". */
  private everything = "";
  private count = 0;
  private cut = false;

  /** Keeps what a step changed, to be shown after its explanation (nothing after the cleanups: the leak check speaks). */
  take(e: StepChanges, view: View, rows: number): void {
    if (e.stepIndex < 0) return;
    const { chalk, unicode } = view.style;
    const arrows = (t: string) => (unicode ? t : t.replace(/⇄/g, "<->"));
    const folded = foldChanges(e.changes, changeLinesFor(rows));
    const picture = e.wiring ? renderDiagram(e.wiring, { ascii: !unicode }) : [];
    this.count = folded.all.length;
    this.everything = [`What step ${e.stepIndex + 1} changed on the machine:`, ...folded.all.map((l) => `  ${arrows(l)}`), ...(picture.length > 0 ? ["", ...picture.map((l) => `  ${l}`)] : [])].join("\n");
    this.cut = folded.folded || (picture.length > 0 && rows < PICTURE_ROWS);
    if (folded.all.length === 0) {
      this.pending = [chalk.dim("The machine: no change to namespaces, links, mounts, loop devices or cgroups.")];
      return;
    }
    if (this.folded) {
      this.pending = [chalk.dim(`What changed on the machine: ${plural(this.count, "change")} (folded: "Show what changed" between steps unfolds it).`)];
      return;
    }
    const wrap = (l: string) => wrapText(`  ${arrows(l)}`, view.width, { firstIndent: "", indent: "    " });
    const lines = [chalk.bold("What changed on the machine:"), ...folded.lines.map(wrap)];
    if (folded.more > 0) lines.push(chalk.dim(wrap(`… and ${plural(folded.more, "more line")}: "See all changes" between steps shows every one`)));
    const fits = picture.length > 0 && rows >= PICTURE_ROWS && Math.max(...picture.map(displayWidth)) + 2 <= view.width;
    if (fits) lines.push("", ...picture.map((l) => `  ${l}`));
    this.pending = lines;
  }

  /** What to show now (once): the lines kept by take(). */
  flush(): string {
    const text = this.pending.join("\n");
    this.pending = [];
    return text;
  }

  /** The last step's changes in full, for a pager. */
  all(): string {
    return this.everything;
  }

  /** The choices between steps: see all (when the list was folded or cut), fold or unfold. */
  choices(): { value: "changes" | "fold"; label: string; hint: string }[] {
    const out: { value: "changes" | "fold"; label: string; hint: string }[] = [];
    if ((this.cut || this.folded) && this.count > 0) out.push({ value: "changes", label: `See all changes (${this.count})`, hint: "in a pager: q comes back" });
    out.push(
      this.folded
        ? { value: "fold", label: "Show what changed on the machine", hint: "after each step" }
        : { value: "fold", label: "Fold away what changed on the machine", hint: "one line per step" },
    );
    return out;
  }
}

function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? "" : "s"}`;
}

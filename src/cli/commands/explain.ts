// rootlab explain: run a lab and write, per step, the author's explanation beside what the machine says changed.
import { rootlabCommand } from "../../core/rootlab-command.js";
import { writeFile } from "node:fs/promises";
import type { Command } from "../command.js";
import type { RunEvent } from "../../exec/types.js";
import { UsageError } from "../../core/errors.js";
import { trapInterrupts, signalExitCode } from "../../core/interrupts.js";
import { loadLabsFor } from "../load-labs.js";
import { assertMayExecute } from "../../host/guard.js";
import { planLabs, verifyLabs } from "../../exec/verify-labs.js";
import { createReporters } from "../../report/index.js";
import { explainDocument, type DiagramStyle, type StepObservation } from "../../explain/document.js";
import { createStyle } from "../../term/style.js";
import { renderMarkdown } from "../../term/markdown.js";
import { writePaged } from "../paged-output.js";

const DIAGRAMS: DiagramStyle[] = ["text", "mermaid", "none"];

const HELP = `Usage: rootlab explain <lab-id|path> [options]

Runs the lab as \`rootlab verify\` does (as root, on a disposable machine), watching the machine around every
step: namespaces, links and veth peers, addresses, routes, firewall rules, mounts, each session's root and PIDs,
processes the lab started in namespaces of their own (a container's first process, a daemon: their namespaces,
mounts, links, root and hostname), cgroups, their limits and who joined them. Writes a Markdown document that puts, for each step, the lab's own explanation beside
what the machine says the step changed — a check that the prose tells the truth. Progress goes to stderr.

Options:
  --diagram <style>     text (default: the wiring drawn with box characters), mermaid (for slides and GitHub),
                        or none
  --out <file>          Write the document to a file (default: stdout; on a terminal it is shown as text,
                        wrapped to the terminal and paged)
  --markdown            On a terminal too, write the Markdown itself
  --labs-dir <dir>      Where lab ids are looked up (default: $ROOTLAB_LABS, else ./labs if it has labs, else rootlab's)
  --disposable          Declare this machine disposable (instead of /etc/rootlab/disposable)
  -h, --help            Show this help

Exit codes: 0 the lab passed; 1 a step, check, cleanup or leak check failed (the document still says what
ran); 2 invalid lab or usage; 3 refused (not root, not disposable, or the lab cannot run here).

Examples:
  sudo rootlab explain netns-veth
  sudo rootlab explain bridges --diagram mermaid --out bridges-explained.md`;

export const command: Command = {
  name: "explain",
  summary: "Run a lab and show, per step, its explanation beside what changed on the machine",
  help: HELP,
  allowPositionals: true,
  options: {
    diagram: { type: "string" },
    out: { type: "string" },
    markdown: { type: "boolean" },
    "labs-dir": { type: "string" },
    disposable: { type: "boolean" },
  },
  async run({ values, positionals }) {
    const diagram = (values.diagram ?? "text") as DiagramStyle;
    if (!DIAGRAMS.includes(diagram)) throw new UsageError(`--diagram must be one of ${DIAGRAMS.join(", ")}, got "${String(values.diagram)}".\nExample: ${rootlabCommand()} explain netns-veth --diagram mermaid`);
    if (positionals.length !== 1) throw new UsageError("which lab? Give one lab id or path.\nExample: sudo rootlab explain netns-veth");
    const { labs } = await loadLabsFor(positionals, { forRun: true, ...(values["labs-dir"] ? { dir: String(values["labs-dir"]) } : {}) });
    const lab = labs[0];
    if (!lab) throw new UsageError("no lab to explain.");
    const permit = assertMayExecute({ disposableFlag: Boolean(values.disposable) });

    // Progress (the usual console report) on stderr; the document on stdout or --out.
    const [progress] = createReporters({ report: "console", stdout: process.stderr, stderr: process.stderr });
    const observed = new Map<number, StepObservation>();
    const emit = (e: RunEvent) => {
      progress?.onEvent(e);
      if (e.type === "step-changes") observed.set(e.stepIndex, { changes: e.changes, ...(e.wiring ? { wiring: e.wiring } : {}) });
    };
    const interrupts = trapInterrupts(
      (sig) => emit({ type: "interrupted", signal: sig }),
      () => process.stderr.write("rootlab: still cleaning up — please wait; it stops by itself.\n"),
    );
    let summaries;
    try {
      summaries = await verifyLabs(planLabs([lab]), { emit, explain: true, permit, signal: interrupts.signal });
    } finally {
      interrupts.dispose();
      await progress?.close();
    }
    const sig = interrupts.received();
    if (sig) return signalExitCode(sig);
    const ascii = !createStyle(process.stdout, process.env).unicode && !values.out;
    const doc = explainDocument({ lab, observed, diagram, ascii });
    if (values.out) await writeFile(String(values.out), doc);
    else if (process.stdout.isTTY && !values.markdown) {
      // A person reads it here: Markdown's marks would be noise and its long lines cut by the terminal.
      const width = Math.min(process.stdout.columns || 80, 100);
      await writePaged(renderMarkdown(doc, { width, style: createStyle(process.stdout) }));
    } else process.stdout.write(doc);
    const outcome = summaries[0]?.outcome.status;
    return outcome === "pass" ? 0 : outcome === "skipped" ? 3 : 1;
  },
};

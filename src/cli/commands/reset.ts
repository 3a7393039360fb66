// rootlab reset: forget the learner's progress in a lab and run the lab's cleanups.
import type { Command } from "../command.js";
import { UsageError } from "../../core/errors.js";
import { loadLabsFor } from "../load-labs.js";
import { resetLab } from "../../guided/reset.js";
import { assertMayExecute } from "../../host/guard.js";
import { rootlabAsRoot } from "../../host/paths.js";

const HELP = `Usage: sudo rootlab reset <lab-id|path> [--yes]

Forgets your progress in the lab (the next \`rootlab start\` begins at step 1) and runs the lab's cleanup
(## Cleanup and every step's cleanup blocks), so nothing a half-done lab created is left on the machine.

Options:
  -y, --yes          Do not ask for confirmation (needed without a terminal)
  --labs-dir <dir>   Where lab ids are looked up (default: $ROOTLAB_LABS, else ./labs if it has labs, else rootlab's)
  --disposable       Declare this machine disposable (instead of /etc/rootlab/disposable)
  -h, --help         Show this help

Examples:
  sudo rootlab reset chroot
  sudo rootlab reset chroot --yes`;

export const command: Command = {
  name: "reset",
  summary: "Forget your progress in a lab and clean up after it",
  help: HELP,
  allowPositionals: true,
  options: {
    yes: { type: "boolean", short: "y" },
    "labs-dir": { type: "string" },
    disposable: { type: "boolean" },
  },
  async run({ values, positionals }) {
    if (positionals.length !== 1) throw new UsageError(`which lab? Give exactly one lab id or lab file.\nExample: ${rootlabAsRoot()} reset chroot`);
    const { labs } = await loadLabsFor(positionals, { dir: values["labs-dir"] as string | undefined });
    return resetLab(labs[0]!, { yes: Boolean(values.yes), permit: assertMayExecute({ disposableFlag: Boolean(values.disposable) }), stdin: process.stdin, stdout: process.stdout });
  },
};

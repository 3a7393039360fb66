// rootlab watch: re-lint and re-verify one lab every time its file is saved (the author's edit-run loop).
import type { Command } from "../command.js";
import { UsageError } from "../../core/errors.js";
import { labsDir, resolveLabArg } from "../../format/load.js";
import { assertMayExecute } from "../../host/guard.js";
import type { EventSink } from "../../exec/types.js";
import { trapInterrupts, signalExitCode } from "../../core/interrupts.js";
import { watchLab } from "../../authoring/watch.js";

const HELP = `Usage: sudo rootlab watch <lab-id|path> [options]

Lints and verifies the lab, then again each time the file is saved: the screen is cleared (on a terminal),
lint problems are printed (a lab with lint errors is not run), then the verify run — every step, check,
cleanup and the leak check — with the first failure in detail, and a one-line result.
A save during a run starts one more run when it ends. Ctrl-C stops the running block, lets the cleanup
finish, and ends watching. Runs as root on a disposable machine, like \`rootlab verify\`.

Options:
  --no-strict        Do not run each step's checks before the step (strict is the default here)
  --labs-dir <dir>   Where lab ids are looked up (default: $ROOTLAB_LABS, else ./labs if it has labs, else rootlab's)
  --disposable       Declare this machine disposable (instead of /etc/rootlab/disposable)
  -h, --help         Show this help

Examples:
  sudo rootlab watch netns-basics
  sudo rootlab watch labs/10-netns-basics.md --no-strict`;

export const command: Command = {
  name: "watch",
  summary: "Re-lint and re-verify a lab each time it is saved",
  help: HELP,
  allowPositionals: true,
  options: {
    "no-strict": { type: "boolean" },
    "labs-dir": { type: "string" },
    disposable: { type: "boolean" },
  },
  async run({ values, positionals }) {
    if (positionals.length !== 1) throw new UsageError(`watch one lab at a time: give its id or path, e.g. \`sudo rootlab watch netns-basics\` (got ${positionals.length}).`);
    const file = await resolveLabArg(positionals[0] as string, values["labs-dir"] ? String(values["labs-dir"]) : labsDir());
    const permit = assertMayExecute({ disposableFlag: Boolean(values.disposable) });
    let running: EventSink | undefined;
    const interrupts = trapInterrupts(
      (sig) => {
        if (running) running({ type: "interrupted", signal: sig });
        else process.stdout.write(`\nrootlab watch: stopped (${sig}).\n`);
      },
      () => process.stderr.write("rootlab: still cleaning up — please wait; it stops by itself.\n"),
    );
    try {
      await watchLab({
        file,
        strict: !values["no-strict"],
        permit,
        stdout: process.stdout,
        stderr: process.stderr,
        signal: interrupts.signal,
        onRunning: (emit) => (running = emit),
      });
    } finally {
      interrupts.dispose();
    }
    const sig = interrupts.received();
    return sig ? signalExitCode(sig) : 0;
  },
};

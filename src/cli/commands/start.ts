// rootlab start: open one lab in guided mode, resuming at the first unfinished step.
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import type { Command } from "../command.js";
import { UsageError } from "../../core/errors.js";
import { loadLabsFor } from "../load-labs.js";
import { requireTerminal } from "../../guided/terminal.js";
import { guideLab } from "../../guided/guided-run.js";
import { assertMayExecute } from "../../host/guard.js";
import { rootlabAsRoot, rootlabCommand } from "../../host/paths.js";
import { flushRoom, roomFor, ROOM_HELP, ROOM_OPTIONS } from "../room-options.js";
import { GuidedRoomLink } from "../../room/client/guided-room.js";

const HELP = `Usage: sudo rootlab start <lab-id|path> [--from <step>]

Opens a lab in guided mode: each step's text, then each command, which you can have rootlab run for you or
type yourself in the session's own shell (type \`check\` or press Ctrl-] at its prompt to come back; \`exit\` ends the session). The step's checks
then run and show as ✓/✗ lines; a failed check shows expected vs actual and the next hint.

Your progress is saved after every step. Starting the lab again resumes at the first unfinished step, after
re-creating what earlier steps set up (the machine may have been rebooted or cleaned up since).

Options:
  --from <step>      Start at this step (number, slug or title); earlier steps are re-created for you
  --labs-dir <dir>   Where lab ids are looked up (default: $ROOTLAB_LABS, else ./labs if it has labs, else rootlab's)
  --disposable       Declare this machine disposable (instead of /etc/rootlab/disposable)
${ROOM_HELP}
  -h, --help         Show this help

Needs a terminal; for scripts and CI use \`rootlab verify\`. Guide: docs/guided-mode.md.

Examples:
  sudo rootlab start chroot
  sudo rootlab start chroot --from 3`;

export const command: Command = {
  name: "start",
  summary: "Open a lab in guided mode, resuming where you left off",
  help: HELP,
  allowPositionals: true,
  options: {
    from: { type: "string" },
    "labs-dir": { type: "string" },
    disposable: { type: "boolean" },
    ...ROOM_OPTIONS,
  },
  async run({ values, positionals }) {
    if (positionals.length !== 1) throw new UsageError(`which lab? Give exactly one lab id or lab file.\nExample: ${rootlabAsRoot()} start chroot\nRun \`${rootlabCommand()} list\` to see the labs.`);
    requireTerminal(process.stdin, process.stdout);
    const { labs } = await loadLabsFor(positionals, { dir: values["labs-dir"] as string | undefined });
    const lab = labs[0]!;
    // Refused before anything else is said (no "Welcome back" on a machine where labs cannot run).
    const permit = assertMayExecute({ disposableFlag: Boolean(values.disposable) });
    // The same test resolveLabArg makes: an existing file is opened by path, anything else by id.
    const openedByPath = await stat(resolve(positionals[0]!)).then((s) => s.isFile(), () => false);
    // The room joined with `rootlab room join` (or --room) hears the run and may hold a step (pace gate).
    const room = await roomFor(values, true);
    try {
      return await guideLab(lab, {
        stdin: process.stdin,
        stdout: process.stdout,
        from: values.from as string | undefined,
        permit,
        disposableFlag: Boolean(values.disposable),
        openedByPath,
        ...(room ? { room: new GuidedRoomLink(room) } : {}),
      });
    } finally {
      await flushRoom(room);
    }
  },
};

// rootlab (no arguments) / rootlab menu: pick a lab, see your progress, follow it step by step.
import type { Command } from "../command.js";
import { requireTerminal } from "../../guided/terminal.js";
import { runMenu } from "../../guided/menu-run.js";
import { flushRoom, roomFor, ROOM_HELP, ROOM_OPTIONS } from "../room-options.js";
import { GuidedRoomLink } from "../../room/client/guided-room.js";

const HELP = `Usage: sudo rootlab [--labs-dir <dir>] [--disposable]
       sudo rootlab menu [--labs-dir <dir>] [--disposable]

Shows the labs with your progress (✓ done, ▶ in progress, · not started, hints used) and whether each can
run on this machine; pick one with the arrow keys and Enter to follow it step by step (same as
\`rootlab start <lab>\`). When the lab ends, the menu comes back with your new progress. Esc quits.

Options:
  --labs-dir <dir>   Where the labs are (default: $ROOTLAB_LABS, else ./labs if it has labs, else rootlab's)
  --disposable       Declare this machine disposable (instead of /etc/rootlab/disposable)
${ROOM_HELP}
  -h, --help         Show this help

Needs a terminal; for scripts and CI use \`rootlab verify\`. Guide: docs/guided-mode.md.`;

export const command: Command = {
  name: "menu",
  summary: "Pick a lab and follow it step by step (the default: plain `sudo rootlab`)",
  help: HELP,
  allowPositionals: false,
  options: {
    "labs-dir": { type: "string" },
    disposable: { type: "boolean" },
    ...ROOM_OPTIONS,
  },
  async run({ values }) {
    requireTerminal(process.stdin, process.stdout);
    const room = await roomFor(values, true);
    try {
      return await runMenu({
        stdin: process.stdin,
        stdout: process.stdout,
        dir: values["labs-dir"] as string | undefined,
        disposableFlag: Boolean(values.disposable),
        ...(room ? { room: new GuidedRoomLink(room) } : {}),
      });
    } finally {
      await flushRoom(room);
    }
  },
};

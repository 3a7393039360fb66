// Long reports on a terminal go through `less`, as git does: the first screen stays put, the rest is a key away.
// Piped output, and output that fits the screen, is written as it is.
import { findCommand } from "../host/commands.js";
import { pageWithLess } from "../host/pager.js";

/** Writes TEXT (and a newline) to stdout; through `less -FRX` when it is a terminal the text does not fit. */
export function writePaged(text: string): Promise<void> {
  const out = process.stdout;
  const rows = out.rows || 24;
  const fits = text.split("\n").length < rows - 1;
  if (!out.isTTY || fits || !process.stdin.isTTY || process.env.PAGER === "cat" || findCommand("less") === undefined) {
    out.write(`${text}\n`);
    return Promise.resolve();
  }
  // -F: leave at once if it fits after all; -R: keep colours; -X: leave the text on the screen after q.
  return pageWithLess(`${text}\n`, ["-FRX"]).then((shown) => {
    if (!shown) out.write(`${text}\n`);
  });
}

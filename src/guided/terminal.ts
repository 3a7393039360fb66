// Guided mode needs a person at a terminal (like rustlings' watch): without one it refuses, pointing to verify.
import { UsageError } from "../core/errors.js";
import { rootlabCommand } from "../core/rootlab-command.js";

/** The refusal without a terminal, naming rootlab the way it was run. */
export function needsTerminal(rootlab = rootlabCommand()): string {
  return (
    "guided mode needs a terminal: stdin and stdout must both be a TTY (this looks like a pipe, a CI job or a script).\n" +
    `To run labs without a person at the keyboard, use \`${rootlab} verify <lab>\` (or \`${rootlab} verify --all\`).`
  );
}

export function requireTerminal(stdin: { isTTY?: boolean }, stdout: { isTTY?: boolean }): void {
  if (stdin.isTTY !== true || stdout.isTTY !== true) throw new UsageError(needsTerminal());
}

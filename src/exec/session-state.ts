// Reading and writing a session's state as shell text: `export -p` of bash (`declare -x K="v"`), dash and
// busybox ash (`export K='v'`), and the commands that carry a state back. Pure.
import { parseExportP } from "./export-parse.js";

/** Commands whose output `parseSnapshot` reads: cwd, $0, then the variables. */
export const SNAPSHOT_COMMANDS = ["pwd", `printf '%s\\n' "$0"`, "export -p"];

export interface ParsedSnapshot {
  cwd: string;
  shell: string;
  env: Record<string, string>;
}

export function parseSnapshot(stdout: string): ParsedSnapshot {
  const first = stdout.indexOf("\n");
  const second = stdout.indexOf("\n", first + 1);
  const cwd = stdout.slice(0, first);
  const shell = stdout.slice(first + 1, second).replace(/^-/, "");
  return { cwd, shell, env: parseExportP(stdout.slice(second + 1)) };
}

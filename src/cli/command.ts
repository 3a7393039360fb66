// The shape every `rootlab <command>` module exports. Commands return an exit code; only main.ts exits.
import type { ParseArgsConfig } from "node:util";

export interface Command {
  name: string;
  /** One line for `rootlab --help`. */
  summary: string;
  /** Full help text for `rootlab <command> --help` (usage line, options, examples). */
  help: string;
  options: NonNullable<ParseArgsConfig["options"]>;
  /** Whether positional arguments are accepted. */
  allowPositionals: boolean;
  run(args: { values: Record<string, unknown>; positionals: string[] }): Promise<number>;
}

// What a session's shell (./session-shell.ts) reports about one block, and how it ended when it did. Types only:
// the block runner (./block-result.ts) turns these into the BlockResult the lab runner sees.

export interface Ending {
  status: number | null;
  signal: NodeJS.Signals | null;
  /** Whether a block was running when it ended. */
  duringBlock: boolean;
  /** Whether `set -e` was on (a failing command then ends the shell). */
  errexit: boolean;
  /** rootlab ended the shell because the block broke what the protocol needs: what the block did, in words. */
  broken?: string;
}

// `notRun`: the block failed, wrote nothing and did not run its body (script mode) or may not have (check mode):
// what a block whose output files the shell could not open looks like (./sessions.ts then asks the channel).
export interface BlockOutputText {
  stdout: string;
  stderr: string;
  /** Offset of the failing command's line in the block, when it stopped at one. */
  line?: number;
}

export type ShellOutcome =
  | ({ kind: "done"; status: number; notRun?: boolean } & BlockOutputText)
  | ({ kind: "timeout"; survived: boolean; status: number | null } & BlockOutputText)
  | ({ kind: "died"; ending: Ending } & BlockOutputText);

export interface ExecuteOptions {
  timeoutMs: number;
  onOutput?: (stream: "stdout" | "stderr", chunk: string) => void;
  /** Kills the block's processes (not the shell); called repeatedly after the timeout until the block ends. */
  killBlock: () => void;
  /** Aborting ends the block the way a timeout does (Ctrl-C on the runner). */
  signal?: AbortSignal;
}

// Results of running things, and the typed events executors emit. Types only.
// Executors never print: they emit RunEvents; reporters (src/report) and the guided UI render them.

import type { Block, Lab, Step } from "../format/types.js";
import type { ExpectMismatch } from "../check/types.js";
import type { Leak, NetGuardStatus, PreflightItem } from "../host/types.js";
import type { Change } from "../explain/types.js";
import type { Wiring } from "../explain/diagram.js";

// Owned by the folders below exec; re-exported so event consumers import one module.
export type { ExpectMismatch, Leak, NetGuardStatus, PreflightItem };

/** How a block ended. One value object per block (like zx's ProcessOutput). */
export interface BlockResult {
  /**
   * ok: finished (exitCode tells the status);
   * timeout: killed after the block's timeout;
   * session-died: the session's shell exited or crashed while (or before) the block ran;
   * enter-failed: an enter= command did not turn into a working session.
   */
  kind: "ok" | "timeout" | "session-died" | "enter-failed";
  /** Exit status of the block (of its first failing top-level command), null when there is none. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** For a failing block: the line of the lab file holding the command that failed. */
  failedLine?: number;
  /** Human explanation when kind != ok, e.g. "timed out after 5s", "session c exited (status 0)". */
  reason?: string;
  /**
   * A background block that started: the file its output goes to, as its session sees it (it exists when the
   * result comes back). Absent when the output is dropped (the session's root is not the host's).
   */
  log?: string;
}

export type Outcome =
  | { status: "pass" }
  | { status: "fail"; reason: string }
  | { status: "error"; reason: string }
  | { status: "skipped"; reason: string };

/** A block within a lab, for events: enough to say "which block" without the whole lab. */
export interface BlockRef {
  labId: string;
  file: string;
  /** Step index, or -1 for the lab's `## Cleanup` section. */
  stepIndex: number;
  role: Block["role"];
  line: number;
  session: string;
  /** verify blocks: the check's name. */
  name?: string;
}

/** before: --strict's run before the step (must fail); after: once the step ran (must pass); wrong: after a wrong attempt. */
export type CheckPhase = "before" | "after" | "wrong";

/** What `verify --strict` found when it ran one wrong attempt (a `wrong` block) and then the step's checks. */
export interface WrongAttemptResult {
  /** The attempt's name, from its first `# comment` line. */
  name: string;
  file: string;
  /** Line of the `wrong` fence. */
  line: number;
  /**
   * rejected: a named check failed after the attempt, as --strict requires;
   * accepted: every check passed, so they cannot tell the attempt from the real thing (fails --strict);
   * error:    the attempt or its undo did not run as written (an attempt's own failure proves nothing).
   */
  verdict: "rejected" | "accepted" | "error";
  /** The check that rejected it. */
  rejectedBy?: { name: string; line: number };
  /** For accepted and error: what went wrong, in words. */
  reason?: string;
  durationMs: number;
}

export interface StepSummary {
  index: number;
  title: string;
  slug: string;
  outcome: Outcome;
  durationMs: number;
  /** verify --strict: the step's wrong attempts, in order (absent when none ran). */
  wrongAttempts?: WrongAttemptResult[];
}

export interface LabSummary {
  id: string;
  title: string;
  file: string;
  outcome: Outcome;
  durationMs: number;
  steps: StepSummary[];
  /** What the lab left behind (attributable to this run): rootlab tried to remove each. */
  leaks: Leak[];
  /** Of `leaks`, what is still on the machine after rootlab tried to remove it (absent when none). */
  left?: Leak[];
  /** What appeared during the run but is not the lab's (another terminal's, another program's): left alone. */
  others?: Leak[];
}

export type RunEvent =
  | { type: "run-start"; labs: { id: string; file: string }[]; strict: boolean }
  | { type: "lab-start"; lab: Lab }
  | { type: "preflight"; labId: string; items: PreflightItem[] }
  | { type: "fixture"; labId: string; name: string; path: string; status: "cached" | "built" | "downloaded" }
  /** The host's `unreachable 10.231.0.0/16` route for the run (src/host/net-guard.ts): on, taken over, or off and why. */
  | { type: "net-guard"; labId: string; guard: NetGuardStatus }
  /** `replay`: the step is re-established (resume, --from), not worked on: its checks do not run. */
  | { type: "step-start"; labId: string; step: Step; replay?: true }
  | { type: "block-start"; block: BlockRef }
  | { type: "output"; block: BlockRef; stream: "stdout" | "stderr"; chunk: string }
  | { type: "block-end"; block: BlockRef; result: BlockResult; outcome: Outcome; expect?: ExpectMismatch }
  | { type: "check"; block: BlockRef; phase: CheckPhase; outcome: Outcome; result: BlockResult; attempts: number }
  | { type: "wrong-attempt"; labId: string; stepIndex: number; result: WrongAttemptResult }
  | { type: "step-end"; labId: string; summary: StepSummary }
  /** With `explain` on: what a step changed on the machine (stepIndex -1: what is left after the cleanups). */
  | { type: "step-changes"; labId: string; stepIndex: number; changes: Change[]; wiring?: Wiring; costMs: number }
  | { type: "cleanup-start"; labId: string; count: number }
  | { type: "cleanup-block"; block: BlockRef; result: BlockResult; outcome: Outcome }
  /** `left`: the leaks still on the machine after rootlab removed what it could tie to the lab. */
  | { type: "leak-check"; labId: string; leaks: Leak[]; left: Leak[]; others?: Leak[] }
  | { type: "interrupted"; signal: string }
  /** A block with enter=NAME turned its command into session NAME (pid: its shell, as the host sees it). */
  | { type: "session-entered"; labId: string; session: string; pid: number; from: string; block: BlockRef }
  /**
   * A session's shell is gone. `closedBy: "rootlab"` at the end of a run; otherwise it ended by itself (`exit`,
   * `set -e`, killed) and `reason` says so in words.
   */
  | { type: "session-ended"; labId: string; session: string; status: number | null; signal: string | null; closedBy: "rootlab" | "itself"; reason: string }
  /** Guided mode handed the learner the session's shell on their terminal. */
  | { type: "typed-shell-start"; labId: string; session: string; pid: number }
  /** …and got it back: returned (checks follow), the session ended, or the shell could not be handed over. */
  | { type: "typed-shell-end"; labId: string; session: string; how: "returned" | "session-ended" | "unavailable"; reason?: string }
  | { type: "lab-end"; summary: LabSummary }
  | { type: "run-end"; labs: LabSummary[]; durationMs: number };

export type EventSink = (event: RunEvent) => void;

/** One request to run shell text in a persistent session. */
export interface RunRequest {
  /** Shell text (POSIX sh; bash when the session is bash). */
  code: string;
  /** Lab-file line of the first line of `code`, so failures can name file:line. */
  codeLine: number;
  /** Session to run in ("host" always exists). */
  session: string;
  /** This command becomes a new session NAME, started from inside `session`. */
  enter?: string;
  timeoutMs: number;
  /** Start and do not wait; stopped when the sessions close. */
  background?: boolean;
  /**
   * script: runs in the session's shell itself (variables, cwd, namespaces carry on), stops at the first
   *         failing top-level command like `bash -e` and reports that command's status and line;
   * check:  same stop-at-first-failure, but in a subshell so a check can never change the session's state.
   */
  mode: "script" | "check";
  onOutput?: (stream: "stdout" | "stderr", chunk: string) => void;
  /** Aborting stops the block like a timeout does (its processes are killed); the result's reason says "interrupted". */
  signal?: AbortSignal;
}

/** Long-lived shells that blocks run in. Implemented by src/exec/sessions.ts. */
export interface Sessions {
  run(req: RunRequest): Promise<BlockResult>;
  /**
   * The block the lab run will send next, as far as it knows (undefined: it does not): it is made ready while the
   * block before it runs. Only a hint: run() of any other block works as ever.
   */
  expectNext?(next: { session: string; code: string; mode: "script" | "check" } | undefined): void;
  /** Live session names, in creation order. */
  names(): string[];
  alive(name: string): boolean;
  /** Host PID of the session's shell (what ROOTLAB_SESSION_<NAME>_PID holds). */
  pid(name: string): number | undefined;
  /**
   * Hands the session's own shell, on its own terminal, to the learner until they give it back (`check`, or the
   * hand-back key) or it ends. Blocks of that session wait meanwhile.
   */
  typeInto(name: string, terminal: LearnerTerminal): Promise<TypedTurn>;
  /**
   * Ends session NAME now, as close() would at the end of the run (its background blocks, `exit` typed on its
   * terminal, then SIGKILL for what is left); a later enter=NAME opens it anew. Sessions entered from it are not
   * ended (each runs on its own terminal): end them first. Reported as session-ended by rootlab. "host" and unknown names: nothing happens. Never throws.
   * Resolves to the processes the lab had left running in what it ended (stopped too), e.g. "4242 sleep".
   */
  end(name: string): Promise<string[]>;
  /**
   * Stop background processes, then sessions, newest first; SIGKILL whatever will not go. Never throws.
   * Resolves to the processes the lab had left running in its sessions (stopped too), e.g. "4242 sleep".
   */
  close(): Promise<string[]>;
}

/** The learner's side of a typed turn: their keys in, the session's terminal out. */
export interface LearnerTerminal {
  /** Shows what the session's terminal prints. */
  write(text: string): void;
  /** Subscribes to the learner's keys (raw bytes); returns the unsubscribe. */
  onKeys(listener: (keys: string) => void): () => void;
  /** Subscribes to size changes; returns the unsubscribe. */
  onResize(listener: () => void): () => void;
  size(): { cols: number; rows: number };
  /** A note from rootlab while the learner types (e.g. why the hand-back key did nothing). */
  notice(text: string): void;
  /** "(rootlab box)": the start of the prompt. */
  label: string;
  term: string;
  /** Ends the turn as if the session had ended (the run is interrupted, the terminal closed). */
  signal?: AbortSignal;
}

/** How a typed turn ended. */
export type TypedTurn =
  /** Given back: the commands typed (bash sessions keep them), for "Raise hand". */
  | { kind: "returned"; typed: string[]; /** Exit status of the learner's last command before the hand-back. */ lastStatus?: number }
  /** The session's shell is gone (`exit`, `set -e`, killed); the reason says how. */
  | { kind: "ended"; reason: string }
  /** rootlab could not hand the shell over (nothing was typed). */
  | { kind: "unavailable"; reason: string };

export interface SessionState {
  /** Host PID of the session's shell (enter its namespaces with nsenter -t PID -a). */
  pid: number;
  /** The session's working directory, as the session sees it. */
  cwd: string;
  /** The session's variables (sessions run with allexport, so this is all of them). */
  env: Record<string, string>;
  /** The shell program of the session, as the session sees it (e.g. "/bin/sh", "bash"). */
  shell: string;
}

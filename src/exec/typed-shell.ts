// "I'll type it myself": the learner gets the session's own shell — the very process the blocks run in, on its own
// terminal — with their prompt, line editing, job control and terminal settings. They give it back with `check`
// (a command defined in the shell for the turn) or the hand-back key (Ctrl-], which types that same command for
// them when the shell waits at its prompt). Either way the shell switches itself back to being driven and then
// prints a signal (an OSC sequence terminals ignore) that rootlab cuts out of the stream.
import { randomBytes } from "node:crypto";
import type { LearnerTerminal, TypedTurn } from "./types.js";
import type { SessionShell } from "./session-shell.js";
import type { Ending, ShellOutcome } from "./shell-outcome.js";
import { nsPids } from "./proc-tree.js";
import { checkInStartedShellNote, foregroundOf, keyGoesToProgramNote, readsCommands, shellAtPrompt, TypedLine } from "./typed-keys.js";
import { CursorQueries } from "./cursor-query.js";
import { afterTakeBackCommands, checkSignal, handOverCommands, readLastStatus, readPidLine, takeBackLine, typedSinceMark } from "./terminal-modes.js";

/** The hand-back key: Ctrl-] (as in telnet and `virsh console`). */
export const HAND_BACK_KEY = "\x1d";
export const HAND_BACK_KEY_NAME = "Ctrl-]";

export interface TypedContext {
  rawIn(shell: SessionShell, commands: string[], timeoutMs: number, oneLine?: boolean): Promise<ShellOutcome>;
  nonce(): string;
  /** The commands that bring the session's ROOTLAB_SESSION_*_PID variables up to date ("" if they are). */
  prelude(shell: SessionShell): string;
}

const PID_PREFIX = "__RLP_";
/** How long the echo of the line typed for the learner is hidden, at most (the signal normally ends it sooner). */
const HIDE_TYPED_FOR_MS = 2000;
/** At most this long after an erased `check`, the note about it is written even if the shell did not echo. */
const NOTE_AFTER_MS = 500;
/** rootlab's own commands around a turn are quick; a shell that does not answer in this time is stuck. */
const TURN_COMMAND_MS = 10_000;

export async function typeInto(ctx: TypedContext, shell: SessionShell, term: LearnerTerminal): Promise<TypedTurn> {
  const expected = shell.pid ? nsPids(shell.pid.pid).at(-1) : undefined;
  // One token for the whole turn: the session's `check`, defined at the first hand-over, must still be heard after
  // the learner left a shell they started inside it.
  const token = randomBytes(8).toString("hex");
  let resume = false;
  // The learner may replace or change the shell: the next block goes through `eval` until its status line says.
  shell.fast = false;
  for (;;) {
    const { cols, rows } = term.size();
    shell.tty.resize(cols, rows);
    const turn = new Turn(shell, term, token);
    const prelude = ctx.prelude(shell);
    const commands = [...(prelude ? [prelude] : []), ...handOverCommands({ label: term.label, token, term: term.term, resume })];
    const over = await ctx.rawIn(shell, commands, TURN_COMMAND_MS, true);
    if (over.kind !== "done") {
      turn.close();
      return ended(shell, over);
    }
    const how = await turn.result;
    turn.close();
    if (how !== "checked") return how === "ended" ? ended(shell, over) : { kind: "ended", reason: "the run was interrupted while you were typing" };
    const nonce = ctx.nonce();
    const after = await ctx.rawIn(shell, afterTakeBackCommands(PID_PREFIX, nonce), TURN_COMMAND_MS);
    if (after.kind !== "done") return ended(shell, after);
    const found = readPidLine(after.stdout, PID_PREFIX, nonce);
    const typed = typedSinceMark(found?.before ?? "");
    const lastStatus = readLastStatus(after.stdout, nonce);
    if (!found || expected === undefined || found.pid === expected) return { kind: "returned", typed, ...(lastStatus !== undefined ? { lastStatus } : {}) };
    // `check` ran in a shell the learner started inside the session: the session's shell is the one to check. That
    // shell gets its own prompt and settings back (not rootlab's prompt: it must not look like the session's).
    resume = true;
    term.notice(
      `That was a shell you started inside the session (PID ${found.pid}); the session's shell is PID ${expected}. ` +
        `Type exit to get back to it, then check (or ${HAND_BACK_KEY_NAME}).`,
    );
  }
}

function ended(shell: SessionShell, outcome: ShellOutcome | { kind: string }): TypedTurn {
  if (shell.ended) return { kind: "ended", reason: turnEnding(shell.name, shell.ended) };
  return { kind: "ended", reason: `session "${shell.name}" did not answer (${outcome.kind}) and was left as it is` };
}

/** How the session's shell ended while the learner had it, in their terms (what they typed, not how blocks work). */
function turnEnding(name: string, e: Ending): string {
  if (e.signal) return `the shell of session "${name}" was killed by ${e.signal}`;
  if (e.errexit) return `the shell of session "${name}" ended: \`set -e\` was on and a command failed (exit status ${e.status ?? "unknown"})`;
  return `the shell of session "${name}" ended (exit status ${e.status ?? "unknown"})`;
}

/** One turn of the learner at the terminal: output to them, keys to the shell, until the check signal. */
class Turn {
  readonly result: Promise<"checked" | "ended" | "aborted">;
  private settle: (how: "checked" | "ended" | "aborted") => void = () => undefined;
  private held = "";
  /** ash's cursor-position queries are not passed on (./cursor-query.ts). */
  private readonly queries = new CursorQueries();
  /** After the hand-back key: the line typed for the learner is not shown (until the signal, or a moment). */
  private hiding: NodeJS.Timeout | undefined;
  private readonly cleanups: (() => void)[] = [];
  /** The line being typed, to catch `check` typed in a shell the learner started. */
  private readonly line = new TypedLine();
  /** Whether the learner was told this turn that the hand-back key went to the running program. */
  private keyNoted = false;
  /** A note to write once the shell that got the erased `check` has answered (see flushNote). */
  private pendingNote: string | undefined;
  private noteTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly shell: SessionShell,
    private readonly term: LearnerTerminal,
    token: string,
  ) {
    const signal = checkSignal(token);
    this.result = new Promise((resolve) => (this.settle = resolve));
    shell.setTap((text) => this.show(text, signal));
    this.cleanups.push(() => shell.setTap(undefined));
    this.cleanups.push(term.onKeys((keys) => this.keys(keys, token)));
    this.cleanups.push(term.onResize(() => shell.tty.resize(term.size().cols, term.size().rows)));
    void shell.whenEnded().then(() => this.settle("ended"));
    const onAbort = (): void => this.settle("aborted");
    term.signal?.addEventListener("abort", onAbort, { once: true });
    if (term.signal?.aborted) onAbort();
    this.cleanups.push(() => term.signal?.removeEventListener("abort", onAbort));
  }

  close(): void {
    clearTimeout(this.hiding);
    clearTimeout(this.noteTimer);
    for (const undo of this.cleanups.splice(0).reverse()) undo();
  }

  /** Passes the terminal's output on, up to the check signal; holds back what may be the signal's start. */
  private show(text: string, signal: string): void {
    const all = this.held + text;
    this.held = "";
    const at = all.indexOf(signal);
    if (at >= 0) {
      const last = this.queries.filter(all.slice(0, at)) + this.queries.flush();
      if (last) this.term.write(last);
      this.shell.setTap(undefined);
      this.settle("checked");
      return;
    }
    let keep = 0;
    for (let k = Math.min(all.length, signal.length - 1); k > 0; k--) {
      if (signal.startsWith(all.slice(all.length - k))) {
        keep = k;
        break;
      }
    }
    this.held = all.slice(all.length - keep);
    let shown = this.queries.filter(all.slice(0, all.length - keep));
    const newline = this.pendingNote ? shown.indexOf("\n") : -1;
    if (newline >= 0) {
      // The erased `check` was entered: the note goes between that line and the prompt that follows.
      this.term.write(shown.slice(0, newline + 1));
      this.flushNote();
      shown = shown.slice(newline + 1);
    }
    if (shown && !this.hiding) this.term.write(shown);
  }

  private keys(keys: string, token: string): void {
    const pid = this.shell.pid?.pid;
    const handBack = keys.indexOf(HAND_BACK_KEY);
    if (handBack >= 0 && pid !== undefined && shellAtPrompt(pid)) {
      if (handBack > 0) this.shell.type(keys.slice(0, handBack));
      // End of line, erase to its start, then the take-back command: what `check` runs.
      this.shell.type(`\x05\x15${takeBackLine(token)}\r`);
      this.hiding = setTimeout(() => (this.hiding = undefined), HIDE_TYPED_FOR_MS);
      return;
    }
    // A program runs in the foreground: every key is its own, the hand-back key too (it is systemd-nspawn's and
    // machinectl's escape). rootlab says so once a turn.
    if (handBack >= 0 && !this.keyNoted) {
      this.keyNoted = true;
      this.term.notice(keyGoesToProgramNote(HAND_BACK_KEY_NAME, pid !== undefined ? foregroundOf(pid) : undefined));
    }
    let out = "";
    for (const ch of keys) {
      const line = this.line.push(ch);
      const fg = line?.trim() === "check" && pid !== undefined ? foregroundOf(pid) : undefined;
      if (fg && readsCommands(fg)) {
        // `check` typed in a shell the learner started (or a container's), where it does not exist: the line is
        // erased there (Ctrl-U) and an empty one entered, so that shell shows a fresh prompt, below rootlab's note.
        out += "\x15\r";
        this.pendingNote = checkInStartedShellNote(fg);
        this.noteTimer = setTimeout(() => this.flushNote(), NOTE_AFTER_MS);
      } else out += ch;
    }
    this.shell.type(out);
  }

  /** Writes the pending note (after the echo of the erased line, or when that did not come in time). */
  private flushNote(): void {
    clearTimeout(this.noteTimer);
    const note = this.pendingNote;
    this.pendingNote = undefined;
    if (note) this.term.notice(note);
  }
}

/** Whether the shell waits at its prompt: its process group owns its terminal (nothing runs in the foreground). */
export function atPrompt(shell: SessionShell): boolean {
  return shell.pid !== undefined && shellAtPrompt(shell.pid.pid);
}

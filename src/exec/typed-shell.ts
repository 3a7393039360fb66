// "I'll type it myself": the learner gets the session's own shell — the very process the blocks run in, on its own
// terminal — with their prompt, line editing, job control and terminal settings. They give it back with `check`
// (a command defined in the shell for the turn) or the hand-back key (Ctrl-], which types that same command for
// them when the shell waits at its prompt). Either way the shell switches itself back to being driven and then
// prints a signal (an OSC sequence terminals ignore) that rootlab cuts out of the stream.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { LearnerTerminal, TypedTurn } from "./types.js";
import type { Ending, SessionShell, ShellOutcome } from "./session-shell.js";
import { nsPids } from "./proc-tree.js";
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
/** rootlab's own commands around a turn are quick; a shell that does not answer in this time is stuck. */
const TURN_COMMAND_MS = 10_000;

export async function typeInto(ctx: TypedContext, shell: SessionShell, term: LearnerTerminal): Promise<TypedTurn> {
  const expected = shell.pid ? nsPids(shell.pid.pid).at(-1) : undefined;
  // One token for the whole turn: the session's `check`, defined at the first hand-over, must still be heard after
  // the learner left a shell they started inside it.
  const token = randomBytes(8).toString("hex");
  let resume = false;
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
  /** After the hand-back key: the line typed for the learner is not shown (until the signal, or a moment). */
  private hiding: NodeJS.Timeout | undefined;
  private readonly cleanups: (() => void)[] = [];

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
    for (const undo of this.cleanups.splice(0).reverse()) undo();
  }

  /** Passes the terminal's output on, up to the check signal; holds back what may be the signal's start. */
  private show(text: string, signal: string): void {
    const all = this.held + text;
    this.held = "";
    const at = all.indexOf(signal);
    if (at >= 0) {
      if (at > 0) this.term.write(all.slice(0, at));
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
    if (all.length > keep && !this.hiding) this.term.write(all.slice(0, all.length - keep));
  }

  private keys(keys: string, token: string): void {
    const at = keys.indexOf(HAND_BACK_KEY);
    if (at < 0) {
      this.shell.type(keys);
      return;
    }
    if (at > 0) this.shell.type(keys.slice(0, at));
    if (atPrompt(this.shell)) {
      // End of line, erase to its start, then the take-back command: what `check` runs.
      this.shell.type(`\x05\x15${takeBackLine(token)}\r`);
      this.hiding = setTimeout(() => (this.hiding = undefined), HIDE_TYPED_FOR_MS);
    } else {
      this.term.notice(
        `${HAND_BACK_KEY_NAME} gives the shell back to rootlab only while it waits at its prompt. ` +
          "Finish or stop what is running (q, Ctrl-C, or exit a shell you started), then press it again — or type check.",
      );
    }
  }
}

/** Whether the shell waits at its prompt: its process group owns its terminal (nothing runs in the foreground). */
export function atPrompt(shell: SessionShell): boolean {
  if (!shell.pid) return false;
  try {
    const stat = readFileSync(`/proc/${shell.pid.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const pgrp = Number(fields[2]);
    const tpgid = Number(fields[5]);
    return pgrp > 0 && pgrp === tpgid;
  } catch {
    return false;
  }
}

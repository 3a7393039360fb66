// What the learner's keys mean while a program other than the session's shell has the terminal (./typed-shell.ts):
// which program that is (a shell they started, a container), the line they are typing as far as it can be followed
// (to catch `check` typed where it does not exist), and rootlab's notes about both. Reads /proc only when asked.
import { readFileSync } from "node:fs";

/** The program in the foreground of a shell's terminal, when it is not the shell itself. */
export interface Foreground {
  pid: number;
  /** Its command name (/proc/PID/comm): "sh", "systemd-nspawn", "less" … */
  name: string;
}

/** The pgrp and the terminal's foreground pgrp of process PID, from /proc/PID/stat. */
function groups(pid: number): { pgrp: number; tpgid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { pgrp: Number(fields[2]), tpgid: Number(fields[5]) };
  } catch {
    return undefined;
  }
}

/** Whether process SHELL waits at its prompt: its process group owns its terminal (nothing runs in the foreground). */
export function shellAtPrompt(shell: number): boolean {
  const g = groups(shell);
  return g !== undefined && g.pgrp > 0 && g.pgrp === g.tpgid;
}

/** The program that has SHELL's terminal (its foreground process group's leader), or undefined at the prompt. */
export function foregroundOf(shell: number): Foreground | undefined {
  const g = groups(shell);
  if (!g || g.tpgid <= 0 || g.tpgid === g.pgrp) return undefined;
  try {
    return { pid: g.tpgid, name: readFileSync(`/proc/${g.tpgid}/comm`, "utf8").trim() };
  } catch {
    return undefined;
  }
}

const SHELLS = new Set(["sh", "bash", "ash", "dash", "zsh", "ksh", "mksh", "busybox", "fish"]);
/** Programs that put the learner into a container's shell, and leave on Ctrl-] pressed three times within 1 s. */
const CONTAINERS = new Set(["systemd-nspawn", "machinectl"]);

/** Whether what runs in the foreground reads command lines: a shell the learner started, or a container's. */
export function readsCommands(fg: Foreground): boolean {
  return SHELLS.has(fg.name) || CONTAINERS.has(fg.name);
}

/** systemd-nspawn(1) and machinectl(1): "Press ^] three times within 1s to kill container / exit session". */
const CONTAINER_ESCAPE = "press Ctrl-] three times within a second";

/** How to leave FG, in a few words. Pure. */
export function howToLeave(fg: Foreground): string {
  if (fg.name === "systemd-nspawn") return `leave the container's shell with exit, or ${CONTAINER_ESCAPE} (that kills the container)`;
  if (fg.name === "machinectl") return `leave the machine's shell with exit, or ${CONTAINER_ESCAPE} (that ends the session)`;
  if (SHELLS.has(fg.name)) return "leave it with exit";
  return "stop it (q leaves less and top, Ctrl-C stops most programs)";
}

/** rootlab's note when the learner presses the hand-back key while FG runs (once a turn): the key went to FG. Pure. */
export function keyGoesToProgramNote(key: string, fg: Foreground | undefined): string {
  const what = fg ? `${fg.name} (PID ${fg.pid}) is running` : "A program is running";
  return (
    `${what}, so ${key} goes to it: rootlab takes the shell back with ${key} only at the lab shell's prompt. ` +
    `To get out: Ctrl-C stops most programs, q leaves less and top, exit leaves a shell you started; systemd-nspawn, ` +
    `machinectl shell and machinectl login: ${CONTAINER_ESCAPE}. Then type check.`
  );
}

/** rootlab's note when the learner typed `check` in FG, a shell or container they started (check is not there). Pure. */
export function checkInStartedShellNote(fg: Foreground): string {
  const what = CONTAINERS.has(fg.name) ? `a container you started (${fg.name}, PID ${fg.pid})` : `a shell you started inside the lab's shell (${fg.name}, PID ${fg.pid})`;
  return `check works in the lab's own shell, and this is ${what}. To give the shell back: ${howToLeave(fg)}, then type check at the lab's prompt.`;
}

/**
 * How an escape sequence (the text after ESC, so far) ends: undefined while it is still being read, "reply" for what
 * the terminal itself sends back — a cursor position (BusyBox ash asks `ESC[6n` at every prompt, so a real terminal
 * answers before the learner's first key), device attributes, focus in/out, a colour query's answer, the brackets
 * around a paste — and "key" for a key that edits or moves (arrows, Alt-x, Home…). Pure.
 */
export function escapeEnd(seq: string): "reply" | "key" | undefined {
  if (seq === "" || seq === "[" || seq === "]" || seq === "O") return undefined;
  if (seq.length > 64) return "key";
  if (seq[0] === "]") return /(\x07|\x1b\\)$/.test(seq) ? "reply" : undefined;
  if (seq[0] === "O") return "key";
  if (seq[0] !== "[") return "key";
  const last = seq.charCodeAt(seq.length - 1);
  if (last < 0x40 || last > 0x7e) return /^\[[\x20-\x3f]*$/.test(seq) ? undefined : "key";
  return /^\[(\d+;\d+R|[?>][\d;]*c|[IO]|20[01]~)$/.test(seq) ? "reply" : "key";
}

/**
 * The line the learner is typing, followed key by key: printable keys add to it, Backspace takes one away, Ctrl-U
 * and Ctrl-C clear it, Enter ends it, the terminal's own replies (see escapeEnd) leave it alone. Anything else (an
 * arrow key, a history search) makes it unknown until the next Enter: rootlab then does not guess.
 */
export class TypedLine {
  private line: string | undefined = "";
  /** The escape sequence being read (the text after ESC), while one is. */
  private escape: string | undefined;

  /** Follows one key. At Enter: the line it ends, or null when it could not be followed; else undefined. */
  push(ch: string): string | null | undefined {
    if (this.escape !== undefined && ch !== "\r" && ch !== "\n") {
      const end = escapeEnd((this.escape += ch));
      if (end !== undefined) this.escape = undefined;
      if (end === "key") this.line = undefined;
      return undefined;
    }
    if (this.escape !== undefined) {
      this.escape = undefined;
      this.line = undefined;
    }
    if (ch === "\r" || ch === "\n") {
      const line = this.line ?? null;
      this.line = "";
      return line;
    }
    if (ch === "\x1b") this.escape = "";
    else if (ch === "\x7f" || ch === "\b") this.line = this.line?.slice(0, -1);
    else if (ch === "\x15" || ch === "\x03") this.line = "";
    else if (ch < " ") this.line = undefined;
    else if (this.line !== undefined) this.line += ch;
    return undefined;
  }
}

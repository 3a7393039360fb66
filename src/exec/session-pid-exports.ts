// Every session knows every live session's host pid as ROOTLAB_SESSION_<NAME>_PID (docs/lab-format.md): before a
// block, its shell is sent the exports (and unsets) that changed since that shell last heard. Pure bookkeeping.
import { sessionPidVar } from "../format/session-var.js";

export class SessionPidExports<Shell extends object> {
  /** Per shell: the values already exported into it. */
  private readonly told = new WeakMap<Shell, Map<string, string>>();
  /** Per shell: the live sessions it was last brought up to date with (most blocks find them unchanged). */
  private readonly lastLive = new WeakMap<Shell, string>();

  /**
   * Shell text that brings `shell` up to date with `live` (session name → host pid), or "" when it is.
   * Remembers it as told: the caller sends it before the shell's next block.
   */
  update(shell: Shell, live: [string, number][]): string {
    const key = live.join(" ");
    if (this.lastLive.get(shell) === key) return "";
    this.lastLive.set(shell, key);
    const wanted = new Map<string, string>();
    for (const [name, pid] of live) wanted.set(sessionPidVar(name), String(pid));
    const done = this.told.get(shell) ?? new Map<string, string>();
    this.told.set(shell, done);
    const lines: string[] = [];
    for (const [k, v] of wanted) if (done.get(k) !== v) lines.push(`export ${k}=${v}`);
    for (const k of done.keys()) if (!wanted.has(k)) lines.push(`unset ${k}`);
    if (!lines.length) return "";
    done.clear();
    for (const [k, v] of wanted) done.set(k, v);
    return lines.join("; ");
  }
}

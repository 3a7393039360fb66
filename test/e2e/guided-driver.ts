// Drives the real CLI in a pseudo-terminal, like a person at a keyboard: send keys, wait for text on the
// screen (with a deadline, never a sleep). Used by the guided-mode end-to-end tests.
import { spawn, type IPty } from "@lydell/node-pty";
import { BIN, ROOT } from "../helpers/cli.js";
import { stripAnsi } from "../../src/term/width.js";

export const KEY = { enter: "\r", down: "\x1b[B", up: "\x1b[A", ctrlD: "\x04", ctrlC: "\x03", esc: "\x1b" } as const;

export class Screen {
  private raw = "";
  private cursor = 0;
  readonly exited: Promise<{ exitCode: number; signal?: number }>;
  private readonly pty: IPty;

  constructor(args: string[], env: Record<string, string>) {
    this.pty = spawn(process.execPath, [BIN, ...args], {
      name: "xterm",
      cols: 120,
      rows: 40,
      cwd: ROOT,
      env: { ...(process.env as Record<string, string>), NO_COLOR: "1", LANG: "C.UTF-8", TERM: "xterm", ...env },
    });
    this.pty.onData((d) => (this.raw += d));
    this.exited = new Promise((resolve) => this.pty.onExit((e) => resolve(e)));
  }

  /** Everything shown so far, without colours or cursor movement codes. */
  get text(): string {
    return stripAnsi(this.raw).replace(/\r/g, "");
  }

  /** Waits until `pattern` appears after the previous match; moves past it. */
  async waitFor(pattern: string | RegExp, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rest = this.text.slice(this.cursor);
      const m = typeof pattern === "string" ? (rest.includes(pattern) ? { index: rest.indexOf(pattern), 0: pattern } : null) : pattern.exec(rest);
      if (m) {
        this.cursor += m.index + m[0].length;
        return m[0];
      }
      if (Date.now() > deadline) {
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${String(pattern)}; screen since the last match:\n${rest.slice(-3000)}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  send(keys: string): void {
    this.pty.write(keys);
  }

  /** Picks the n-th (0-based) choice of the enquirer Select now on screen. */
  choose(n: number): void {
    this.send(KEY.down.repeat(n) + KEY.enter);
  }

  kill(signal: string): void {
    this.pty.kill(signal);
  }
}

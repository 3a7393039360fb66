// A program in a pseudo-terminal, watched through a real terminal emulator (@xterm/headless, the engine of
// xterm.js, without a display): what it writes is parsed as a terminal parses it — cursor moves, erases, redraws
// in place, wrapping at the last column — so `screen()` is the rows a person sees, not a stripped byte stream.
// Keys go in with `send`; `waitFor` resolves when text appears on the screen (checked after every chunk the
// terminal has parsed, with a deadline: no sleeps). Used by scripts/guided-screens.js.
import { spawn } from "@lydell/node-pty";
import xterm from "@xterm/headless";

export const KEY = { enter: "\r", down: "\x1b[B", up: "\x1b[A", esc: "\x1b", ctrlD: "\x04" };

export class TerminalScreen {
  /**
   * Runs FILE ARGS in a COLS×ROWS terminal with ENV (the caller's environment is not inherited, so nothing
   * of it leaks into what is captured).
   */
  constructor(file, args, { cols, rows, env, cwd }) {
    this.cols = cols;
    this.rows = rows;
    this.term = new xterm.Terminal({ cols, rows, scrollback: 10_000, allowProposedApi: true });
    this.pty = spawn(file, args, { name: "xterm-256color", cols, rows, cwd, env });
    this.watchers = new Set();
    this.written = 0;
    this.parsed = 0;
    this.pty.onData((data) => {
      this.written++;
      this.term.write(data, () => {
        this.parsed++;
        for (const w of [...this.watchers]) w();
      });
    });
    // A terminal answers the program's questions (cursor position, device attributes): so does this one.
    this.term.onData((reply) => this.pty.write(reply));
    this.exited = new Promise((resolve) => this.pty.onExit((e) => resolve(e)));
    this.exited.then(() => {
      this.done = true;
      for (const w of [...this.watchers]) w();
    });
  }

  /** The visible rows as plain text, trailing spaces and trailing empty rows removed. */
  screen() {
    return this.screenLines().join("\n");
  }

  /**
   * The visible screen as the lines the program wrote: a row the terminal wrapped at the last column is joined
   * with its continuation (so text can be edited and wrapped again). Trailing empty lines removed.
   */
  screenLines({ joinWrapped = false } = {}) {
    const buffer = this.term.buffer.active;
    const lines = [];
    for (let y = buffer.viewportY; y < buffer.viewportY + this.rows; y++) {
      const row = buffer.getLine(y);
      const continues = joinWrapped && buffer.getLine(y + 1)?.isWrapped && y + 1 < buffer.viewportY + this.rows;
      // Spaces the program wrote count as content to the emulator; on the screen they are nothing.
      const text = continues ? (row?.translateToString(false) ?? "") : (row?.translateToString(true) ?? "").replace(/\s+$/, "");
      if (joinWrapped && row?.isWrapped && lines.length > 0 && y > buffer.viewportY) lines[lines.length - 1] += text;
      else lines.push(text);
    }
    while (lines.length > 0 && lines.at(-1) === "") lines.pop();
    return lines;
  }

  /** Everything in the scrollback and on the screen, as plain text (for error messages). */
  history() {
    const buffer = this.term.buffer.active;
    const rows = [];
    for (let y = 0; y < buffer.length; y++) rows.push(buffer.getLine(y)?.translateToString(true) ?? "");
    return rows.join("\n").replace(/\n+$/, "");
  }

  send(keys) {
    this.pty.write(keys);
  }

  /** Picks the n-th (0-based) choice of the menu now on screen. */
  choose(n) {
    this.send(KEY.down.repeat(n) + KEY.enter);
  }

  /**
   * Resolves with the screen once CONDITION(screen) holds on a screen the terminal has fully parsed (all output
   * received so far); rejects at the deadline or when the program exits first, showing the screen.
   */
  waitUntil(what, condition, timeoutMs = 60_000) {
    return new Promise((resolve, reject) => {
      const finish = (error, screen) => {
        this.watchers.delete(check);
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(screen);
      };
      const check = () => {
        if (this.parsed < this.written) return; // a chunk is still being parsed: the screen is not settled
        const screen = this.screen();
        if (condition(screen)) finish(undefined, screen);
        else if (this.done) finish(new Error(`rootlab ended while waiting for ${what}; the screen:\n${screen}`));
      };
      const timer = setTimeout(() => finish(new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}; the screen:\n${this.screen()}`)), timeoutMs);
      this.watchers.add(check);
      check();
    });
  }

  /** Waits until PATTERN (a string or a RegExp) is on the screen. */
  waitFor(pattern, timeoutMs) {
    const test = typeof pattern === "string" ? (s) => s.includes(pattern) : (s) => pattern.test(s);
    return this.waitUntil(String(pattern), test, timeoutMs);
  }

  /** How often PATTERN (a string or a RegExp) occurs in the scrollback and on the screen. */
  count(pattern) {
    const re = typeof pattern === "string" ? new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "g") : new RegExp(pattern.source, `${pattern.flags.replace("g", "")}g`);
    return this.history().match(re)?.length ?? 0;
  }

  /**
   * Sends KEYS, then waits until PATTERN matches once more than it did before (so a question asked again, e.g.
   * "What now?" at the next step, is not mistaken for the one already answered) and READY(screen) holds.
   * Resolves with the screen.
   */
  async press(keys, pattern, ready = () => true, timeoutMs = 60_000) {
    const before = this.count(pattern);
    this.send(keys);
    return this.waitUntil(`${String(pattern)} after the keys ${JSON.stringify(keys)}`, (screen) => this.count(pattern) > before && ready(screen), timeoutMs);
  }

  /** Ends the program the way closing the terminal does (SIGHUP: rootlab cleans up), then waits for it. */
  async close() {
    if (!this.done) {
      try {
        this.pty.kill("SIGHUP");
      } catch {
        // already gone
      }
    }
    await this.exited;
    this.term.dispose();
  }
}

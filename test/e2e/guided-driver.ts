// Drives the real CLI in a pseudo-terminal, like a person at a keyboard: send keys, wait for text on the
// screen (with a deadline, never a sleep). Used by the guided-mode end-to-end tests.
import { spawn, type IPty } from "@lydell/node-pty";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll } from "vitest";
import { BIN, ROOT } from "../helpers/cli.js";
import { removeTmuxSocket } from "../helpers/tmux-socket.js";
import { stripAnsi } from "../../src/term/width.js";
import { INTRO_GOES_ON, INTRO_QUESTION } from "../../src/guided/lab-intro.js";

/** The questions of a lab's introduction (src/guided/lab-intro.ts), as drawn before they are answered. */
const INTRO_QUESTIONS = new RegExp(`\\? (${INTRO_GOES_ON}|${INTRO_QUESTION})`, "g");

export const KEY = { enter: "\r", down: "\x1b[B", up: "\x1b[A", ctrlD: "\x04", ctrlC: "\x03", esc: "\x1b" } as const;

export class Screen {
  private raw = "";
  cols: number;
  private cursor = 0;
  readonly exited: Promise<{ exitCode: number; signal?: number }>;
  private readonly pty: IPty;

  rows: number;

  /** Runs `rootlab ARGS`, or PROGRAM (e.g. `vagrant ssh -c …` for rootlab inside the lab VM) when given. */
  constructor(args: string[], env: Record<string, string>, cols = 120, program?: { file: string; args: string[] }, rows = 40) {
    this.cols = cols;
    this.rows = rows;
    this.pty = spawn(program?.file ?? process.execPath, program?.args ?? [BIN, ...args], {
      name: "xterm",
      cols,
      rows,
      cwd: ROOT,
      // A student's terminal: no CI variable (CI turns off the spinner and other interactive touches).
      env: { ...withoutCi(process.env), NO_COLOR: "1", LANG: "C.UTF-8", TERM: "xterm", ...env },
    });
    this.pty.onData((d) => (this.raw += d));
    this.exited = new Promise((resolve) => this.pty.onExit((e) => resolve(e)));
  }

  /** Exactly what the program wrote to the terminal. */
  get output(): string {
    return this.raw;
  }

  /** Everything shown so far, without colours or cursor movement codes. */
  get text(): string {
    return stripAnsi(this.raw).replace(/\r/g, "");
  }

  /**
   * The lab's introduction waits for the learner before step 1 ("Read on", then "Start step 1"). A test that is
   * about something else reads it through: waitFor answers those questions with Enter while it waits. Set false to
   * see the questions (and answer them) yourself.
   */
  readsIntroduction = true;
  private introQuestionsAnswered = 0;

  /** Presses Enter at each introduction question not answered yet (see readsIntroduction). */
  private answerIntroduction(): void {
    if (!this.readsIntroduction) return;
    const asked = this.count(INTRO_QUESTIONS);
    for (; this.introQuestionsAnswered < asked; this.introQuestionsAnswered++) this.send(KEY.enter);
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
      this.answerIntroduction();
      if (Date.now() > deadline) {
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${String(pattern)}; screen since the last match:\n${rest.slice(-3000)}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** How often `pattern` (a global regex) occurs on the screen so far. */
  count(pattern: RegExp): number {
    return this.text.match(pattern)?.length ?? 0;
  }

  /** Waits until `condition` holds (polled, with a deadline). */
  async until(what: string, condition: () => boolean, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; screen:\n${this.text.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    this.cursor = this.text.length;
  }

  /**
   * After a finished step: the learner reads (choosing "Read on" while the explanation is paged), then goes on at
   * "When you are ready:"; waits for PATTERN next.
   */
  async nextStep(pattern: string | RegExp, timeoutMs = 30_000): Promise<string> {
    await this.throughExplanation(timeoutMs);
    return this.waitFor(pattern, timeoutMs);
  }

  /**
   * Reads a paged explanation page by page ("Read on"): what the terminal shows at each of its questions, the last
   * one at "When you are ready", which is left open.
   */
  async explanationPages(timeoutMs = 30_000): Promise<string[]> {
    const screens: string[] = [];
    for (;;) {
      const question = await this.waitFor(/\? (The explanation goes on|When you are ready):/, timeoutMs);
      screens.push(visibleScreen(this.raw, this.cols, this.rows));
      if (question.includes("When you are ready")) return screens;
      this.send(KEY.enter);
    }
  }

  /** Reads a paged explanation through ("The explanation goes on") and goes on at "When you are ready". */
  async throughExplanation(timeoutMs = 30_000): Promise<void> {
    for (;;) {
      const question = await this.waitFor(/\? (The explanation goes on|When you are ready):/, timeoutMs);
      this.send(KEY.enter);
      if (question.includes("When you are ready")) return;
    }
  }

  send(keys: string): void {
    this.pty.write(keys);
  }

  /** Resizes the terminal, as a window or tmux pane is resized: the program gets SIGWINCH and the new size. */
  resize(cols: number, rows: number): void {
    this.cols = cols;
    this.rows = rows;
    this.pty.resize(cols, rows);
  }

  /** Picks the n-th (0-based) choice of the enquirer Select now on screen. */
  choose(n: number): void {
    this.send(KEY.down.repeat(n) + KEY.enter);
  }

  kill(signal: string): void {
    this.pty.kill(signal);
  }

  /** The host process's PID (rootlab itself: it is spawned directly, without a shell in between). */
  get pid(): number {
    return this.pty.pid;
  }

  /**
   * Closes the terminal the way a terminal emulator does when its window (or tmux session) goes away: the
   * master side is closed, so the kernel hangs up the terminal (reads and writes fail with EIO) and sends SIGHUP.
   */
  hangUp(): void {
    (this.pty as IPty & { destroy(): void }).destroy();
  }

  /**
   * Ends rootlab the way closing the terminal does (SIGHUP), so its cleanup runs even when a test failed
   * halfway; SIGKILL only if it has not exited within the deadline.
   */
  async stop(timeoutMs = 60_000): Promise<void> {
    let done = false;
    void this.exited.then(() => (done = true));
    await Promise.resolve();
    if (done) return;
    try {
      this.pty.kill("SIGHUP");
    } catch {
      return; // already gone
    }
    const deadline = Date.now() + timeoutMs;
    while (!done && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (!done) this.pty.kill("SIGKILL");
  }
}

/**
 * What a person would have seen, as plain text: the raw terminal output replayed into a tmux pane of the same
 * width (so prompts redrawn in place appear once, as on a screen), then its whole scrollback captured.
 */
export function renderTranscript(raw: string, cols: number): string {
  return replayInTmux(raw, cols, 50, "-");
}

/** What a terminal of COLS×ROWS shows right now (the last screenful, not the scrollback), as plain text. */
export function visibleScreen(raw: string, cols: number, rows: number): string {
  return replayInTmux(raw, cols, rows, "0");
}

let replays = 0;

function replayInTmux(raw: string, cols: number, rows: number, from: "-" | "0"): string {
  const dir = mkdtempSync(join(tmpdir(), "rlt8-transcript-"));
  // One server per replay: \`kill-server\` returns before the old server has gone, and a reused name can reach
  // that dying server ("server exited unexpectedly").
  const sock = `rlt8-transcript-${process.pid}-${++replays}`;
  const file = join(dir, "raw");
  writeFileSync(file, raw);
  const tmux = (...args: string[]) => execFileSync("tmux", ["-L", sock, "-f", "/dev/null", ...args], { encoding: "utf8" });
  try {
    tmux("start-server", ";", "set", "-g", "history-limit", "100000", ";", "new-session", "-d", "-s", "t", "-x", String(cols), "-y", String(rows),
      `stty -echo; cat ${file}; tmux -L ${sock} wait-for -S done; exec sleep 60`);
    tmux("wait-for", "done");
    // The pane answers the queries in the replayed output (busybox ash's ESC[6n at each prompt) as any terminal
    // does, on the pane's input: without echo there, the answer never lands among the output being replayed (it
    // used to, as "^[[30;17R" wherever `cat` had got to, splitting a line when it wrapped).
    return tmux("capture-pane", "-p", "-S", from, "-E", "-", "-t", "t").replace(/\s+$/, "\n");
  } finally {
    try {
      tmux("kill-server");
    } catch {
      // already gone
    }
    removeTmuxSocket(sock);
    rmSync(dir, { recursive: true, force: true });
  }
}

function withoutCi(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  // Nor npm's variables: a student types `rootlab`, not `npm test` (rootlab names itself after how it was run).
  for (const [k, v] of Object.entries(env)) if (v !== undefined && k !== "CI" && k !== "CONTINUOUS_INTEGRATION" && !k.startsWith("npm_")) out[k] = v;
  return out;
}

/** The typed shell's prompt for SESSION ("(rootlab box) /# "), as a global pattern for Screen.count. */
export function prompts(session: string): RegExp {
  return new RegExp(`\\(rootlab ${session}\\) [^\\n]*[#$] `, "g");
}

/** Types a block line by line, waiting after each for the next prompt (or a continuation prompt). */
export async function typeBlock(s: Screen, block: { session: string; code: string }): Promise<void> {
  const ps1 = prompts(block.session);
  for (const line of block.code.split("\n")) {
    const before = [s.count(ps1), s.count(/\n> /g)];
    s.send(`${line}\r`);
    await s.until(`the prompt after "${line}"`, () => s.count(ps1) > before[0]! || s.count(/\n> /g) > before[1]!, 60_000);
  }
}


/**
 * The learner of one test file: a state folder of its own (progress and HOME), made before the file's tests and
 * removed after them, and the screen each test opens with `open`, stopped after each test. Call at the top level.
 */
export function learnerWithOwnState(prefix: string, cols: number, rows: number): { readonly state: string; open(args: string[], env?: Record<string, string>): Screen } {
  let state = "";
  let screen: Screen | undefined;
  beforeAll(() => {
    state = mkdtempSync(join(tmpdir(), prefix));
  });
  afterEach(async () => {
    await screen?.stop();
    screen = undefined;
  });
  afterAll(() => {
    rmSync(state, { recursive: true, force: true });
  });
  return {
    get state() {
      return state;
    },
    open: (args, env = {}) => (screen = new Screen(args, { ROOTLAB_DISPOSABLE: "1", XDG_STATE_HOME: state, HOME: state, ...env }, cols, undefined, rows)),
  };
}

/**
 * The pages of an explanation (Screen.explanationPages) after the first that hold explanation text: a page of its
 * own for what changed on the machine is not about the output, so it does not show the output again.
 */
export function laterExplanationPages(pages: string[]): string[] {
  return pages.slice(1).filter((page) => !/Read on\n+What changed on the machine:/.test(page));
}

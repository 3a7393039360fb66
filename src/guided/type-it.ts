// "I'll type it myself": the learner's terminal connected to the session's own shell (src/exec/typed-shell.ts)
// — raw keys in, the shell's terminal out, resizes passed on — until they give it back with `check` or Ctrl-].
import type { LearnerTerminal, TypedTurn } from "../exec/types.js";
import { HAND_BACK_KEY_NAME } from "../exec/typed-shell.js";
import { plainText } from "../term/screen-text.js";
import { wrapText } from "../term/wrap.js";
import { markPastedLines, unscrollEchoes } from "./typed-runs.js";
import { withoutTypeaheadEcho } from "./typeahead-echo.js";

export type TypeItResult =
  /** `shown`: the turn's terminal output as plain text (what the learner saw), for the step's transcript. */
  | { kind: "returned"; typed: string[]; shown: string; /** Exit status of the learner's last command. */ lastStatus?: number }
  | { kind: "unavailable"; reason: string }
  | { kind: "session-dead"; reason: string };

export interface TypeItOptions {
  /** The lab run (it tells the turn as events): `LabRun.typeInto`. */
  typeInto(session: string, terminal: LearnerTerminal): Promise<TypedTurn>;
  alive(session: string): boolean;
  session: string;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  /** Ends the turn when the run is interrupted, e.g. the terminal closed. */
  signal?: AbortSignal;
}

export { HAND_BACK_KEY_NAME };

export async function typeItYourself(opts: TypeItOptions): Promise<TypeItResult> {
  const { session, stdin, stdout } = opts;
  if (!opts.alive(session)) return { kind: "session-dead", reason: `session ${session} is no longer running, so there is no shell to type into` };
  let screen = "";
  let keys = "";
  const show = (text: string): void => {
    try {
      stdout.write(text);
    } catch {
      // The terminal went away (SIGHUP); the abort ends the turn.
    }
  };
  const screens = new OtherScreen();
  const cols = () => stdout.columns || 80;
  const write = (text: string): void => {
    if (screen.length < SCREEN_KEPT) screen += text;
    show(text);
    // A note given while a full-screen program ran went with its screen: it is said again on the shell's.
    const again = screens.wrote(text);
    if (again) show(noticeText(again, cols()));
  };
  const wasRaw = stdin.isRaw;
  stdin.setRawMode?.(true);
  stdin.resume();
  try {
    const turn = await opts.typeInto(session, {
      write,
      onKeys: (listener) => {
        const onData = (d: Buffer | string): void => {
          const text = typeof d === "string" ? d : d.toString("utf8");
          // Kept to tell pasted lines from output on the screen (markPastedLines), never shown or sent anywhere.
          if (keys.length < SCREEN_KEPT) keys += text;
          listener(text);
        };
        stdin.on("data", onData);
        return () => stdin.off("data", onData);
      },
      onResize: (listener) => {
        stdout.on("resize", listener);
        return () => stdout.off("resize", listener);
      },
      size: () => ({ cols: stdout.columns || 80, rows: stdout.rows || 24 }),
      // rootlab's notes are shown, never kept with what the commands printed (the step's recap reads that).
      notice: (text) => show(screens.other ? screens.overlay(text, cols(), stdout.rows || 24) : noticeText(text, cols())),
      label: `(rootlab ${session})`,
      term: process.env.TERM && process.env.TERM !== "dumb" ? process.env.TERM : "xterm-256color",
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    switch (turn.kind) {
      case "returned":
        return { kind: "returned", typed: turn.typed, shown: markPastedLines(withoutTypeaheadEcho(unscrollEchoes(plainText(screen, stdout.columns || 80), keys, `(rootlab ${session}) # `), keys), keys), ...(turn.lastStatus !== undefined ? { lastStatus: turn.lastStatus } : {}) };
      case "ended":
        return { kind: "session-dead", reason: turn.reason };
      default:
        return { kind: "unavailable", reason: turn.reason };
    }
  } finally {
    await discardTypeahead(stdin);
    stdin.setRawMode?.(wasRaw ?? false);
    write("\r\n");
  }
}

/**
 * A note from rootlab in the learner's terminal (raw mode: lines end in CR LF), wrapped at words to COLS like all
 * prose, on lines of its own, in yellow. Pure.
 */
export function noticeText(text: string, cols: number): string {
  const lines = wrapText(`[rootlab] ${text}`, Math.max(20, cols - 1), { firstIndent: "", indent: "          " }).split("\n");
  return `\r\n${lines.map((l) => `\x1b[33m${l}\x1b[0m`).join("\r\n")}\r\n`;
}

/** Switches to and from the terminal's other screen, where full-screen programs (less, top, vi) draw. */
const OTHER_SCREEN = /\x1b\[\?(?:1049|1047|47)([hl])/g;

/**
 * Whether a program in the learner's shell has the terminal on its other screen (less, top, vi), read from what it
 * writes. A note from rootlab written there (Ctrl-] pressed in `less`) is drawn over it, and thrown away with
 * that screen when the program ends: it is kept and said again then, on the shell's screen.
 */
export class OtherScreen {
  other = false;
  private tail = "";
  private pending: string | undefined;

  /** TEXT was written to the terminal: the note to say again now (the other screen was left), if any. */
  wrote(text: string): string | undefined {
    const all = this.tail + text;
    let left = false;
    for (const m of all.matchAll(OTHER_SCREEN)) {
      if (m.index + m[0].length <= this.tail.length) continue;
      const now = m[1] === "h";
      if (this.other && !now) left = true;
      this.other = now;
    }
    // A switch split between two writes is read whole with the next one.
    this.tail = all.slice(-12);
    if (!left || this.pending === undefined) return undefined;
    const note = this.pending;
    this.pending = undefined;
    return note;
  }

  /** NOTE drawn over the bottom rows of the other screen (ROWS × COLS), the cursor put back; said again later. */
  overlay(note: string, cols: number, rows: number): string {
    this.pending = note;
    const lines = noticeText(note, cols).split("\r\n").filter(Boolean).slice(0, Math.max(1, rows - 1));
    const top = rows - lines.length + 1;
    return `\x1b7${lines.map((line, i) => `\x1b[${top + i};1H\x1b[2K${line}`).join("")}\x1b8`;
  }
}

/** How much of a turn's terminal output is kept for the step's transcript. */
const SCREEN_KEPT = 64 * 1024;

/**
 * Keys typed after the turn ended (a second Enter) must not answer the next menu: read and drop what the
 * terminal already holds, then stop reading. One poll of the event loop reads everything pending.
 */
async function discardTypeahead(stdin: NodeJS.ReadStream): Promise<void> {
  if (stdin.destroyed || stdin.readableEnded) return;
  const drop = (): undefined => undefined;
  stdin.on("data", drop);
  stdin.resume();
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  stdin.off("data", drop);
  stdin.pause();
  while (stdin.read() !== null) {
    // dropped
  }
}

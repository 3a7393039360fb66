// The learner's choices, asked with enquirer. Every prompt ends — "chosen" or "cancelled" — whatever happens:
// Esc, Ctrl-C typed at the prompt, Ctrl-D (end of input), stdin closing, or the run being aborted by a signal
// (SIGINT/SIGTERM/SIGHUP). A prompt never leaves a promise pending, so the flow can always quit and clean up.
import { colorLevel } from "../term/style.js";
import { displayWidth } from "../term/width.js";
import { fitWords } from "./menu.js";
import { redraw, refit, Select, type PromptInstance } from "./select-prompt.js";

export interface Choice<T extends string> {
  value: T;
  label: string;
  hint?: string;
  /** Shown but not selectable, with this reason. */
  disabled?: string;
}

export type Answer<T extends string> = { kind: "chosen"; value: T } | { kind: "cancelled" };

type Io = { stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream; signal?: AbortSignal; /** Index of the choice the cursor starts on. */ initial?: number };

/** The prompt on the screen, if any, and what waits to be written until it is closed (whenNoPrompt). */
let onScreen: { prompt: PromptInstance; waiting: (() => void)[] } | undefined;

/**
 * Runs WRITE once no prompt is on the screen: at once, or right after the prompt there has drawn its last line,
 * which erases the rows above the cursor it takes for its own (a message written before would be erased, and the
 * prompt's first lines left on the screen instead).
 */
export function whenNoPrompt(write: () => void): void {
  if (onScreen && onScreen.prompt.state.closed !== true) onScreen.waiting.push(write);
  else write();
}

function promptGone(prompt: PromptInstance): void {
  if (onScreen?.prompt !== prompt) return;
  const { waiting } = onScreen;
  onScreen = undefined;
  for (const write of waiting) write();
}

/** How a key that ends a prompt is named on its last line. */
const KEY_NAMES: Record<string, string> = { c: "Ctrl-C", d: "Ctrl-D" };

/** True once stdin can give no more keys (closed, ended, or the terminal hung up). */
export function inputEnded(stdin: NodeJS.ReadStream): boolean {
  return stdin.readableEnded || stdin.destroyed;
}

async function runPrompt(prompt: PromptInstance, io: Io): Promise<{ ok: true; value: unknown } | { ok: false }> {
  const { stdin, signal } = io;
  if (signal?.aborted || inputEnded(stdin)) return { ok: false };
  const wasRaw = stdin.isRaw;
  let stop!: () => void;
  let closed = false;
  let ctrlC = false;
  // Settles once the prompt cancelled by rootlab (Ctrl-D, a signal) has drawn its last line.
  let cancelled: Promise<unknown> = Promise.resolve();
  onScreen = { prompt, waiting: [] };
  prompt.once("close", () => {
    closed = true;
    promptGone(prompt);
  });
  // Settles when the prompt must end without an answer; raced against the prompt so nothing waits forever.
  const ended = new Promise<{ ok: false }>((resolve) => {
    stop = () => {
      resolve({ ok: false });
      if (signal?.aborted && !prompt.cancelledBy) prompt.cancelledBy = String(signal.reason);
      // A prompt that already closed (enquirer cancels on Ctrl-C by itself) is not cancelled twice: it would
      // draw its cancelled line again.
      if (!closed && !ctrlC) cancelled = prompt.cancel().catch(() => undefined);
    };
  });
  // Ctrl-D: readline (inside enquirer) would close itself and drop raw mode, leaving the prompt without input.
  // Ctrl-C typed at a prompt (raw mode: a key, not a signal) ends the run as Ctrl-C during a command does:
  // as SIGINT, so the flow cleans up, prints the resume line and exits 130 — one ending for both.
  const onKey = (_s: unknown, key?: { ctrl?: boolean; name?: string }) => {
    if (key?.ctrl && key.name && KEY_NAMES[key.name]) prompt.cancelledBy = KEY_NAMES[key.name]!;
    else if (key?.name === "escape") prompt.cancelledBy = "Esc";
    if (key?.ctrl && key.name === "d") stop();
    if (key?.ctrl && key.name === "c") {
      // enquirer cancels the prompt itself on this key, right after this listener: it must not be cancelled twice.
      ctrlC = true;
      if (process.listenerCount("SIGINT") > 0) process.emit("SIGINT", "SIGINT");
      else stop();
    }
  };
  stdin.prependListener("keypress", onKey);
  stdin.once("end", stop);
  stdin.once("close", stop);
  signal?.addEventListener("abort", stop, { once: true });
  try {
    const answered = prompt.run().then(
      (value) => ({ ok: true as const, value }),
      () => ({ ok: false as const }),
    );
    const result = await Promise.race([answered, ended]);
    // A cancelled prompt draws its last line ("✖ What now? · Ctrl-D") after that, erasing the rows above the
    // cursor it takes for its own: what rootlab writes next must wait for it, or it is erased. (Not on a terminal
    // that hung up: nothing is drawn there.) enquirer cancels by itself on Ctrl-C, and then answers.
    if (!result.ok && !(signal?.aborted && signal.reason === "SIGHUP")) await (ctrlC ? answered : cancelled);
    return result;
  } finally {
    promptGone(prompt);
    stdin.off("keypress", onKey);
    stdin.off("end", stop);
    stdin.off("close", stop);
    signal?.removeEventListener("abort", stop);
    restoreTerminal(stdin, wasRaw, signal);
  }
}

/** Puts the terminal back as it was before the prompt (unless it hung up: then it must not be touched). */
function restoreTerminal(stdin: NodeJS.ReadStream, wasRaw: boolean | undefined, signal?: AbortSignal): void {
  if (signal?.aborted && signal.reason === "SIGHUP") return;
  if (inputEnded(stdin) || stdin.isTTY !== true) return;
  try {
    if (stdin.isRaw !== Boolean(wasRaw)) stdin.setRawMode(Boolean(wasRaw));
  } catch {
    // tty gone
  }
}

/** The choices, or how to make them for a terminal COLUMNS wide (made again when the terminal is resized). */
export type Choices<T extends string> = Choice<T>[] | ((columns: number) => Choice<T>[]);

/** Columns of a choice's line besides its label and hint: enquirer's "▸ ", the space and parentheses around the hint, and one spare so the terminal never wraps the line by itself. */
const CHOICE_FRAME = 6;
/** A hint cut to fewer columns than this says nothing: it is left out. */
const MIN_HINT = 8;

/**
 * CHOICES for a terminal COLUMNS wide: a hint that would make its line wider is cut at a word ("…"), or left out
 * when there is hardly room for it; labels stay whole. A hint made for the width already (a lab menu's line)
 * is kept. Pure.
 */
export function fitHints<T extends string>(choices: readonly Choice<T>[], columns: number): Choice<T>[] {
  return choices.map((c) => {
    if (!c.hint) return c;
    const room = columns - CHOICE_FRAME - displayWidth(c.label);
    if (displayWidth(c.hint) <= room) return c;
    const { hint: _whole, ...rest } = c;
    const cut = room >= MIN_HINT ? fitWords(c.hint, room, "…") : "…";
    return cut === "…" ? rest : { ...rest, hint: cut };
  });
}

export async function choose<T extends string>(message: string, choices: Choices<T>, io: Io): Promise<Answer<T>> {
  // Made again at each resize for the width then (a hint made for 80 columns wraps mid-word at 60).
  const make = () => {
    const columns = io.stdout.columns || 80;
    return fitHints(typeof choices === "function" ? choices(columns) : choices, columns);
  };
  let current = make();
  const prompt = new Select({
    name: "choice",
    message,
    stdin: io.stdin,
    stdout: io.stdout,
    // enquirer's colours are on unless told (its own check reads only FORCE_COLOR): rootlab's rule decides.
    styles: { enabled: colorLevel(io.stdout) > 0 },
    ...(io.initial !== undefined ? { initial: io.initial } : {}),
    // Enquirer shows a choice's `name` once it is picked: use the label, map it back to the value below.
    choices: current.map((c) => ({
      name: c.label,
      ...(c.hint ? { hint: `(${c.hint})` } : {}),
      ...(c.disabled ? { disabled: c.disabled } : {}),
    })),
  });
  const onResize = () => {
    current = make();
    refit(prompt, current);
    redraw(prompt);
  };
  io.stdout.on("resize", onResize);
  let answer: Awaited<ReturnType<typeof runPrompt>>;
  try {
    answer = await runPrompt(prompt, io);
  } finally {
    io.stdout.off("resize", onResize);
  }
  if (!answer.ok) return { kind: "cancelled" };
  const picked = current.find((c) => c.label === answer.value);
  return picked ? { kind: "chosen", value: picked.value } : { kind: "cancelled" };
}

/** A yes/no question as two choices ("No" first and the default): enquirer's Confirm shows raw true/false. */
export async function confirm(message: string, io: Io): Promise<boolean> {
  const answer = await choose(message, [{ value: "no", label: "No" }, { value: "yes", label: "Yes" }], io);
  return answer.kind === "chosen" && answer.value === "yes";
}

// enquirer's Select as guided mode uses it: the parts of enquirer's prompt rootlab reaches into, the changes it
// makes to the prompt (cursor, signals, its cancelled line), and how the prompt is refitted and redrawn when the
// terminal is resized. prompts.ts runs it.
import Enquirer from "enquirer";

export interface PromptInstance {
  run(): Promise<unknown>;
  cancel(err?: unknown): Promise<void>;
  once(event: "close", cb: () => void): void;
  cursorShow(): void;
  cursorHide(): void;
  render(): Promise<void>;
  restore(): void;
  stdout: NodeJS.WriteStream;
  /** enquirer's own: what it last drew (to erase it before drawing again) and how many lines below the prompt's. */
  state: { buffer: string; size: number; closed?: boolean; cancelled?: boolean };
  /** enquirer's normalized choices (Select). */
  choices?: { name: string; message: string; value: unknown; hint?: string }[];
  format(): string;
  styles: { muted(s: string): string };
  /** What ended the prompt without an answer ("Ctrl-C", "Esc", "SIGTERM"), shown on its last line. */
  cancelledBy: string;
}
type PromptClass = new (opts: Record<string, unknown>) => PromptInstance;

const Enquirer_ = Enquirer as unknown as { Select: PromptClass };

const SHOW_CURSOR = "\x1b[?25h";
const HIDE_CURSOR = "\x1b[?25l";

/**
 * enquirer's Select, changed in two ways.
 * - Its cursorHide() (called from the prompt's constructor) installs process-wide SIGINT/SIGTERM handlers that
 *   call process.exit(130/143) at once — skipping rootlab's cleanup. These prompts only hide the cursor, and show
 *   it again when the prompt closes; signals are rootlab's to handle.
 * - Between draws its cursor rests at the end of the prompt's last line, not back on the question's line. A
 *   terminal that is resized re-wraps what is on it and keeps the cursor's line in view; with the cursor on the
 *   question, the choices re-wrapped below it push the question (and all above it) into the scrollback, where no
 *   redraw can erase it: a copy of the menu was left there at each resize. From the last line, enquirer's own
 *   erase (clear: up from the cursor, the rows each drawn line takes at the terminal's width now) removes exactly
 *   what the terminal shows of the old drawing.
 * - A prompt ended without an answer says why on its last line ("✖ What now? · Ctrl-C"), not just "✖".
 */
function forGuidedMode(Base: PromptClass): PromptClass {
  return class extends Base {
    override cancelledBy = "";
    override format(): string {
      return this.state.cancelled === true ? this.styles.muted(this.cancelledBy) : super.format();
    }
    override cursorHide(): void {
      safeWrite(this.stdout, HIDE_CURSOR);
      this.once("close", () => safeWrite(this.stdout, SHOW_CURSOR));
    }
    override restore(): void {
      // enquirer moves up to the question line here (and clear() then moves down as many lines first).
      this.state.size = 0;
    }
  };
}

export const Select = forGuidedMode(Enquirer_.Select);

function safeWrite(out: NodeJS.WriteStream, s: string): void {
  try {
    if (out.writable) out.write(s);
  } catch {
    // The terminal is gone (SIGHUP); nothing to restore on it.
  }
}

/** Puts CHOICES (made for the new width) into the prompt's own, in place (same order, same cursor). */
export function refit(prompt: PromptInstance, choices: readonly { label: string; hint?: string; disabled?: string }[]): void {
  for (const [i, own] of (prompt.choices ?? []).entries()) {
    const c = choices[i];
    if (!c) continue;
    own.name = own.message = c.label;
    own.value = c.label;
    own.hint = c.hint ? `(${c.hint})` : c.disabled;
  }
}

/**
 * The terminal was resized and has re-wrapped what it shows: draw the prompt again at the new width. Its render
 * first erases the old drawing from the cursor (at its last line) up, counting the rows each line it drew takes at
 * the new width — the rows the terminal re-wrapped it into.
 */
export function redraw(prompt: PromptInstance): void {
  if (prompt.state.closed || !prompt.state.buffer) return;
  void prompt.render().catch(() => undefined);
}

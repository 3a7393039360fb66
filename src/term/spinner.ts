// A one-line spinner for interactive terminals. Only used when Style.interactive says a person is watching a
// real terminal (never in CI logs or pipes). Everything else the caller writes goes through print(), which
// clears the spinner line first and redraws it afterwards, so output and spinner never mix.
import type { Style } from "./style.js";

export interface LineSink {
  write(chunk: string): unknown;
}

const INTERVAL_MS = 80;
const CLEAR_LINE = "\r\x1b[2K";

export class Spinner {
  private timer: ReturnType<typeof setInterval> | undefined;
  private text = "";
  private frame = 0;
  private drawn = false;

  constructor(
    private readonly out: LineSink,
    private readonly style: Style,
  ) {}

  get active(): boolean {
    return this.timer !== undefined;
  }

  /** Starts (or retitles) the spinner; does nothing unless the terminal is interactive. */
  start(text: string): void {
    if (!this.style.interactive) return;
    this.text = text;
    if (this.timer === undefined) {
      this.timer = setInterval(() => this.draw(), INTERVAL_MS);
      this.timer.unref(); // never keeps the process alive
    }
    this.draw();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.clear();
  }

  /** Writes text with the spinner line out of the way. */
  print(text: string): void {
    this.clear();
    this.out.write(text);
    if (this.timer !== undefined) this.draw();
  }

  private draw(): void {
    const frames = this.style.sym.spinnerFrames;
    const frame = frames[this.frame++ % frames.length] ?? "";
    this.out.write(`${CLEAR_LINE}${this.style.chalk.cyan(frame)} ${this.text}`);
    this.drawn = true;
  }

  private clear(): void {
    if (this.drawn) this.out.write(CLEAR_LINE);
    this.drawn = false;
  }
}

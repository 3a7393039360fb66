// What each running block printed, kept for the console reporter: its transcript (stdout and stderr interleaved,
// the newest 256 KiB, for a failure's last lines) and, with --verbose, its output passed on live one whole line at a
// time (a line's start is held until its newline, or until the block ends).
import type { BlockRef } from "../exec/types.js";

export type OutputStream = "stdout" | "stderr";

const MAX_TRANSCRIPT = 256 * 1024;
const STREAMS: readonly OutputStream[] = ["stdout", "stderr"];

const keyOf = (b: BlockRef) => `${b.labId}\u0000${b.stepIndex}\u0000${b.line}`;

export class BlockTranscripts {
  private readonly transcripts = new Map<string, string>();
  private readonly shownLive = new Set<string>();
  /** Per block and stream: the start of a line whose newline has not come yet. */
  private readonly partial = new Map<string, string>();

  /** LIVE: where each whole line goes as it comes (--verbose); undefined keeps the transcript only. */
  constructor(private readonly live: ((line: string, stream: OutputStream) => void) | undefined) {}

  start(ref: BlockRef): void {
    this.transcripts.set(keyOf(ref), "");
  }

  add(ref: BlockRef, stream: OutputStream, chunk: string): void {
    const key = keyOf(ref);
    const text = (this.transcripts.get(key) ?? "") + chunk;
    this.transcripts.set(key, text.length > MAX_TRANSCRIPT ? text.slice(-MAX_TRANSCRIPT) : text);
    if (!this.live) return;
    this.shownLive.add(key);
    const pkey = `${key}\u0000${stream}`;
    const lines = ((this.partial.get(pkey) ?? "") + chunk).split("\n");
    this.partial.set(pkey, lines.pop() ?? "");
    for (const line of lines) this.live(line, stream);
  }

  /** Passes on the block's last lines that no newline ended (the block is over). */
  flush(ref: BlockRef): void {
    const key = keyOf(ref);
    for (const s of STREAMS) this.flushPartial(`${key}\u0000${s}`);
  }

  /** Passes on every block's unended last lines (the run is over). */
  flushAll(): void {
    for (const key of [...this.partial.keys()]) this.flushPartial(key);
  }

  transcript(ref: BlockRef): string | undefined {
    return this.transcripts.get(keyOf(ref));
  }

  /** True when the block's output was shown live (a failure then does not repeat it). */
  wasShownLive(ref: BlockRef): boolean {
    return this.shownLive.has(keyOf(ref));
  }

  forget(ref: BlockRef): void {
    const key = keyOf(ref);
    this.transcripts.delete(key);
    this.shownLive.delete(key);
    for (const s of STREAMS) this.partial.delete(`${key}\u0000${s}`);
  }

  private flushPartial(pkey: string): void {
    const rest = this.partial.get(pkey);
    this.partial.delete(pkey);
    if (rest) this.live?.(rest, pkey.endsWith("stderr") ? "stderr" : "stdout");
  }
}

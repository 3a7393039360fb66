// The next block, made ready while the current one runs (issue 10: the engine's cost per block). Between one
// block's status line and the next block's text on the terminal, the shell waits for rootlab; splitting the next
// block's commands, taking its FIFOs and building its text there was about a third of that wait. When the lab
// run says which block comes next (a step's commands run in order), that work is done right after the current
// block is sent — while the shell runs it — and the next run() of exactly that block in that session only takes
// it. Anything else (another block, another session, a changed root, the sessions closing) gives it back unused.
import type { BlockChannel } from "./block-channel.js";
import type { BlockOutput } from "./block-output.js";
import { blockScript, type BlockMode } from "./block-script.js";
import { splitShell } from "../shell/split.js";
import type { ShellCommand } from "../shell/types.js";

/** The block the lab run will send next, as far as it knows. */
export interface NextBlock {
  session: string;
  code: string;
  mode: BlockMode;
}

/** A block made ready: its commands, nonce, FIFOs and text (without the pid exports, added when it is sent). */
export interface ReadyBlock {
  commands: ShellCommand[];
  fallbackLine: number;
  nonce: string;
  output: BlockOutput;
  /** The block's text for an empty prelude; a prelude goes in front of it (blockScript's first line). */
  text: string;
}

/** What of the session's state the text depends on (./block-script.ts): it must be the same when the block is sent. */
export interface TextState {
  verbose: boolean;
  fast: boolean;
}

interface Made extends ReadyBlock {
  next: NextBlock;
  channel: BlockChannel;
  state: TextState;
}

export class BlockAhead {
  private next: NextBlock | undefined;
  private made: Made | undefined;

  /**
   * @param nonce a new nonce
   * @param keyOf the short key of a nonce (the block's variable names)
   */
  constructor(
    private readonly nonce: () => string,
    private readonly keyOf: (nonce: string) => string,
  ) {}

  /** The lab run's next block (undefined: it does not know). Made ready after the next block is sent. */
  expect(next: NextBlock | undefined): void {
    this.next = next;
  }

  /** The block SESSION's shell just received is on its way: make the expected one ready, if it runs there too. */
  prepare(session: string, channel: BlockChannel, { verbose, fast }: TextState): void {
    const next = this.next;
    this.next = undefined;
    if (!next || next.session !== session || this.made) return;
    const split = splitBlock(next.code);
    const nonce = this.nonce();
    const output = channel.openReady(nonce, next.mode === "check");
    if (!output) return;
    const text = blockScript({ commands: split.commands, nonce, key: this.keyOf(nonce), mode: next.mode, files: output.files, prelude: "", verbose, fast, source: next.code });
    this.made = { next, channel, state: { verbose, fast }, ...split, nonce, output, text };
  }

  /** The block made ready, if it is this one, for this session, with FIFOs still in sight; else it is given back. */
  take(session: string, code: string, mode: BlockMode, channel: BlockChannel | undefined, { verbose, fast }: TextState): ReadyBlock | undefined {
    const made = this.made;
    if (!made) return undefined;
    this.made = undefined;
    const { next } = made;
    const same = next.session === session && next.code === code && next.mode === mode && made.state.verbose === verbose && made.state.fast === fast;
    if (same && made.channel === channel && channel.current(made.output)) return made;
    made.output.finish(); // closes its read ends; its FIFOs go back to the pool
    return undefined;
  }

  /** Gives back what was made ready (the sessions are closing). */
  release(): void {
    this.next = undefined;
    this.made?.output.finish();
    this.made = undefined;
  }
}

/** A block's commands, and the line a failure is reported at when the block stopped before any of them ended. */
export function splitBlock(code: string): { commands: ShellCommand[]; fallbackLine: number } {
  const split = splitShell(code);
  return { commands: split.commands, fallbackLine: split.incomplete?.line ?? split.commands[0]?.line ?? 0 };
}

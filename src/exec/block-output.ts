// Reading one block's output from its two FIFOs (made and handed out by ./block-channel.ts). Each FIFO is open
// through a read-only, non-blocking end; end of file there means every writer has closed it: the block and any
// `&` job it started.
//
// Most blocks end within a millisecond or two. For them the pipes are read once, synchronously, when the block's
// status line arrives: no stream object per FIFO (a net.Socket each — constructor, stream state, epoll, destroy —
// was most of the engine's own cost per block, measured with bench/engine.js). A block still running after
// LIVE_AFTER_MS is read as it writes, through the event loop: live output for a person watching, stdout and
// stderr lines in the order they were written (as well as two pipes can tell: docs/lab-format.md, expect), and a
// pipe that never fills. What such a block wrote in its first milliseconds is taken first, stdout before stderr —
// the order the event loop would also give output that is already waiting in both pipes.
import { closeSync, constants, openSync, readSync, unlinkSync } from "node:fs";
import { Socket } from "node:net";
import { StringDecoder } from "node:string_decoder";
import type { BlockFiles } from "./block-script.js";

/** How long a block runs before its output is read live (a stream per FIFO) rather than once at its end. */
export const LIVE_AFTER_MS = 20;

/** For the synchronous reads (one at a time): allocating 64 KiB per FIFO per block showed up in profiles. */
const scratch = Buffer.alloc(64 * 1024);

/**
 * One FIFO a block writes to. Before the shell opens it, a read sees end of file and the event loop sees nothing
 * (Linux reports no hang-up on a FIFO no writer has opened yet); after the block's end, end of file means that no
 * writer is left.
 */
class BlockFifo {
  private text = "";
  private readonly decoder = new StringDecoder("utf8");
  /** Reads through the event loop: for a block that runs long, or a `&` job's writes after the block. */
  private socket: Socket | undefined;
  /** Every writer closed it (end of file seen by the event loop). */
  private eof = false;
  /** The block is over: what is written now is a `&` job's, dropped. */
  private over = false;
  /** Called with text as it arrives (live output). */
  onText: ((text: string) => void) | undefined;

  constructor(
    readonly hostPath: string,
    private readonly fd: number,
    private readonly filter: (text: string) => string = (t) => t,
  ) {}

  /** From now on, read as the block writes (after what it wrote so far). */
  live(): void {
    if (this.socket || this.over) return;
    this.drain(); // end of file here may only mean that the shell has not opened the FIFO yet
    this.listen();
  }

  private listen(): void {
    const socket = new Socket({ fd: this.fd, readable: true, writable: false });
    socket.on("data", (chunk: Buffer) => this.take(chunk));
    socket.on("end", () => (this.eof = true));
    socket.on("error", () => undefined);
    this.socket = socket;
  }

  private take(chunk: Buffer): void {
    if (this.over) return;
    const text = this.filter(this.decoder.write(chunk));
    if (!text) return;
    if (this.onText) this.onText(text);
    else this.text += text;
  }

  /**
   * Reads what is still in the pipe (the block is over). A FIFO that no writer holds any more is closed and free for
   * another block (`reusable`); one that a `&` job of the block still holds keeps being read, its text dropped,
   * until the job closes it, and its name is removed.
   */
  finish(): { text: string; reusable: boolean } {
    this.onText = undefined;
    const socket = this.socket;
    // What the stream holds already (read() hands it to the "data" listener, which takes it).
    if (socket) while (socket.readableLength > 0 && socket.read() !== null);
    // Once the event loop saw end of file the descriptor may be closed already: never read it then.
    const writersLeft = this.eof || socket?.destroyed ? false : this.drain();
    const text = this.text + this.decoder.end();
    this.text = "";
    this.over = true;
    if (!writersLeft) {
      if (!socket) {
        closeSync(this.fd);
        return { text, reusable: true };
      }
      socket.destroy();
      return { text, reusable: this.eof || !socket.errored };
    }
    if (!socket) this.listen(); // reads and drops what the job writes, so it is never blocked or SIGPIPEd
    try {
      unlinkSync(this.hostPath);
    } catch {
      // the folder is gone (the session's root went away): nobody can open it again
    }
    return { text, reusable: false };
  }

  /** Reads the pipe until it is empty; true when a writer still holds it (no end of file yet). */
  private drain(): boolean {
    for (;;) {
      let n: number;
      try {
        n = readSync(this.fd, scratch, 0, scratch.length, null);
      } catch (err) {
        return (err as NodeJS.ErrnoException).code === "EAGAIN"; // empty, and a writer is left
      }
      if (n === 0) return false; // end of file: no writer is left (or none came yet)
      this.take(scratch.subarray(0, n)); // decoded at once, so the scratch buffer can be read into again
    }
  }
}

/** The output FIFOs of one block. */
export class BlockOutput {
  private readonly stdout: BlockFifo;
  private readonly stderr: BlockFifo;

  constructor(
    readonly files: BlockFiles,
    /** The FIFOs as rootlab reaches them. */
    hostPaths: { stdout: string; stderr: string },
    /** Where a check-mode block records its failing line; undefined in script mode (it writes none). */
    private readonly lineHostPath: string | undefined,
    /** Takes back a FIFO that nothing holds open any more. */
    private readonly giveBack: (hostPath: string) => void,
    /** Their read ends, when opened ahead (./block-channel.ts, prepare); else they are opened here. */
    opened?: { stdout: number; stderr: number },
  ) {
    this.stdout = new BlockFifo(hostPaths.stdout, opened?.stdout ?? openFifo(hostPaths.stdout));
    try {
      this.stderr = new BlockFifo(hostPaths.stderr, opened?.stderr ?? openFifo(hostPaths.stderr), withoutJobNotices);
    } catch (err) {
      this.stdout.finish();
      throw err;
    }
  }

  /** From now on, read as the block writes: it ran LIVE_AFTER_MS (the block's watchdog says when). */
  live(): void {
    this.isLive = true;
    this.stdout.live();
    this.stderr.live();
  }

  /** Whether live() was called: output may then be waiting in the event loop. */
  isLive = false;

  /** Live output, in the order it was written (for a block that runs longer than LIVE_AFTER_MS). */
  onOutput(listener: (stream: "stdout" | "stderr", text: string) => void): void {
    this.stdout.onText = (text) => listener("stdout", text);
    this.stderr.onText = (text) => listener("stderr", text);
  }

  /** The rest of the output; the block is over. Returns the check-mode failing line too, if recorded. */
  finish(): { stdout: string; stderr: string; line?: number } {
    const stdout = this.stdout.finish();
    const stderr = this.stderr.finish();
    if (stdout.reusable) this.giveBack(this.stdout.hostPath);
    if (stderr.reusable) this.giveBack(this.stderr.hostPath);
    const line = this.lineHostPath === undefined ? undefined : readLine(this.lineHostPath);
    return { stdout: stdout.text, stderr: stderr.text, ...(line !== undefined ? { line } : {}) };
  }
}

/** Opens a FIFO's read end without waiting for a writer (the shell opens the write end when the block starts). */
export function openFifo(path: string): number {
  return openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
}

/** The failing line a check wrote (and the file removed), if it wrote one. */
function readLine(path: string): number | undefined {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return undefined; // no command failed
  }
  try {
    const buf = Buffer.alloc(32);
    const n = readSync(fd, buf, 0, 32, 0);
    unlinkSync(path);
    const parsed = Number(buf.subarray(0, n).toString("utf8").trim());
    return Number.isInteger(parsed) ? parsed : undefined;
  } catch {
    return undefined; // unreadable: no line to report
  } finally {
    closeSync(fd);
  }
}

/**
 * An interactive bash announces every `cmd &` on its stderr ("[1] 4242"), even without job control; a block's
 * output is what its commands wrote, as when a script runs them. bash writes the notice in one piece.
 */
export function withoutJobNotices(text: string): string {
  return text.includes("]") ? text.replace(JOB_NOTICE, "") : text;
}

/**
 * `[1] 4242` when a job starts; with job control (`set -m`) also its end, `[1]+  Done  sleep 1` (bash's words for
 * how a job ended), which a script never prints.
 */
const JOB_NOTICE = /^\[\d+\](?: \d+|[+-]? +(?:Done|Exit \d+|Terminated|Killed|Stopped|Hangup|Interrupt|Quit|Aborted|Broken pipe|Segmentation fault)\b[^\n]*)\n/gm;

// The one status line that ends a block on its shell's terminal (written by ./block-script.ts's scripts), and the
// scanner that finds it in the terminal's output as chunks arrive. Pure.

export interface StatusLine {
  status: number;
  /** The failing command's line offset, when the block stopped at one. */
  line?: number;
  /** The shell's option flags after the block (`$-`), e.g. "ehB". */
  flags: string;
  /** Script mode: "1" the body ran; "0" `eval` did not run it. */
  ran: string;
  /**
   * Script mode: "d" while the session's definitions are there, "" when a block unset them, "d1" when bash's
   * after-block function may be called directly (./block-script.ts).
   */
  defs?: string;
  /** Text on the shell's stdout before the status line (rootlab's raw blocks, trap output, job notices). */
  before: string;
}

/**
 * Finds the status line of one block in a shell's stdout as chunks arrive. Everything else on that stream is
 * not block output (blocks write to their own files) and is handed back as `before`.
 */
export class StatusScanner {
  private buf = "";
  /** Where the marker starts in buf, once seen (-1: not yet). */
  private at = -1;
  result: StatusLine | undefined;
  /** Text after the status line (belongs to whatever comes next). */
  leftover = "";

  constructor(private readonly marker: string) {}

  push(chunk: string): void {
    if (this.result) {
      this.leftover += chunk;
      return;
    }
    // Only the new text is searched (with the marker's length before it): a shell that echoes a 1 MB block
    // sends it back in thousands of chunks.
    const from = Math.max(0, this.buf.length - this.marker.length);
    this.buf += chunk;
    this.at = this.at >= 0 ? this.at : this.buf.indexOf(`${this.marker} `, from);
    const at = this.at;
    if (at < 0) return;
    const nl = this.buf.indexOf("\n", at);
    if (nl < 0) return;
    // A terminal may turn "\n" into "\r\n" (a session whose shell cannot switch its terminal to raw mode).
    const [status, line, flags, ran, defs] = this.buf.slice(at + this.marker.length + 1, nl).replace(/\r$/, "").split(" ");
    const lineNo = Number(line);
    const code = blockStatus(status ?? "");
    this.result = {
      status: code,
      // A script block names its last command's line also when it succeeded (./block-script.ts): only a failing
      // block has a failing line.
      ...(code !== 0 && line !== "" && line !== "-" && Number.isInteger(lineNo) ? { line: lineNo } : {}),
      flags: flags ?? "",
      // Script mode prints `${L+1}`: empty when the body did not get to its end.
      ran: ran === "" ? "0" : (ran ?? "-"),
      ...(defs !== undefined ? { defs } : {}),
      before: this.buf.slice(0, at).replace(/\r\n/g, "\n"),
    };
    this.leftover = this.buf.slice(nl + 1);
    this.buf = "";
  }

  /** Text seen so far without a status line. */
  pending(): string {
    return this.buf.replace(/\r\n/g, "\n");
  }
}

/**
 * A script block prints `<eval's status>,<stopping command's status>` (./block-script.ts): the command's, when it
 * failed, else the eval's. Other status lines print one number.
 */
function blockStatus(field: string): number {
  const [ev, rc] = field.split(",");
  return rc !== undefined && rc !== "" && Number(rc) !== 0 ? Number(rc) : Number(ev);
}

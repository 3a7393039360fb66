// The cursor-position query (ESC[6n) that BusyBox ash's line editor writes after every prompt is not passed on to
// the learner's terminal during a typed turn. A terminal answers it as input (ESC[30;17R); when the learner typed
// the next line ahead (while a command ran, or over a slow ssh link), that line reaches the shell first, the shell
// runs it, and the answer arrives while the command has the terminal in its cooked mode: the terminal driver
// echoes it as text ("^[[30;17R" in the middle of the output) and hands it to the command as input. ash does
// without the answer (it only corrects its idea of the cursor's column with it), as on a terminal that does not
// answer. A program on the other screen (vim, less, top) keeps its queries: it reads the answer in raw mode.

const QUERY = "\x1b[6n";
/** Switches to and from the terminal's other screen (full-screen programs), and the query. */
const SEQUENCES = /\x1b\[\?(?:1049|1047|47)([hl])|\x1b\[6n/g;
/** An escape sequence not finished at the end of a chunk: ESC, or ESC [ and parameters so far. */
const UNFINISHED = /\x1b(?:\[[0-9;?]*)?$/;

/** Takes cursor-position queries out of a turn's output, chunk by chunk. Pure (its state aside). */
export class CursorQueries {
  private held = "";
  private other = false;

  /** TEXT as the learner's terminal gets it. An escape sequence cut at its end waits for the next chunk. */
  filter(text: string): string {
    const all = this.held + text;
    const cut = UNFINISHED.exec(all);
    const whole = cut ? all.slice(0, cut.index) : all;
    this.held = cut ? all.slice(cut.index) : "";
    return whole.replace(SEQUENCES, (seq: string, screen: string | undefined) => {
      if (screen !== undefined) this.other = screen === "h";
      return seq === QUERY && !this.other ? "" : seq;
    });
  }

  /** What was held back (an escape sequence the output ended in the middle of). */
  flush(): string {
    const held = this.held;
    this.held = "";
    return held;
  }
}

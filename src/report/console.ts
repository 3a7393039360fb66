// The live, human reporter: what happens, as it happens, and for a failure everything needed to fix it
// (which block, why, the end of its output, the expect mismatch, the step's first hint).
// Interactive terminals get a spinner; CI logs and pipes get plain lines only. Cheap to import.
import type { Lab } from "../format/types.js";
import type { BlockRef, RunEvent, StepSummary } from "../exec/types.js";
import { createStyle, type Style } from "../term/style.js";
import { Spinner } from "../term/spinner.js";
import { markdownToPlain } from "../term/plain.js";
import { blockLabel, failureDetails, outputLines, TAIL_LINES, wrongAttemptLine, type FailedBlock } from "./details.js";
import { findBlock } from "./find-block.js";
import { noteFor } from "./before-note.js";
import { leakFixes } from "./leak-origin.js";
import * as fmt from "./console-format.js";
import type { Reporter } from "./index.js";
import { changeLines } from "../explain/render.js";
import { BlockTranscripts, type OutputStream } from "./block-transcripts.js";
import { guardStatusLine } from "../host/net-guard.js";

export interface ConsoleStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ConsoleOptions {
  stream: ConsoleStream;
  verbose?: boolean;
  env?: Record<string, string | undefined>;
  /** Overrides what createStyle decides (tests). */
  style?: Style;
  /**
   * Not a terminal (a pipe, a file, a CI log): lines printed in one turn of the event loop are written together in
   * the next one, once the engine has sent the next block to its shell, so that write overlaps the block instead
   * of delaying it (measured: one write per block was on every block's path). close() writes what is left.
   */
  batch?: boolean;
}

const { INDENT } = fmt;
export class ConsoleReporter implements Reporter {
  private readonly style: Style;
  private readonly spinner: Spinner;
  private readonly verbose: boolean;
  private readonly width: number;
  private readonly labs = new Map<string, Lab>();
  /** Interleaved stdout+stderr of each running block, for the "last 20 lines" of a failure; live with --verbose. */
  private readonly transcripts: BlockTranscripts;
  /** Consecutive skipped steps with one reason, printed as one line. */
  private skips: { summary: StepSummary; labId: string }[] = [];
  private readonly termWidth: number | undefined;
  /** With `batch`: text printed but not written yet, and whether its write is queued. */
  private pending = "";
  private flushQueued = false;
  /** Network guard lines already printed: a guard off for one reason is said once per run, not once per lab. */
  private readonly guardSaid = new Set<string>();

  constructor(private readonly opts: ConsoleOptions) {
    this.style = opts.style ?? createStyle(opts.stream, opts.env ?? process.env);
    this.spinner = new Spinner(opts.stream, this.style);
    this.verbose = Boolean(opts.verbose);
    this.transcripts = new BlockTranscripts(this.verbose ? (line, stream) => this.printOutputLine(line, stream) : undefined);
    this.width = Math.max(40, Math.min(opts.stream.columns ?? 80, 100));
    // Only a terminal cuts lines; piped reports keep one line per result (for grep).
    this.termWidth = opts.stream.columns === undefined ? undefined : Math.max(40, opts.stream.columns);
  }

  onEvent(e: RunEvent): void {
    if (e.type !== "step-end" || e.summary.outcome.status !== "skipped") this.flushSkips();
    const { chalk, sym } = this.style;
    switch (e.type) {
      case "run-start":
        if (e.labs.length > 1 || e.strict) {
          const strict = e.strict ? chalk.dim(" (strict: every check must fail before its step)") : "";
          this.print(`rootlab verify: ${e.labs.length} lab${e.labs.length === 1 ? "" : "s"}${strict}`);
        }
        return;
      case "lab-start":
        this.labs.set(e.lab.meta.id, e.lab);
        this.print(...fmt.labHeader(e.lab, this.style));
        return;
      case "preflight":
        this.print(...fmt.preflightLines(e.items, this.verbose, this.style));
        return;
      case "fixture":
        this.print(chalk.dim(`${INDENT}${sym.bullet} fixture ${e.name}: ${e.status}${this.verbose ? ` (${e.path})` : ""}`));
        return;
      case "net-guard": {
        const line = guardStatusLine(e.guard);
        if (this.guardSaid.has(line) || (e.guard.state === "on" && !this.verbose)) return;
        this.guardSaid.add(line);
        this.print(e.guard.state === "off" ? chalk.yellow(`${INDENT}${sym.warn} ${line}`) : chalk.dim(`${INDENT}${sym.bullet} ${line}`));
        return;
      }
      case "step-start": {
        const total = this.labs.get(e.labId)?.steps.length ?? e.step.index + 1;
        this.print(chalk.bold.cyan(`${sym.arrow} ${e.step.index + 1}/${total} ${e.step.title}`));
        return;
      }
      case "block-start": {
        this.transcripts.start(e.block);
        // The label is made only where it is shown (not for a pipe or a log, where a block is one line at its end).
        if (this.verbose) this.print(`${INDENT}${chalk.dim("$")} ${this.label(e.block)}`);
        if (this.style.interactive) this.spinner.start(this.fit(this.label(e.block)));
        return;
      }
      case "output":
        this.transcripts.add(e.block, e.stream, e.chunk);
        return;
      case "block-end":
        this.finishBlock({ kind: "block", ref: e.block, outcome: e.outcome, result: e.result, ...(e.expect ? { expect: e.expect } : {}) });
        return;
      case "check":
        if (e.phase === "before" && e.outcome.status === "pass" && !this.verbose) return this.transcripts.forget(e.block);
        this.finishBlock({ kind: "check", ref: e.block, phase: e.phase, outcome: e.outcome, result: e.result }, e.attempts);
        return;
      case "wrong-attempt": {
        const rejected = e.result.verdict === "rejected";
        const symbol = rejected ? chalk.green(sym.pass) : chalk.red(sym.fail);
        this.print(fmt.lineWithTail(`${INDENT}${symbol} ${wrongAttemptLine(e.result, true)}`, fmt.duration(e.result.durationMs, this.style), this.termWidth, INDENT + INDENT + "  "));
        return;
      }
      case "step-changes":
        if (e.stepIndex < 0) {
          this.print(e.changes.length === 0 ? chalk.dim(`${INDENT}after cleanup: the machine is as it was before the lab`) : `${INDENT}after cleanup, still different from the start:`, ...e.changes.map((c) => `${INDENT}  ${c.text}`));
        } else this.print(...changeLines(e.changes, e.wiring, { unicode: this.style.unicode, width: this.width, indent: INDENT }).map((l, i) => (i === 0 ? chalk.dim(l) : l)));
        return;
      case "step-end":
        if (e.summary.outcome.status === "skipped") this.skips.push({ summary: e.summary, labId: e.labId });
        return;
      case "cleanup-start":
        if (e.count > 0) this.print(chalk.dim(`${INDENT}cleanup: ${e.count} block${e.count === 1 ? "" : "s"}, newest first`));
        return;
      case "cleanup-block":
        this.finishBlock({ kind: "cleanup", ref: e.block, outcome: e.outcome, result: e.result });
        return;
      case "leak-check":
        this.print(fmt.leakLine(e.leaks, this.style), ...fmt.detailLines(leakFixes(this.labs.get(e.labId), e.leaks), this.width, this.style));
        this.print(...fmt.leftLines(e.leaks, e.left ?? e.leaks, this.style, e.others));
        return;
      case "interrupted":
        this.print("", chalk.yellow(`${sym.warn} interrupted (${e.signal}): stopping the running block, then cleaning up${sym.ellipsis}`));
        return;
      case "lab-end":
        this.print(fmt.labEndLine(e.summary, this.width, this.style));
        return;
      case "run-end":
        this.print(...fmt.summaryLines(e.labs, e.durationMs, this.width, this.style));
        return;
    }
  }

  async close(): Promise<void> {
    this.flushSkips();
    this.transcripts.flushAll();
    this.flush();
    this.spinner.stop();
  }

  private print(...lines: string[]): void {
    if (lines.length === 0) return;
    const text = `${lines.join("\n")}\n`;
    if (!this.opts.batch) return this.spinner.print(text);
    this.pending += text;
    if (this.flushQueued) return;
    this.flushQueued = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushQueued = false;
    const text = this.pending;
    this.pending = "";
    if (text) this.spinner.print(text);
  }

  private fit(text: string): string {
    const room = this.width - 4;
    return [...text].length > room ? `${[...text].slice(0, room - 1).join("")}${this.style.sym.ellipsis}` : text;
  }

  private label(ref: BlockRef): string {
    return blockLabel(ref, findBlock(this.labs.get(ref.labId), ref), this.style.sym.ellipsis);
  }

  private printOutputLine(raw: string, stream: OutputStream): void {
    const { chalk, sym, color } = this.style;
    // A lab's own colours pass through to a colour terminal; other control characters never do.
    const line = color ? raw.replace(/[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f]/g, "") : (outputLines(raw)[0] ?? "");
    this.print(`${INDENT}${INDENT}${chalk.dim(sym.box.v)} ${stream === "stderr" ? chalk.yellow(line) : line}`);
  }

  private finishBlock(rec: FailedBlock, attempts = 1): void {
    this.transcripts.flush(rec.ref);
    this.spinner.stop();
    const lab = this.labs.get(rec.ref.labId);
    const block = findBlock(lab, rec.ref);
    let label = this.label(rec.ref);
    if (rec.phase === "before") label += rec.outcome.status === "pass" ? " fails before its step, as it should" : " already passes before its step ran";
    this.print(fmt.lineWithTail(`${INDENT}${fmt.symbolFor(rec.outcome, this.style)} ${label}`, fmt.duration(rec.result.durationMs, this.style, attempts), this.termWidth, INDENT + INDENT + "  "));
    if (rec.outcome.status === "fail" || rec.outcome.status === "error") {
      // The student's hint helps with a failing step, not with a check that already passes before it (--strict).
      const hint = rec.kind === "cleanup" || rec.phase === "before" ? undefined : lab?.steps[rec.ref.stepIndex]?.hints[0];
      // A check polled several times printed once per attempt: show what its last attempt printed.
      const transcript = rec.kind === "check" && attempts > 1 ? undefined : this.transcripts.transcript(rec.ref);
      const details = failureDetails(
        { ...rec, ...(block ? { block } : {}) },
        {
          ...(transcript ? { transcript } : {}),
          ...(this.verbose ? {} : { tailLines: TAIL_LINES }),
          ...(hint ? { hint: markdownToPlain(hint.markdown) } : {}),
          ...(rec.phase === "before" && lab && block ? noteFor(lab, rec.ref.stepIndex, block.code) : {}),
        },
      );
      // With --verbose the output already scrolled by, live: do not repeat it.
      const shown = this.transcripts.wasShownLive(rec.ref) ? details.map((d) => (d.label.startsWith("output") ? { label: "output", text: "(shown above)" } : d)) : details;
      this.print(...fmt.detailLines(shown, this.width, this.style));
    }
    this.transcripts.forget(rec.ref);
  }

  private flushSkips(): void {
    if (this.skips.length === 0) return;
    const { chalk, sym } = this.style;
    const groups: { from: number; to: number; reason: string; total: number }[] = [];
    for (const { summary, labId } of this.skips) {
      const reason = summary.outcome.status === "skipped" ? summary.outcome.reason : "";
      const total = this.labs.get(labId)?.steps.length ?? summary.index + 1;
      const last = groups[groups.length - 1];
      if (last && last.reason === reason && last.to === summary.index) last.to = summary.index + 1;
      else groups.push({ from: summary.index + 1, to: summary.index + 1, reason, total });
    }
    this.skips = [];
    for (const g of groups) {
      const dash = this.style.unicode ? "–" : "-";
      const which = g.from === g.to ? `step ${g.from}/${g.total}` : `steps ${g.from}${dash}${g.to}/${g.total}`;
      this.print(chalk.yellow(`${INDENT}${sym.skip} ${which} skipped: ${g.reason}`));
    }
  }
}

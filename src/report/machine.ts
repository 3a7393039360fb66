// A report rendered once, at the end, from everything the run emitted (JSON, JUnit XML, TAP).
import type { RunEvent } from "../exec/types.js";
import { RunCollector, type RunReport } from "./collect.js";
import { writeReportFile, writeStream, type TextSink } from "./output.js";
import type { Reporter } from "./index.js";

export type Render = (run: RunReport) => string;

export class MachineReporter implements Reporter {
  private readonly collector: RunCollector;
  private closed = false;

  constructor(
    private readonly render: Render,
    private readonly target: { out: string } | { stream: TextSink },
    now?: () => Date,
  ) {
    this.collector = new RunCollector(now);
  }

  onEvent(e: RunEvent): void {
    this.collector.onEvent(e);
  }

  /** Renders and writes the report; a second call does nothing. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const text = this.render(this.collector.report());
    if ("out" in this.target) await writeReportFile(this.target.out, text);
    else await writeStream(this.target.stream, text);
  }
}

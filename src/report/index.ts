// Reporters turn the RunEvents of a run into output; executors never print. The console reporter always
// runs; a machine-readable report (JSON, JUnit XML, TAP) goes to a file (--out) or to stdout, and then the
// console moves to stderr so stdout stays a clean document for pipes.
import type { RunEvent } from "../exec/types.js";
import { ConsoleReporter } from "./console.js";
import { MachineReporter, type Render } from "./machine.js";
import { renderJson } from "./json.js";
import { renderJunit } from "./junit.js";
import { renderTap } from "./tap.js";

export interface Reporter {
  onEvent(e: RunEvent): void;
  /** Finishes the report (writes files, stops spinners). Await it before exiting. */
  close(): Promise<void>;
}

export type ReportKind = "console" | "json" | "junit" | "tap";

export interface ReporterOptions {
  report: ReportKind;
  /** File for the json/junit/tap report; stdout when absent. Ignored for "console". */
  out?: string;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** Console: show every block's output live, and whole outputs of failures. */
  verbose?: boolean;
  /** Environment deciding colour and interactivity (default process.env). */
  env?: Record<string, string | undefined>;
  /** Clock for the report's startedAt (tests). */
  now?: () => Date;
}

const RENDERERS: Record<Exclude<ReportKind, "console">, Render> = {
  json: renderJson,
  junit: renderJunit,
  tap: renderTap,
};

export function createReporters(opts: ReporterOptions): Reporter[] {
  const machineOnStdout = opts.report !== "console" && opts.out === undefined;
  const consoleStream = machineOnStdout ? opts.stderr : opts.stdout;
  const reporters: Reporter[] = [
    new ConsoleReporter({ stream: consoleStream, verbose: Boolean(opts.verbose), batch: !consoleStream.isTTY, ...(opts.env ? { env: opts.env } : {}) }),
  ];
  if (opts.report !== "console") {
    const target = opts.out === undefined ? { stream: opts.stdout } : { out: opts.out };
    reporters.push(new MachineReporter(RENDERERS[opts.report], target, opts.now));
  }
  return reporters;
}

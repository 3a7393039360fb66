// rootlab watch: re-lint and re-verify one lab each time its file is saved. Runs through the same path as
// `rootlab verify` (verifyLabs + the console reporter); a save during a run queues one more run afterwards,
// so a run is never cut short and its cleanup always finishes.
import { watch, type FSWatcher } from "node:fs";
import { basename, dirname } from "node:path";
import { loadLab } from "../format/load.js";
import { diagnosticText } from "../term/diagnostic-text.js";
import type { EventSink, LabSummary, RunEvent } from "../exec/types.js";
import { planLabs, verifyLabs } from "../exec/verify-labs.js";
import type { MayExecute } from "../host/guard.js";
import { createReporters } from "../report/index.js";
import { lintOnce } from "../lint/safety-gate.js";
import { sortDiagnostics } from "../lint/lint.js";

export interface WatchOptions {
  file: string;
  strict: boolean;
  /** The machine may run labs (assertMayExecute, asked once when watching starts). */
  permit: MayExecute;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** Aborted on Ctrl-C: the running block stops, cleanup finishes, then watching ends. */
  signal: AbortSignal;
  /** Quiet time after the last file event before a run starts (editors write in several steps). */
  debounceMs?: number;
  /** Receives the current run's event sink while a run is in progress (for the "interrupted" event). */
  onRunning?: (emit: EventSink | undefined) => void;
}

export type RunResult =
  | { kind: "lint-errors"; errors: number }
  | { kind: "verified"; summary: LabSummary | undefined };

/** Resolves on the next (debounced) change of the file, or when the signal aborts. */
class FileChanges {
  private readonly watcher: FSWatcher;
  private timer: NodeJS.Timeout | undefined;
  private changed = false;
  private wake: (() => void) | undefined;

  constructor(file: string, private readonly debounceMs: number, signal: AbortSignal) {
    const name = basename(file);
    // Watch the folder, not the file: editors that save by writing a new file and renaming it over the old
    // one would leave a file watcher on the deleted inode.
    this.watcher = watch(dirname(file), (_event, changed) => {
      if (changed !== null && changed.toString() !== name) return;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.fire(), this.debounceMs);
    });
    signal.addEventListener("abort", () => this.wake?.(), { once: true });
  }

  private fire(): void {
    this.changed = true;
    this.wake?.();
  }

  /** True when a change happened since the last call (during a run, say). */
  take(): boolean {
    const was = this.changed;
    this.changed = false;
    return was;
  }

  next(signal: AbortSignal): Promise<void> {
    if (this.changed || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => (this.wake = () => { this.wake = undefined; resolve(); }));
  }

  close(): void {
    clearTimeout(this.timer);
    this.watcher.close();
  }
}

const clock = () => new Date().toTimeString().slice(0, 8);

export async function runOnce(opts: WatchOptions, n: number): Promise<RunResult> {
  const out = (text: string) => opts.stdout.write(`${text}\n`);
  // A terminal gets a clean screen per run; a pipe or log gets a separator line instead.
  if (opts.stdout.isTTY) opts.stdout.write("\x1b[2J\x1b[3J\x1b[H");
  else if (n > 1) out(`\n${"─".repeat(72)}`);
  out(`rootlab watch · ${opts.file} · run ${n} at ${clock()}${opts.strict ? " · strict" : ""}`);
  // Read, parsed and linted once: the lab run's safety gate gets the same lint result (lintOnce).
  const parsed = await loadLab(opts.file);
  const diagnostics = sortDiagnostics(parsed.ok ? [...parsed.warnings, ...(await lintOnce(parsed.lab))] : parsed.diagnostics);
  // On a terminal the diagnostics wrap at words, as `rootlab lint` prints them (the terminal would cut words).
  for (const d of diagnostics) out(diagnosticText(d, opts.stdout.isTTY ? opts.stdout.columns : undefined));
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  if (!parsed.ok || errors > 0) {
    out(`\n✗ lint: ${errors} error${errors === 1 ? "" : "s"} — not verified. Fix ${errors === 1 ? "it" : "them"} and save again.`);
    return { kind: "lint-errors", errors };
  }
  const warnings = diagnostics.length;
  out(warnings > 0 ? `lint: ${warnings} warning${warnings === 1 ? "" : "s"}\n` : "lint: clean\n");
  const reporters = createReporters({ report: "console", stdout: opts.stdout, stderr: opts.stderr });
  const emit = (e: RunEvent) => reporters.forEach((r) => r.onEvent(e));
  opts.onRunning?.(emit);
  let summaries: LabSummary[] = [];
  try {
    summaries = await verifyLabs(planLabs([parsed.lab], { strict: opts.strict }), { emit, strict: opts.strict, permit: opts.permit, signal: opts.signal });
  } finally {
    opts.onRunning?.(undefined);
    await Promise.all(reporters.map((r) => r.close()));
  }
  return { kind: "verified", summary: summaries[0] };
}

function verdict(result: RunResult): string {
  if (result.kind === "lint-errors") return "✗ lint errors";
  const outcome = result.summary?.outcome;
  if (!outcome) return "✗ not run";
  if (outcome.status === "pass") return "✓ passed";
  return `${outcome.status === "skipped" ? "–" : "✗"} ${outcome.status}: ${outcome.reason}`;
}

/** Run, then run again after every save, until the signal aborts. */
export async function watchLab(opts: WatchOptions): Promise<void> {
  const changes = new FileChanges(opts.file, opts.debounceMs ?? 200, opts.signal);
  try {
    for (let n = 1; !opts.signal.aborted; n++) {
      changes.take();
      const result = await runOnce(opts, n);
      if (opts.signal.aborted) break;
      opts.stdout.write(`\n${verdict(result)} · watching ${basename(opts.file)} for changes (Ctrl-C to stop)\n`);
      await changes.next(opts.signal);
    }
  } finally {
    changes.close();
  }
}

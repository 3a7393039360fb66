// rootlab verify: run labs non-interactively — every step, solutions, checks, cleanup, leak check — and report.
import { rootlabCommand } from "../../core/rootlab-command.js";
import type { Command } from "../command.js";
import type { LabSummary, RunEvent } from "../../exec/types.js";
import { UsageError } from "../../core/errors.js";
import { loadLabsFor } from "../load-labs.js";
import { trapInterrupts, signalExitCode } from "../../core/interrupts.js";
import { assertMayExecute } from "../../host/guard.js";
import { planLabs, verifyLabs } from "../../exec/verify-labs.js";
import { createReporters } from "../../report/index.js";
import { deferredSink } from "../../report/deferred-sink.js";
import { diagnosticText } from "../../term/diagnostic-text.js";
import { flakySteps } from "../../exec/repeat.js";
import { flushRoom, roomFor, roomObserver, roomHelp, ROOM_OPTIONS } from "../room-options.js";

const REPORTS = ["console", "json", "junit", "tap"] as const;
type ReportKind = (typeof REPORTS)[number];

const HELP = `Usage: rootlab verify <lab-id|path>... [options]
       rootlab verify --all [options]

Runs each lab non-interactively as root: every step's setup, commands and solutions, its expect blocks and
named checks, then the cleanups and a leak check (network namespaces, links, mounts, loop devices, processes,
firewall rules, cgroups, files). A lab whose \`requires:\` cannot be met here is reported as skipped, with the reason.

Options:
  --all                 Every lab in the labs folder (skipped labs allowed)
  --strict              Also run each step's checks before the step (a check that already passes fails)
                        and each wrong attempt (sh wrong block), which a check must reject
  --report <kind>       console (default), json, junit or tap
  --out <file>          Write the json/junit/tap report to this file (default: stdout)
  --from <step>         Replay earlier steps without checks, then check from this step on (number, slug or title)
  --only <step>         Replay earlier steps, check only this step, skip the rest
  --repeat <n>          Run each lab n times and report steps whose result changed (flaky checks)
  --explain             After each step, say what it changed on the machine (namespaces, links, addresses,
                        routes, firewall, mounts, roots, PIDs, cgroups) and draw the wiring; in the JSON
                        report as steps[].changes
  --labs-dir <dir>      Where lab ids are looked up (default: $ROOTLAB_LABS, else ./labs if it has labs, else rootlab's)
  --disposable          Declare this machine disposable (instead of /etc/rootlab/disposable)
  -v, --verbose         Stream every command's output live
${roomHelp(24)}
  -h, --help            Show this help

Exit codes: 0 all passed (skips allowed with --all); 1 a step, check, cleanup or leak check failed;
2 invalid lab or usage; 3 refused (not root, not disposable, or a named lab cannot run here).

Examples:
  sudo rootlab verify chroot
  sudo rootlab verify --all --strict --report junit --out reports/labs.xml
  sudo rootlab verify labs/03-netns-veth.md --only 2
  sudo rootlab verify netns-veth --explain`;

function exitCodeFor(summaries: LabSummary[], all: boolean): number {
  if (summaries.some((s) => s.outcome.status === "fail" || s.outcome.status === "error")) return 1;
  if (!all && summaries.some((s) => s.outcome.status === "skipped")) return 3;
  return 0;
}

export const command: Command = {
  name: "verify",
  summary: "Run labs non-interactively and check every step (instructors, CI)",
  help: HELP,
  allowPositionals: true,
  options: {
    all: { type: "boolean" },
    strict: { type: "boolean" },
    report: { type: "string" },
    out: { type: "string" },
    from: { type: "string" },
    only: { type: "string" },
    repeat: { type: "string" },
    "labs-dir": { type: "string" },
    disposable: { type: "boolean" },
    verbose: { type: "boolean", short: "v" },
    explain: { type: "boolean" },
    ...ROOM_OPTIONS,
  },
  async run({ values, positionals }) {
    const report = (values.report ?? "console") as ReportKind;
    if (!REPORTS.includes(report)) throw new UsageError(`--report must be one of ${REPORTS.join(", ")}, got "${String(values.report)}".`);
    const repeat = values.repeat === undefined ? 1 : Number(values.repeat);
    if (!Number.isInteger(repeat) || repeat < 1) throw new UsageError(`--repeat needs a whole number ≥ 1, got "${String(values.repeat)}".`);
    const all = Boolean(values.all);
    if (values.out && report === "console") throw new UsageError(`--out writes a machine report: add --report json, junit or tap.\nExample: ${rootlabCommand()} verify chroot --report junit --out reports/chroot.xml`);
    const { labs, warnings } = await loadLabsFor(positionals, { all, forRun: true, ...(values["labs-dir"] ? { dir: String(values["labs-dir"]) } : {}) });
    if ((values.from || values.only) && labs.length !== 1) throw new UsageError("--from and --only work on one lab at a time.");
    // Planned once, now: mistakes in --from/--only are usage errors, found before the lock is taken or anything runs.
    const strict = Boolean(values.strict);
    const planned = planLabs(labs, { strict, ...(values.from ? { from: String(values.from) } : {}), ...(values.only ? { only: String(values.only) } : {}) });
    const permit = assertMayExecute({ disposableFlag: Boolean(values.disposable) });
    for (const w of warnings) process.stderr.write(`${diagnosticText(w, process.stderr.isTTY ? process.stderr.columns : undefined)}\n`);

    const reporters = createReporters({
      report,
      ...(values.out ? { out: String(values.out) } : {}),
      stdout: process.stdout,
      stderr: process.stderr,
      verbose: Boolean(values.verbose),
    });
    // A workshop room (--room) hears the run too; verify never waits at its pace gate.
    const room = await roomFor(values, false);
    const toRoom = room ? roomObserver(room) : undefined;
    // Reporting lags one event-loop turn so that it overlaps the shell's run of the next block (deferred-sink.ts);
    // everything written to the terminal directly below flushes it first.
    const { emit, flush } = deferredSink((e: RunEvent) => {
      reporters.forEach((r) => r.onEvent(e));
      toRoom?.(e);
    });
    const say = (text: string) => {
      flush();
      process.stderr.write(text);
    };
    const interrupts = trapInterrupts(
      (sig) => emit({ type: "interrupted", signal: sig }),
      () => say("rootlab: still cleaning up — please wait; it stops by itself.\n"),
    );
    const runs: LabSummary[][] = [];
    try {
      for (let i = 0; i < repeat && !interrupts.signal.aborted; i++) {
        if (repeat > 1) say(`\nrootlab verify: run ${i + 1} of ${repeat}\n`);
        runs.push(
          await verifyLabs(planned, {
            emit,
            strict,
            permit,
            signal: interrupts.signal,
            onLockWait: (pid) => say(`rootlab: another rootlab run (PID ${pid}) is using this machine; waiting for it to finish…\n`),
            ...(values.explain ? { explain: true } : {}),
          }),
        );
      }
    } finally {
      flush();
      interrupts.dispose();
      await Promise.all(reporters.map((r) => r.close()));
      await flushRoom(room);
    }
    const flaky = repeat > 1 ? flakySteps(runs) : [];
    if (repeat > 1 && !interrupts.received()) {
      process.stderr.write(flaky.length === 0 ? `\nrepeat: no step changed its result across ${runs.length} runs\n` : `\nrepeat: ${flaky.length} flaky step${flaky.length === 1 ? "" : "s"} (result changed between runs):\n`);
      for (const f of flaky) process.stderr.write(`  flaky: ${f}\n`);
    }
    const sig = interrupts.received();
    if (sig) return signalExitCode(sig);
    const worst = Math.max(...runs.map((r) => exitCodeFor(r, all)));
    return flaky.length > 0 ? Math.max(worst, 1) : worst;
  },
};

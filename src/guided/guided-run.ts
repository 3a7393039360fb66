// A whole guided lab: where to start (progress, --from), re-establishing earlier steps, each step in turn,
// progress saved after every step — and the lab's cleanup on every way out (done, quit, Ctrl-C, SIGHUP).
import type { Lab, Step } from "../format/types.js";
import { wrapText } from "../term/wrap.js";
import { LabRun } from "../exec/lab-run.js";
import type { LabSummary } from "../exec/types.js";
import { findStep } from "../plan/plan.js";
import { RefusedError } from "../core/errors.js";
import { signalExitCode } from "../core/interrupts.js";
import { trapGuidedInterrupts } from "./interrupts.js";
import type { MayExecute } from "../host/guard.js";
import { checkRequires } from "../host/preflight.js";
import { createStyle } from "../term/style.js";
import { createLiveOutput } from "./live-output.js";
import { printer, type Guided, type StepEnd } from "./context.js";
import type { View } from "./render.js";
import { showIntro } from "./lab-intro.js";
import { guideStep } from "./step-flow.js";
import { betweenSteps, StepTranscript } from "./between-steps.js";
import { showExplanation } from "./explanation-screen.js";
import { MachineChanges } from "./machine-changes.js";
import { reestablish } from "./replay.js";
import { choose, whenNoPrompt } from "./prompts.js";
import { hintsSaid, hintsSeenIn, loadProgress, progressLocation, recordStep, summarizeProgress, type LabProgress } from "./progress.js";
import { cleanupReport, finalWords, learnersOwn, unmetReport } from "./run-messages.js";
import type { GuidedRoom } from "./room-hooks.js";

export interface GuidedOptions {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  /** Step to start at (slug, number or title); earlier steps are re-established. Default: first unfinished. */
  from?: string;
  /** The machine may run labs: the command asked assertMayExecute before anything was shown. */
  permit: MayExecute;
  /** --disposable was given (the resume hint repeats it). */
  disposableFlag?: boolean;
  /** The lab was named by its file path (not its id): the resume hint then names the path too. */
  openedByPath?: boolean;
  /** A workshop room following the run (events, pace gate, raise hand). */
  room?: GuidedRoom;
}

/** Where to begin, and the hints already seen in steps the learner started but did not finish. */
type Start = { kind: "at"; index: number; hintsSeen: Map<string, number[]> } | { kind: "quit" };

function hintsSeen(progress: LabProgress | undefined): Map<string, number[]> {
  const seen = new Map<string, number[]>();
  for (const [slug, rec] of Object.entries(progress?.steps ?? {})) if (!rec.done) seen.set(slug, hintsSeenIn(rec));
  return seen;
}

async function startingPoint(lab: Lab, opts: GuidedOptions, print: (s: string) => void, signal: AbortSignal, view: View): Promise<Start> {
  const loc = progressLocation();
  const { data, warnings } = await loadProgress(loc);
  for (const w of warnings) print(view.style.chalk.yellow(`warning: ${w}`));
  const progress = data.labs[lab.meta.id];
  if (opts.from) return { kind: "at", index: findStep(lab, opts.from).index, hintsSeen: hintsSeen(progress) };
  const summary = summarizeProgress(lab, progress);
  if (summary.nextStep !== undefined) {
    if (summary.nextStep > 0) print(`Welcome back: resuming at step ${summary.nextStep + 1}/${lab.steps.length}.`);
    return { kind: "at", index: summary.nextStep, hintsSeen: hintsSeen(progress) };
  }
  print(view.style.chalk.green(`You have completed this lab (${hintsSaid(summary)}).`));
  const again = await choose("Go through it again?", [{ value: "again", label: "Yes, from step 1" }, { value: "quit", label: "No, quit" }], { ...opts, signal });
  return again.kind === "chosen" && again.value === "again" ? { kind: "at", index: 0, hintsSeen: new Map() } : { kind: "quit" };
}

async function saveStep(g: Guided, step: Step, end: StepEnd): Promise<void> {
  try {
    const change = end.kind === "quit" ? {} : { done: true, skipped: end.kind === "skipped" };
    await recordStep(g.lab.meta.id, step.slug, { ...change, hintsAdded: end.hintsUsed, hintsSeen: end.hintsSeen });
  } catch (err) {
    g.print(g.view.style.chalk.yellow(`warning: could not save your progress to ${progressLocation().file}: ${(err as Error).message}`));
  }
}

/** Runs the lab with the learner. Returns the exit code. */
export async function guideLab(lab: Lab, opts: GuidedOptions): Promise<number> {
  // The machine was checked by the command (opts.permit) before anything was said; the lab's needs are checked
  // here, before "Welcome back": no greeting on a machine where the lab cannot run.
  const unmet = (await checkRequires(lab.meta.requires, lab.meta.uses)).filter((i) => !i.met);
  if (unmet.length > 0) throw new RefusedError(unmetReport(lab, unmet));
  const style = createStyle(opts.stdout);
  // The width is read at each use: a terminal resized (during a typed turn, at a question) gets text that fits it.
  const view: View = {
    style,
    get width() {
      return Math.max(40, Math.min(opts.stdout.columns || 80, 100));
    },
  };
  const toTerminal = printer(opts.stdout);
  // After SIGHUP nothing more is written: the terminal is gone (or the learner asked it to be let go).
  const print = (text: string) => {
    if (!interrupts.terminalGone()) toTerminal(text);
  };
  const live = createLiveOutput(opts.stdout, style);
  const interrupts = trapGuidedInterrupts(
    opts,
    (sig) => {
      // The block in flight is being stopped: its last output and the spinner would only clutter the screen.
      live.setQuiet(true);
      // At a question, after it has drawn its last line ("✖ What now? · Ctrl-C"), or that draw would erase this.
      whenNoPrompt(() => print(`\n${style.chalk.yellow(`Interrupted (${sig}): cleaning up${style.sym.ellipsis}`)}`));
    },
    () => whenNoPrompt(() => print(style.chalk.yellow("Still cleaning up; rootlab stops as soon as the lab's resources are removed."))),
  );
  try {
    const start = await startingPoint(lab, opts, print, interrupts.signal, view);
    if (start.kind === "quit") {
      const sig = interrupts.received();
      return sig ? signalExitCode(sig) : 0;
    }
    print(style.chalk.dim(`Preparing lab ${lab.meta.id}${style.sym.ellipsis}`));
    const transcript = new StepTranscript();
    const machine = new MachineChanges();
    const openRun = () => LabRun.open(lab, {
      explain: true,
      emit: (e) => {
        // Shown after the step's explanation (below), folded to fit beside the output it follows.
        if (e.type === "step-changes") machine.take(e, view, opts.stdout.rows || 24);
        live.sink(e);
        opts.room?.observe(e);
        if (e.type === "block-start") transcript.startBlock(e.block.line);
        if (e.type === "output" && !live.quiet()) transcript.addOutput(e.block.line, e.chunk);
      },
      permit: opts.permit,
      signal: interrupts.signal,
      onLockWait: (pid) => print(style.chalk.yellow(wrapText(`Another rootlab run (PID ${pid}) is using this machine; waiting for it to finish${style.sym.ellipsis} (Ctrl-C to give up)`, view.width))),
    });
    const opened = await openRun();
    if (opened.kind === "unmet") throw new RefusedError(unmetReport(lab, opened.items));
    if (opened.kind === "error") {
      print(style.chalk.red(wrapText(`rootlab could not prepare lab ${lab.meta.id}: ${opened.reason}`, view.width)));
      return 1;
    }
    const recorded = (text: string) => {
      transcript.add(`${text}\n`);
      print(text);
    };
    const g: Guided = { lab, run: opened.run, term: { stdin: opts.stdin, stdout: opts.stdout, signal: interrupts.signal }, view, live, print: recorded, transcript, ...(opts.room ? { room: opts.room } : {}) };
    let quit = false;
    let summary: LabSummary | undefined;
    // The step the learner is at (where the resume line points when they jumped ahead with --from).
    let leftAt: number | undefined;
    try {
      // A lab opened at its start: its introduction, read before step 1 (the learner says when to begin).
      if (start.index === 0 && (await showIntro(lab, g.term, view, print)) === "quit") quit = true;
      let index = start.index;
      const replay = await reestablish(g, lab.steps.slice(0, index));
      if (index > 0) await g.run.markExplained();
      if (replay.kind === "interrupted") quit = true;
      else if (replay.kind === "failed") {
        print(style.chalk.yellow(`Could not re-create step ${replay.step.index + 1} (${replay.reason}).`));
        if (replay.output.trim()) print(style.chalk.dim(replay.output.trim()));
        print(`You continue from step ${replay.step.index + 1} instead; do it again with rootlab.`);
        index = replay.step.index;
      }
      for (let i = index; i < lab.steps.length && !quit; ) {
        const step = lab.steps[i] as Step;
        // The instructor's pace gate (never for verify): wait here until the room releases this step.
        await opts.room?.waitForStep(lab, step, (text) => print(wrapText(text, view.width)), interrupts.signal);
        if (interrupts.received()) break;
        leftAt = step.index;
        const t0 = Date.now();
        const end = await guideStep(g, step, start.hintsSeen.get(step.slug) ?? []);
        if (interrupts.received() || end.kind === "quit") {
          quit = true;
          g.run.endStep(step, { status: "skipped", reason: "the learner quit" }, t0);
          await saveStep(g, step, { ...end, kind: "quit" });
          break;
        }
        if (end.kind === "rebuild") {
          // A session the step needs is gone: a new run, the earlier steps re-created, this step from its start.
          g.run.endStep(step, { status: "skipped", reason: "its session ended; started again" }, t0);
          await saveStep(g, step, { ...end, kind: "quit" });
          print(style.chalk.dim(`\nStarting step ${step.index + 1} again: cleaning up lab ${lab.meta.id} first${style.sym.ellipsis}`));
          print(cleanupReport(await g.run.finish(), view, g.run.learnerTyped));
          const again = await openRun();
          if (again.kind !== "ready") {
            print(style.chalk.red(`rootlab could not prepare lab ${lab.meta.id} again: ${again.kind === "error" ? again.reason : "its requirements are no longer met"}`));
            return 1;
          }
          g.run = again.run;
          const rebuilt = await reestablish(g, lab.steps.slice(0, step.index));
          if (step.index > 0) await g.run.markExplained();
          if (rebuilt.kind === "interrupted") quit = true;
          else if (rebuilt.kind === "failed") {
            print(style.chalk.yellow(`Could not re-create step ${rebuilt.step.index + 1} (${rebuilt.reason}); step ${step.index + 1} may meet a different machine.`));
          }
          continue;
        }
        await g.run.explainStep(step);
        g.run.endStep(step, end.kind === "passed" ? { status: "pass" } : { status: "skipped", reason: "skipped by the learner" }, t0);
        await saveStep(g, step, end);
        leftAt = step.index + 1;
        // A step done (or skipped and done by rootlab) is explained, beside the output it talks about.
        const explain = end.kind === "passed" ? "done" : end.problem === undefined ? "skipped" : undefined;
        // What the step changed on the machine comes after its explanation, paged with it.
        const changed = machine.flush();
        if (explain && (await showExplanation(step, explain, transcript, g.term, view, recorded, changed ? changed.split("\n") : [])) === "quit") {
          quit = true;
          break;
        }
        if (!explain && changed) recorded(`\n${changed}`);
        if (step.index < lab.steps.length - 1 && (await betweenSteps(lab, step, transcript, g.term, machine)) === "quit") {
          quit = true;
          break;
        }
        transcript.reset();
        i++;
      }
    } finally {
      live.setQuiet(true);
      print(style.chalk.dim(`\nCleaning up lab ${lab.meta.id}${style.sym.ellipsis}`));
      summary = await g.run.finish();
      print(cleanupReport(summary, view, g.run.learnerTyped));
    }
    // However the learner left (Quit, Ctrl-C at a prompt or during a command, SIGTERM), the same last words:
    // where to resume. Only a terminal that hung up hears nothing more.
    const sig = interrupts.received();
    print(await finalWords(lab, view, Boolean(opts.openedByPath), Boolean(opts.disposableFlag), leftAt));
    if (sig) return signalExitCode(sig);
    return summary.outcome.status === "pass" || learnersOwn(summary, g.run.learnerTyped) ? 0 : 1;
  } finally {
    interrupts.dispose();
  }
}

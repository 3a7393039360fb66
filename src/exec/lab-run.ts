// One run of one lab: the step-level engine that `verify` and guided mode both drive.
// Owns the lab's resources (./lab-resources.ts: lock, LAB_DIR, sessions) and the cleanup stack, and guarantees
// they are released by finish(): cleanups (./lab-cleanup.ts), then the leak check (./lab-leak-check.ts).
import type { Block, Lab, Step } from "../format/types.js";
import type { Leak, LabSummary, LearnerTerminal, Outcome, PreflightItem, Sessions, StepSummary, TypedTurn, WrongAttemptResult } from "./types.js";
import { runWrongAttempts, type WrongAttemptsRun } from "./wrong-attempts.js";
import { runBlock, runCheck, type BlockRun, type CheckRun, type RunContext } from "./block-run.js";
import { typedTurn } from "./typed-turn.js";
import { runCleanups } from "./lab-cleanup.js";
import { acquireResources, observedSessions, type LabResources, type ResourceOptions } from "./lab-resources.js";
import { checkLeaks } from "./lab-leak-check.js";
import { releaseFixtures } from "../host/fixtures/index.js";
import { removeLabDir } from "../host/workdir.js";
import type { MayExecute } from "../host/guard.js";

export type { BlockRun, CheckRun } from "./block-run.js";

export interface LabRunOptions extends ResourceOptions {
  strict?: boolean;
  /** The machine may run labs: the command asked assertMayExecute once, before anything else. */
  permit: MayExecute;
  /** Aborting interrupts the block in flight (Ctrl-C); finish() must still be called. */
  signal?: AbortSignal;
}

export type OpenResult =
  | { kind: "ready"; run: LabRun }
  | { kind: "unmet"; items: PreflightItem[] }
  | { kind: "error"; reason: string };

export class LabRun {
  private readonly cleanups: { block: Block; stepIndex: number }[] = [];
  private readonly steps: StepSummary[] = [];
  private readonly problems: string[] = [];
  private readonly startedAt = Date.now();
  private finishing?: Promise<LabSummary>;
  private readonly ctx: RunContext;

  private constructor(
    readonly lab: Lab,
    private readonly opts: LabRunOptions,
    private readonly res: LabResources,
  ) {
    this.ctx = { sessions: res.sessions, emit: opts.emit, labId: lab.meta.id, file: lab.file, ...(opts.signal ? { signal: opts.signal } : {}) };
  }

  get sessions(): Sessions {
    return this.res.sessions;
  }

  /** Whether the learner typed into one of the lab's shells: what is left running at the end may then be theirs. */
  learnerTyped = false;

  /** The learner types into a session's own shell (guided mode); the turn is told as typed-shell events. */
  typeInto(session: string, terminal: LearnerTerminal): Promise<TypedTurn> {
    this.learnerTyped = true;
    return typedTurn(this.res.sessions, this.opts.emit, this.lab.meta.id, session, terminal);
  }

  get labDir(): string {
    return this.res.labDir;
  }

  /**
   * The safety gate, preflight, lock, LAB_DIR, fixtures, sessions (./lab-resources.ts). Emits lab-start and
   * preflight. The machine guard is the caller's (permit).
   */
  static async open(lab: Lab, opts: LabRunOptions): Promise<OpenResult> {
    const got = await acquireResources(lab, opts);
    return got.kind === "ready" ? { kind: "ready", run: new LabRun(lab, opts, got.res) } : got;
  }

  /** Registers the step's cleanup blocks (they run at the end even if the step fails) and emits step-start. */
  beginStep(step: Step, how: "work" | "replay" = "work"): void {
    for (const block of step.blocks) if (block.role === "cleanup") this.cleanups.push({ block, stepIndex: step.index });
    this.opts.emit({ type: "step-start", labId: this.lab.meta.id, step, ...(how === "replay" ? { replay: true as const } : {}) });
  }

  async runSetup(step: Step): Promise<Outcome> {
    for (const block of step.blocks.filter((b) => b.role === "setup")) {
      const run = await this.runBlock(step, block);
      if (run.outcome.status !== "pass") return run.outcome;
    }
    return { status: "pass" };
  }

  runBlock(step: Step, block: Block): Promise<BlockRun> {
    return runBlock(this.ctx, step.index, block);
  }

  async runChecks(step: Step, phase: "before" | "after"): Promise<CheckRun[]> {
    const runs: CheckRun[] = [];
    for (const block of step.blocks.filter((b) => b.role === "verify")) runs.push(await runCheck(this.ctx, step, block, phase));
    return runs;
  }

  /** The step's work, as a verify run does it: setup, then commands and solutions in document order. */
  async runWork(step: Step): Promise<Outcome> {
    const setup = await this.runSetup(step);
    if (setup.status !== "pass") return setup;
    return this.runCommands(step);
  }

  /** verify --strict: each wrong attempt, the checks that must reject it, its undo (after setup, before the commands). */
  runWrongAttempts(step: Step): Promise<WrongAttemptsRun> {
    return runWrongAttempts(this.ctx, step);
  }

  /** The step's commands and solutions in document order, each compared with its expected output. */
  async runCommands(step: Step): Promise<Outcome> {
    const blocks = step.blocks.filter((b) => b.role === "command" || b.role === "solution");
    for (const [i, block] of blocks.entries()) {
      // The next one is made ready while this one runs (only what runs in the session's own shell).
      const next = blocks[i + 1];
      this.res.sessions.expectNext?.(next && !next.enter && !next.background ? { session: next.session, code: next.code, mode: "script" } : undefined);
      const run = await this.runBlock(step, block);
      if (run.outcome.status !== "pass") return run.outcome;
    }
    return { status: "pass" };
  }

  /** Re-establish the state a step leaves behind, without its checks (resume, --from). */
  replayStep(step: Step): Promise<Outcome> {
    return this.runWork(step);
  }

  endStep(step: Step, outcome: Outcome, startedAt?: number, wrongAttempts?: WrongAttemptResult[]): StepSummary {
    const summary: StepSummary = { index: step.index, title: step.title, slug: step.slug, outcome, durationMs: startedAt ? Date.now() - startedAt : 0, ...(wrongAttempts?.length ? { wrongAttempts } : {}) };
    this.steps.push(summary);
    this.opts.emit({ type: "step-end", labId: this.lab.meta.id, summary });
    return summary;
  }

  /** With `explain`: what the step changed on the machine, emitted as step-changes. Call after its checks. */
  async explainStep(step: Step): Promise<void> {
    const { explainer } = this.res;
    if (!explainer) return;
    const e = await explainer.step(observedSessions(this.res.sessions));
    this.opts.emit({ type: "step-changes", labId: this.lab.meta.id, stepIndex: step.index, changes: e.changes, ...(e.wiring ? { wiring: e.wiring } : {}), costMs: e.costMs });
  }

  /** With `explain`: steps replayed (resume, --from) are not the next step's doing; compare from here on. */
  async markExplained(): Promise<void> {
    await this.res.explainer?.mark(observedSessions(this.res.sessions));
  }

  /** Cleanups (newest step first, then ## Cleanup in reverse order), sessions closed, leak check, LAB_DIR removed. */
  finish(): Promise<LabSummary> {
    this.finishing ??= this.doFinish();
    return this.finishing;
  }

  private async doFinish(): Promise<LabSummary> {
    const { emit } = this.opts;
    const labId = this.lab.meta.id;
    this.problems.push(...(await runCleanups({ lab: this.lab, stepCleanups: this.cleanups, ctx: this.ctx, env: this.res.env, labDir: this.res.labDir })));
    const strays = await this.res.sessions.close();
    if (this.res.explainer) {
      const t0 = performance.now();
      const left = await this.res.explainer.sinceStart([]).catch(() => []);
      emit({ type: "step-changes", labId, stepIndex: -1, changes: left, costMs: performance.now() - t0 });
    }
    const { leaks, left, others, error } = await checkLeaks({ lab: this.lab, emit, before: this.res.before, runId: this.res.runId, labDir: this.res.labDir, strays });
    if (error !== undefined) this.problems.push(`leak check could not run: ${error}`);
    await releaseFixtures(this.res.labDir);
    await removeLabDir(this.res.labDir).catch((err: Error) => this.problems.push(`could not remove LAB_DIR ${this.res.labDir}: ${err.message}`));
    this.problems.push(...(await this.res.release()));
    const summary: LabSummary = {
      id: labId,
      title: this.lab.title,
      file: this.lab.file,
      outcome: this.outcome(leaks),
      durationMs: Date.now() - this.startedAt,
      steps: this.steps,
      leaks,
      ...(left.length > 0 ? { left } : {}),
      ...(others.length > 0 ? { others } : {}),
    };
    emit({ type: "lab-end", summary });
    return summary;
  }

  private outcome(leaks: Leak[]): Outcome {
    const failed = this.steps.find((s) => s.outcome.status === "fail" || s.outcome.status === "error");
    if (failed && (failed.outcome.status === "fail" || failed.outcome.status === "error")) {
      return { status: failed.outcome.status, reason: `step ${failed.index + 1} "${failed.title}": ${failed.outcome.reason}` };
    }
    if (this.problems.length > 0) return { status: "fail", reason: this.problems.join("; ") };
    if (leaks.length > 0) return { status: "fail", reason: `leaked: ${leaks.map((l) => `${l.kind} ${l.name}`).join(", ")}` };
    return { status: "pass" };
  }
}

// Folds the RunEvent stream into one record per lab run, for the reports written at the end (JSON, JUnit, TAP).
// Tolerates partial streams (an interrupted run, a lab that never started) and `verify --repeat`, which sends
// several run-start … run-end sequences through the same reporters.
import type { Block, Lab } from "../format/types.js";
import type { Change } from "../explain/types.js";
import { findBlock } from "./find-block.js";
import type {
  BlockRef, BlockResult, CheckPhase, ExpectMismatch, Leak, LabSummary, NetGuardStatus, Outcome, PreflightItem, RunEvent, WrongAttemptResult,
} from "../exec/types.js";

export interface BlockRecord {
  /** block: a command, solution or setup block; check: a verify block; cleanup: a cleanup block at lab end. */
  kind: "block" | "check" | "cleanup";
  ref: BlockRef;
  /** The block itself, when the lab was seen (lab-start): code, expected exit, expect spec. */
  block?: Block;
  phase?: CheckPhase;
  attempts?: number;
  outcome: Outcome;
  result: BlockResult;
  expect?: ExpectMismatch;
}

export interface StepReport {
  index: number;
  title: string;
  slug: string;
  outcome: Outcome;
  durationMs: number;
  blocks: BlockRecord[];
  /** The step's first hint (Markdown), when the lab was seen. */
  hint?: string;
  /** verify --strict: what each wrong attempt of the step did. */
  wrongAttempts?: WrongAttemptResult[];
  /** verify --explain: what the step changed on the machine. */
  changes?: Change[];
}

export interface FixtureRecord {
  name: string;
  path: string;
  status: "cached" | "built" | "downloaded";
}

export interface LabReport {
  id: string;
  title: string;
  file: string;
  /** 1-based repetition (`verify --repeat`); 1 normally. */
  run: number;
  /** When lab-start arrived (undefined: the lab never started). */
  startedAt?: Date;
  outcome: Outcome;
  durationMs: number;
  preflight: PreflightItem[];
  fixtures: FixtureRecord[];
  /** The host's guard route for the labs' range during the run (src/host/net-guard.ts); undefined: not reached. */
  netGuard?: NetGuardStatus;
  steps: StepReport[];
  cleanup: BlockRecord[];
  /** undefined: the leak check did not run (lab skipped or stopped before it). */
  leaks?: Leak[];
  /** verify --explain: what differs from the start once the cleanups ran (nothing, for a lab that cleans up). */
  changesAfterCleanup?: Change[];
}

export interface RunReport {
  startedAt: Date;
  durationMs: number;
  strict: boolean;
  /** The signal that interrupted the run, if one did. */
  interrupted?: string;
  labs: LabReport[];
}

interface LabState {
  id: string;
  file: string;
  run: number;
  lab?: Lab;
  startedAt?: Date;
  preflight: PreflightItem[];
  fixtures: FixtureRecord[];
  netGuard?: NetGuardStatus;
  blocks: Map<number, BlockRecord[]>;
  /** Steps that had a step-start (a step that started and never ended was cut short). */
  started: Set<number>;
  cleanup: BlockRecord[];
  leaks?: Leak[];
  summary?: LabSummary;
  /** step index → what the step changed (-1: after the cleanups). */
  changes: Map<number, Change[]>;
}

export class RunCollector {
  private readonly labs: LabState[] = [];
  private startedAt?: Date;
  private runs = 0;
  private durationMs = 0;
  private strict = false;
  private interrupted?: string;

  constructor(private readonly now: () => Date = () => new Date()) {}

  onEvent(e: RunEvent): void {
    switch (e.type) {
      case "run-start":
        this.startedAt ??= this.now();
        this.runs++;
        this.strict = e.strict;
        for (const l of e.labs) this.labs.push(this.fresh(l.id, l.file));
        return;
      case "run-end":
        this.durationMs += e.durationMs;
        for (const s of e.labs) this.state(s.id, s.file).summary ??= s;
        return;
      case "interrupted":
        this.interrupted ??= e.signal;
        return;
      case "lab-start": {
        const state = this.state(e.lab.meta.id, e.lab.file);
        state.lab = e.lab;
        state.startedAt = this.now();
        return;
      }
      case "preflight":
        this.state(e.labId).preflight = e.items;
        return;
      case "step-start":
        this.state(e.labId).started.add(e.step.index);
        return;
      case "fixture":
        this.state(e.labId).fixtures.push({ name: e.name, path: e.path, status: e.status });
        return;
      case "net-guard":
        this.state(e.labId).netGuard = e.guard;
        return;
      case "block-end":
        this.add(e.block, { kind: "block", ref: e.block, outcome: e.outcome, result: e.result, ...(e.expect ? { expect: e.expect } : {}) });
        return;
      case "check":
        this.add(e.block, { kind: "check", ref: e.block, phase: e.phase, attempts: e.attempts, outcome: e.outcome, result: e.result });
        return;
      case "cleanup-block": {
        const state = this.state(e.block.labId, e.block.file);
        state.cleanup.push({ kind: "cleanup", ref: e.block, outcome: e.outcome, result: e.result, ...withBlock(state.lab, e.block) });
        return;
      }
      case "leak-check":
        this.state(e.labId).leaks = e.leaks;
        return;
      case "step-changes":
        this.state(e.labId).changes.set(e.stepIndex, e.changes);
        return;
      case "lab-end":
        this.state(e.summary.id, e.summary.file).summary = e.summary;
        return;
      default:
        return; // block-start, output, step-end, cleanup-start, wrong-attempt: the summaries carry what reports need
    }
  }

  report(): RunReport {
    return {
      startedAt: this.startedAt ?? this.now(),
      durationMs: this.durationMs,
      strict: this.strict,
      ...(this.interrupted ? { interrupted: this.interrupted } : {}),
      labs: this.labs.map((s) => this.finish(s)),
    };
  }

  private fresh(id: string, file: string): LabState {
    return { id, file, run: Math.max(1, this.runs), preflight: [], fixtures: [], blocks: new Map(), started: new Set(), cleanup: [], changes: new Map() };
  }

  /** The latest record for this lab (a repeated run adds a new one per run-start). */
  private state(id: string, file?: string): LabState {
    for (let k = this.labs.length - 1; k >= 0; k--) if (this.labs[k]!.id === id) return this.labs[k]!;
    const s = this.fresh(id, file ?? "");
    this.labs.push(s);
    return s;
  }

  private add(ref: BlockRef, record: BlockRecord): void {
    const state = this.state(ref.labId, ref.file);
    const list = state.blocks.get(ref.stepIndex) ?? [];
    list.push({ ...record, ...withBlock(state.lab, ref) });
    state.blocks.set(ref.stepIndex, list);
  }

  private finish(s: LabState): LabReport {
    const sum = s.summary;
    const unfinished = s.lab ? "the run ended before this lab finished" : "not run: the run ended before this lab started";
    const why = this.interrupted ? `${unfinished} (interrupted by ${this.interrupted})` : unfinished;
    const outcome: Outcome = sum?.outcome ?? (s.lab ? { status: "error", reason: why } : { status: "skipped", reason: why });
    return {
      id: s.id,
      title: sum?.title ?? s.lab?.title ?? s.id,
      file: sum?.file ?? s.lab?.file ?? s.file,
      run: s.run,
      ...(s.startedAt ? { startedAt: s.startedAt } : {}),
      outcome,
      durationMs: sum?.durationMs ?? 0,
      preflight: s.preflight,
      fixtures: s.fixtures,
      ...(s.netGuard ? { netGuard: s.netGuard } : {}),
      steps: steps(s, sum, why),
      cleanup: s.cleanup,
      ...(s.leaks ? { leaks: s.leaks } : {}),
      ...(s.changes.has(-1) ? { changesAfterCleanup: s.changes.get(-1) } : {}),
    };
  }
}

function withBlock(lab: Lab | undefined, ref: BlockRef): { block?: Block } {
  const block = findBlock(lab, ref);
  return block ? { block } : {};
}

/** Steps from the lab summary, then any the lab has that the summary lacks (not reached), in order. */
function steps(s: LabState, sum: LabSummary | undefined, why: string): StepReport[] {
  const byIndex = new Map<number, StepReport>();
  for (const st of sum?.steps ?? []) {
    byIndex.set(st.index, { ...st, blocks: s.blocks.get(st.index) ?? [] });
  }
  for (const step of s.lab?.steps ?? []) {
    if (byIndex.has(step.index)) continue;
    const ran = s.blocks.get(step.index) ?? [];
    const cutShort = ran.length > 0 || s.started.has(step.index);
    const outcome: Outcome = sum ? { status: "skipped", reason: "not reached" } : cutShort ? { status: "error", reason: why } : { status: "skipped", reason: why };
    byIndex.set(step.index, { index: step.index, title: step.title, slug: step.slug, outcome, durationMs: 0, blocks: ran });
  }
  for (const step of byIndex.values()) {
    const changes = s.changes.get(step.index);
    if (changes) step.changes = changes;
    const hint = s.lab?.steps[step.index]?.hints[0]?.markdown;
    if (hint !== undefined) step.hint = hint;
  }
  return [...byIndex.values()].sort((a, b) => a.index - b.index);
}

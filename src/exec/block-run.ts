// Runs one block through the sessions and judges it: exit status, expect, check polling. Emits events, never prints.
import type { Block, Step } from "../format/types.js";
import type { BlockRef, BlockResult, CheckPhase, EventSink, ExpectMismatch, Outcome, Sessions } from "./types.js";
import { matchExpect } from "../check/expect.js";
import { exitStatusInWords } from "../term/words.js";
import { scaled } from "./time-scale.js";

export interface BlockRun {
  block: Block;
  result: BlockResult;
  outcome: Outcome;
  expect?: ExpectMismatch;
}

export interface CheckRun {
  block: Block;
  result: BlockResult;
  outcome: Outcome;
  attempts: number;
}

export function blockRef(labId: string, file: string, stepIndex: number, block: Block): BlockRef {
  return { labId, file, stepIndex, role: block.role, line: block.line, session: block.session, ...(block.name ? { name: block.name } : {}) };
}

/** `exit` or `exit N` as a block's last command: the block means to end its session. */
export function endsSession(code: string): { status: number } | undefined {
  const last = code.split("\n").map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#")).at(-1) ?? "";
  const m = /^exit(?:\s+(\d{1,3}))?\s*;?$/.exec(last);
  return m ? { status: Number(m[1] ?? 0) } : undefined;
}

/** Why a finished block did not do what it should, in words; undefined when it did. */
export function judge(block: Block, result: BlockResult): string | undefined {
  if (result.kind === "session-died") {
    // Leaving a session with `exit` is how a person ends a shell: that block did what it said.
    const ending = endsSession(block.code);
    const status = result.exitCode ?? ending?.status;
    if (ending && status === block.exit) return undefined;
  }
  if (result.kind !== "ok") return result.reason ?? result.kind;
  if (result.exitCode === block.exit) return undefined;
  const where = result.failedLine ? ` at line ${result.failedLine}` : "";
  const inCode = result.failedLine !== undefined ? result.failedLine - block.codeLine : undefined;
  const got = `exited with status ${result.exitCode}${where} (${exitStatusInWords(result.exitCode, block.code, inCode)})`;
  return block.exit === 0 ? got : `${got}; expected status ${block.exit} (exit=${block.exit})`;
}

export interface RunContext {
  sessions: Sessions;
  emit: EventSink;
  labId: string;
  file: string;
  signal?: AbortSignal;
}

export async function runBlock(ctx: RunContext, stepIndex: number, block: Block, mode: "script" | "check" = "script"): Promise<BlockRun> {
  const ref = blockRef(ctx.labId, ctx.file, stepIndex, block);
  if (mode === "script") ctx.emit({ type: "block-start", block: ref });
  // What the student sees in a terminal: stdout and stderr in the order they arrived.
  let seen = "";
  const result = await ctx.sessions.run({
    code: block.code,
    codeLine: block.codeLine,
    session: block.session,
    ...(block.enter ? { enter: block.enter } : {}),
    timeoutMs: scaled(block.timeoutMs),
    background: block.background,
    mode,
    onOutput: (stream, chunk) => {
      seen += chunk;
      ctx.emit({ type: "output", block: ref, stream, chunk });
    },
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  let outcome: Outcome = { status: "pass" };
  let expect: ExpectMismatch | undefined;
  const problem = judge(block, result);
  if (problem) outcome = { status: "fail", reason: problem };
  else if (block.expect) {
    // stdout alone is the stable comparison; stdout+stderr as they arrived lets an author expect an error message.
    const onStdout = matchExpect(block.expect.lines, result.stdout);
    const match = onStdout.ok || !result.stderr ? onStdout : matchExpect(block.expect.lines, seen).ok ? { ok: true as const } : onStdout;
    if (!match.ok) {
      expect = match.mismatch;
      outcome = { status: "fail", reason: `output does not match the expect block at ${ctx.file}:${block.expect.line}` };
    }
  }
  // A command that failed exactly as exit=N said is not "the failing command".
  const shown: BlockResult = result.failedLine !== undefined && block.exit !== 0 && result.exitCode === block.exit ? withoutFailedLine(result) : result;
  if (mode === "script") ctx.emit({ type: "block-end", block: ref, result: shown, outcome, ...(expect ? { expect } : {}) });
  const enteredPid = block.enter && result.kind === "ok" ? ctx.sessions.pid(block.enter) : undefined;
  if (block.enter && enteredPid !== undefined) {
    ctx.emit({ type: "session-entered", labId: ctx.labId, session: block.enter, pid: enteredPid, from: block.session, block: ref });
  }
  return { block, result: shown, outcome, ...(expect ? { expect } : {}) };
}

function withoutFailedLine(result: BlockResult): BlockResult {
  const copy = { ...result };
  delete copy.failedLine;
  return copy;
}

/** Wait without busy-looping; resolves early when the run is aborted. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

const RETRY_INTERVAL_MS = 250;

/** One check: before its step it must fail; after, it must pass (polled until retry= runs out). */
export async function runCheck(ctx: RunContext, step: Step, block: Block, phase: CheckPhase): Promise<CheckRun> {
  const ref = blockRef(ctx.labId, ctx.file, step.index, block);
  // After a wrong attempt a check is polled like after the step: the attempt is rejected only if it never passes,
  // within the lab's own retry= window. That window is stretched on slow machines (scaled) only after the step:
  // there it lets correct-but-slow work pass as soon as it does, while a rejection always waits the whole window,
  // which stretched 20x under emulation is 5-10 minutes per wrong attempt (retry=15s/30s) for an attempt
  // expected to fail. The lab's own window is what `verify --strict` on the machine the lab is written on proves.
  const window = phase === "before" ? 0 : phase === "wrong" ? (block.retryMs ?? 0) : scaled(block.retryMs ?? 0);
  const deadline = Date.now() + window;
  let attempts = 0;
  let run: BlockRun;
  for (;;) {
    attempts++;
    run = await runBlock(ctx, step.index, { ...block, exit: 0 }, "check");
    const passed = run.outcome.status === "pass";
    if (phase === "before" || passed || Date.now() >= deadline || ctx.signal?.aborted) break;
    await pause(Math.min(RETRY_INTERVAL_MS, Math.max(0, deadline - Date.now())), ctx.signal);
  }
  const passed = run.outcome.status === "pass";
  let outcome: Outcome;
  if (phase === "before") {
    outcome = passed
      ? { status: "fail", reason: "this check already passes before its step ran, so it proves nothing about the step (--strict)" }
      : { status: "pass" };
  } else {
    const tries = attempts > 1 ? ` after ${attempts} attempts` : "";
    outcome = passed ? { status: "pass" } : { status: "fail", reason: `${run.outcome.status === "fail" ? run.outcome.reason : "failed"}${tries}` };
  }
  ctx.emit({ type: "check", block: ref, phase, outcome, result: run.result, attempts });
  return { block, result: run.result, outcome, attempts };
}

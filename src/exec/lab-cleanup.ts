// A lab run's cleanup blocks, as the format says: per-step cleanups newest first, then the `## Cleanup` blocks, in
// reverse order too. They run always (after a failure, Ctrl-C or a timeout), so they get no abort signal; when the
// host shell is gone (a timed-out shell loop, `exit` typed in it), host cleanups run in a fresh host session.
import type { Block, Lab } from "../format/types.js";
import type { Sessions } from "./types.js";
import { blockRef, runBlock, type RunContext } from "./block-run.js";
import { openSessions } from "./sessions.js";

export interface CleanupInput {
  lab: Lab;
  /** Cleanup blocks of the steps that began, in the order they began. */
  stepCleanups: { block: Block; stepIndex: number }[];
  ctx: RunContext;
  /** For a fresh host session: the run's environment and LAB_DIR. */
  env: Record<string, string>;
  labDir: string;
}

/** Runs every cleanup block; returns what failed, in words. Emits cleanup-start, cleanup-block and their output. */
export async function runCleanups({ lab, stepCleanups, ctx: runCtx, env, labDir }: CleanupInput): Promise<string[]> {
  const { emit } = runCtx;
  const labId = lab.meta.id;
  const problems: string[] = [];
  const queue = [...stepCleanups].reverse().concat([...lab.cleanup].reverse().map((block) => ({ block, stepIndex: -1 })));
  emit({ type: "cleanup-start", labId, count: queue.length });
  const ctx: RunContext = { ...runCtx, signal: undefined };
  let fresh: Sessions | undefined;
  const hostFor = async (): Promise<Sessions> => {
    if (ctx.sessions.alive("host")) return ctx.sessions;
    if (!fresh?.alive("host")) {
      await fresh?.close();
      fresh = await openSessions({ env, labDir }).catch(() => undefined);
    }
    return fresh ?? ctx.sessions;
  };
  try {
    for (const { block, stepIndex } of queue) {
      const ref = blockRef(labId, lab.file, stepIndex, block);
      const sessions = block.session === "host" ? await hostFor() : ctx.sessions;
      const run = await runBlock({ ...ctx, sessions, emit: (e) => (e.type === "output" ? emit(e) : undefined) }, stepIndex, { ...block, exit: 0, enter: undefined, background: false });
      if (run.outcome.status !== "pass") problems.push(`cleanup at ${lab.file}:${block.line} failed: ${run.outcome.status === "fail" ? run.outcome.reason : run.outcome.status}`);
      emit({ type: "cleanup-block", block: ref, result: run.result, outcome: run.outcome });
    }
  } finally {
    await fresh?.close();
  }
  return problems;
}

// Ctrl-C and SIGTERM during a run: abort the block in flight, let cleanup finish, then exit non-zero.
export interface Interrupts {
  signal: AbortSignal;
  /** The signal that interrupted the run, if any. */
  received(): NodeJS.Signals | undefined;
  dispose(): void;
}

export function trapInterrupts(onFirst: (sig: NodeJS.Signals) => void, onRepeat: () => void): Interrupts {
  const controller = new AbortController();
  let got: NodeJS.Signals | undefined;
  const handler = (sig: NodeJS.Signals) => {
    // A second Ctrl-C gets an answer; a second broken-pipe error must not (that write would fail again).
    if (got) return sig === "SIGPIPE" ? undefined : onRepeat();
    got = sig;
    onFirst(sig);
    controller.abort();
  };
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  for (const s of signals) process.on(s, handler);
  // Whoever read our output went away (`rootlab verify … | head`): stop like SIGPIPE would, but clean up first.
  const onPipeError = (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") handler("SIGPIPE");
  };
  process.stdout.on("error", onPipeError);
  process.stderr.on("error", onPipeError);
  return {
    signal: controller.signal,
    received: () => got,
    dispose: () => {
      signals.forEach((s) => process.off(s, handler));
      process.stdout.off("error", onPipeError);
      process.stderr.off("error", onPipeError);
    },
  };
}

export function signalExitCode(sig: NodeJS.Signals): number {
  const codes: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 129, SIGINT: 130, SIGPIPE: 141, SIGTERM: 143 };
  return codes[sig] ?? 1;
}

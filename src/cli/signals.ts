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
    if (got) return onRepeat();
    got = sig;
    onFirst(sig);
    controller.abort();
  };
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  for (const s of signals) process.on(s, handler);
  return {
    signal: controller.signal,
    received: () => got,
    dispose: () => signals.forEach((s) => process.off(s, handler)),
  };
}

export function signalExitCode(sig: NodeJS.Signals): number {
  return sig === "SIGINT" ? 130 : sig === "SIGTERM" ? 143 : 129;
}

// Errors a person sees. Each carries the exit code the CLI entry point turns it into; none prints a stack trace.

/** Bad command line or invalid lab: exit 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
}

/** Refused to run here (not root, not disposable, a named lab cannot run here): exit 3. */
export class RefusedError extends Error {
  readonly exitCode = 3;
}

export function exitCodeOf(err: unknown): number | undefined {
  if (err instanceof UsageError || err instanceof RefusedError) return err.exitCode;
  return undefined;
}

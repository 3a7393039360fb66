// Pure helpers for "type it myself": quoting, and which of the interactive shell's variables go back.

/** Single-quotes a string for any POSIX shell. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Variables every interactive shell changes by itself; carrying them back would only add noise. */
const SHELL_NOISE = new Set(["PWD", "OLDPWD", "SHLVL", "_", "PS1", "PS2", "PS4", "ENV", "TERM", "LINES", "COLUMNS", "HISTFILE", "BASH_ENV", "PROMPT_COMMAND"]);

export interface SessionLike {
  pid: number;
  cwd: string;
  env: Record<string, string>;
  shell: string;
}

/**
 * The session's state after the learner's shell: their working directory; the variables they set or changed
 * (shell bookkeeping excluded); variables they unset are gone.
 */
export function sessionStateAfter(before: SessionLike, after: { cwd: string; env: Record<string, string> }): SessionLike {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(before.env)) {
    if (SHELL_NOISE.has(k) || k in after.env) env[k] = v;
  }
  for (const [k, v] of Object.entries(after.env)) {
    if (!SHELL_NOISE.has(k)) env[k] = v;
  }
  return { ...before, cwd: after.cwd || before.cwd, env };
}

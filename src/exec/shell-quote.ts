// Quoting a word for any POSIX shell. Pure.

/** Single-quotes a string for any POSIX shell. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

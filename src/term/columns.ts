// How wide to lay out text for stdout. A terminal says its width; a pipe (`rootlab list | head`) does not, and a
// layout as wide as its longest line was then wrapped by the terminal that showed it (`pivot_` / `root`): use
// COLUMNS when set, else 80. Pure.

export function outputColumns(stream: { isTTY?: boolean; columns?: number }, env: NodeJS.ProcessEnv = process.env): number {
  if (stream.isTTY && stream.columns) return stream.columns;
  const fromEnv = Number(env.COLUMNS);
  return Number.isInteger(fromEnv) && fromEnv >= 20 ? fromEnv : 80;
}

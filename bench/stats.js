// Order statistics the benchmarks report. Nearest rank, no interpolation: a figure is always one that was measured.

/** The value at percentile p (0–100) of the numbers, by nearest rank. */
export function percentile(xs, p) {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** The median (the upper one of an even count). */
export const median = (xs) => percentile(xs, 50);

// Durations as instructors write them: "500ms", "30s", "2m", "1h30m", "1m30s". Whole numbers, largest unit first.

export type DurationResult = { ok: true; ms: number } | { ok: false; reason: string };

const UNIT_MS = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 } as const;
type Unit = keyof typeof UNIT_MS;
const UNIT_ORDER: readonly Unit[] = ["h", "m", "s", "ms"];

export const DURATION_EXAMPLES = "500ms, 30s, 2m, 1h30m";

/** Parse a duration such as "1h30m" into milliseconds. Units: h, m, s, ms; each at most once, largest first. */
export function parseDuration(text: string): DurationResult {
  const source = text.trim();
  if (source === "") return { ok: false, reason: "the duration is empty" };
  if (/^\d+(\.\d+)?$/.test(source)) return { ok: false, reason: `"${source}" has no unit` };
  const part = /(\d+)(ms|h|m|s)/y;
  let total = 0;
  let lastRank = -1;
  let at = 0;
  while (at < source.length) {
    part.lastIndex = at;
    const match = part.exec(source);
    if (!match) return { ok: false, reason: `"${source}" is not a duration` };
    const unit = match[2] as Unit;
    const rank = UNIT_ORDER.indexOf(unit);
    if (rank <= lastRank) return { ok: false, reason: `"${source}" repeats a unit or puts a smaller unit first` };
    lastRank = rank;
    total += Number(match[1]) * UNIT_MS[unit];
    at = part.lastIndex;
  }
  if (!Number.isSafeInteger(total)) return { ok: false, reason: `"${source}" is too long` };
  return { ok: true, ms: total };
}

/** Duration in whole seconds (rounded up), for front matter `duration:`. */
export function parseDurationSeconds(text: string): { ok: true; seconds: number } | { ok: false; reason: string } {
  const r = parseDuration(text);
  return r.ok ? { ok: true, seconds: Math.ceil(r.ms / 1000) } : r;
}

/** Milliseconds back to the shortest written form, e.g. 90000 → "1m30s" (for messages and `rootlab show`). */
export function formatLabDuration(ms: number): string {
  if (ms === 0) return "0s";
  let rest = ms;
  let out = "";
  for (const unit of UNIT_ORDER) {
    const n = Math.floor(rest / UNIT_MS[unit]);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * UNIT_MS[unit];
    }
  }
  return out;
}

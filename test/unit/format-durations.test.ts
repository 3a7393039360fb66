import { describe, expect, test } from "vitest";
import { formatLabDuration, parseDuration, parseDurationSeconds } from "../../src/format/durations.js";

describe("parseDuration", () => {
  test.each([
    ["500ms", 500],
    ["30s", 30_000],
    ["2m", 120_000],
    ["1h", 3_600_000],
    ["1h30m", 5_400_000],
    ["1m30s", 90_000],
    ["1h2m3s4ms", 3_723_004],
    ["0s", 0],
    [" 10s ", 10_000],
  ])("%j → %d ms", (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, ms });
  });

  test.each([
    ["", /empty/],
    ["30", /no unit/],
    ["1.5s", /no unit|not a duration/],
    ["10 s", /not a duration/],
    ["abc", /not a duration/],
    ["5x", /not a duration/],
    ["30m1h", /smaller unit first/],
    ["1s1s", /repeats a unit/],
    ["-5s", /not a duration/],
    ["99999999999999999999h", /too long/],
  ])("%j is refused", (text, reason) => {
    const r = parseDuration(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});

describe("parseDurationSeconds (front matter)", () => {
  test.each([
    ["15m", 900],
    ["1h30m", 5400],
    ["500ms", 1],
    ["45s", 45],
  ])("%j → %d s", (text, seconds) => {
    expect(parseDurationSeconds(text)).toEqual({ ok: true, seconds });
  });

  test("refuses a bare number", () => {
    expect(parseDurationSeconds("15").ok).toBe(false);
  });
});

describe("formatLabDuration", () => {
  test.each([
    [0, "0s"],
    [500, "500ms"],
    [60_000, "1m"],
    [90_000, "1m30s"],
    [5_400_000, "1h30m"],
  ])("%d ms → %j (and back)", (ms, text) => {
    expect(formatLabDuration(ms)).toBe(text);
    expect(parseDuration(text)).toEqual({ ok: true, ms });
  });
});

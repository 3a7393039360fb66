import { describe, expect, it } from "vitest";
import { exitCodeInWords, formatElapsed } from "../../src/term/words.js";

describe("exitCodeInWords", () => {
  it.each([
    [0, undefined, "success"],
    [1, undefined, "general failure"],
    [2, undefined, "misuse (bad usage / syntax)"],
    [3, undefined, "exited with status 3"],
    [42, undefined, "exited with status 42"],
    [126, undefined, "could not execute it"],
    [127, undefined, "command or program not found"],
    [128, undefined, "exited with status 128"],
    [129, undefined, "killed by SIGHUP (its terminal went away)"],
    [130, undefined, "killed by SIGINT (Ctrl-C)"],
    [134, undefined, "killed by SIGABRT (aborted)"],
    [137, undefined, "killed by SIGKILL (often the OOM killer or a timeout)"],
    [139, undefined, "killed by SIGSEGV (segmentation fault)"],
    [141, undefined, "killed by SIGPIPE (its reader went away)"],
    [143, undefined, "killed by SIGTERM (asked to stop)"],
    [138, undefined, "killed by SIGUSR1"],
    [128 + 40, undefined, "killed by signal 40"],
    [255, undefined, "exited with status 255"],
    [-1, undefined, "exited with status -1"],
    [null, "SIGKILL", "killed by SIGKILL (often the OOM killer or a timeout)"],
    [null, "SIGUSR2", "killed by SIGUSR2"],
    [null, undefined, "no exit status"],
  ] as const)("%s %s", (code, signal, words) => {
    expect(exitCodeInWords(code, signal)).toBe(words);
  });
});

describe("formatElapsed", () => {
  it.each([
    [0, "0 ms"],
    [12, "12 ms"],
    [12.4, "12 ms"],
    [999, "999 ms"],
    [999.6, "1.0 s"],
    [1000, "1.0 s"],
    [1449, "1.4 s"],
    [1450, "1.5 s"],
    [59_940, "59.9 s"],
    [59_960, "1 m 00 s"],
    [123_000, "2 m 03 s"],
    [3_599_000, "59 m 59 s"],
    [3_600_000, "1 h 00 m"],
    [3_900_000, "1 h 05 m"],
    [-5, "0 ms"],
    [Number.NaN, "0 ms"],
  ])("%s ms → %s", (ms, text) => {
    expect(formatElapsed(ms)).toBe(text);
  });
});

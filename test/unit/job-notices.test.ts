// What an interactive bash says about jobs on a block's stderr, which a script never prints, is dropped; lines that
// only look alike stay.
import { describe, expect, it } from "vitest";
import { withoutJobNotices } from "../../src/exec/block-output.js";

describe("withoutJobNotices", () => {
  it.each<[string, string, string]>([
    ["a job's start", "[1] 4242\n", ""],
    ["its end under set -m", "[1]+  Done                    sleep 0.1\n", ""],
    ["an exit status", "[2]-  Exit 3                  false\n", ""],
    ["killed", "[1]+  Killed                  sleep 9\n", ""],
    ["between real lines", "a\n[1] 99\nb\n[1]+  Done   true\nc\n", "a\nb\nc\n"],
    ["an array index printed by the block", "[1] one\n", "[1] one\n"],
    ["a word after the number that is no job state", "[1]+ Doneness\n", "[1]+ Doneness\n"],
    ["not at a line's start", "x [1] 42\n", "x [1] 42\n"],
    ["no bracket at all", "plain\n", "plain\n"],
  ])("%s", (_name, text, want) => {
    expect(withoutJobNotices(text)).toBe(want);
  });
});

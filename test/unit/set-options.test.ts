import { describe, expect, it } from "vitest";
import { noExec, withoutNoExec } from "../../src/exec/set-options.js";

/** [the words after `set`, what busybox ash is given instead (undefined: the command as written)] */
const WORDS: [string, string | undefined][] = [
  ["-n", ""],
  ["-o noexec", ""],
  ["-nv", "-v"],
  ["-vn", "-v"],
  ["-o noexec -o verbose", "-o verbose"],
  ["-o verbose -o noexec", "-o verbose"],
  ["-euon", "-euo"],
  ["-euo noexec", "-eu"],
  ["-euo pipefail -n", "-euo pipefail"],
  ["-e -n -x", "-e -x"],
  ["-n -- a b", "-- a b"],
  ["-n a -n", "a -n"],
  // Turning noexec off, or words that are not options, change nothing.
  ["+n", undefined],
  ["+o noexec", undefined],
  ["-e", undefined],
  ["-euo pipefail", undefined],
  ["-- -n", undefined],
  ["a -n", undefined],
];

describe("withoutNoExec", () => {
  it.each(WORDS)("set %s", (words, want) => {
    expect(withoutNoExec(words.split(" "))?.join(" ")).toBe(want);
  });
});

/** [a block's command, the text rootlab runs for it] */
const TEXTS: [string, string][] = [
  ["set -n", '\\command [ -z "${BASH_VERSION-}" ] || set -n'],
  ["  set -o noexec  ", '\\command [ -z "${BASH_VERSION-}" ] || set -o noexec'],
  ["set -nv", 'if \\command [ -n "${BASH_VERSION-}" ]; then set -nv; else set -v; fi'],
  ["set -o noexec -o verbose", 'if \\command [ -n "${BASH_VERSION-}" ]; then set -o noexec -o verbose; else set -o verbose; fi'],
  // Not a plain `set` of its own: as written.
  ["set -n; echo a", "set -n; echo a"],
  ['set -n "$x"', 'set -n "$x"'],
  ["echo set -n", "echo set -n"],
  ["set -v", "set -v"],
];

describe("noExec", () => {
  it.each(TEXTS)("%s", (text, want) => {
    expect(noExec(text)).toBe(want);
  });
});

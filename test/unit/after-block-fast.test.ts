// bash's after-block code has a fast path (src/exec/terminal-modes.ts, AFTER_FAST_TEST): one `[[ ]]` that vouches
// there is nothing to put aside. Each thing the full code handles must make it fail, or the full code never runs.
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AFTER_FAST_TEST, sessionDefinitions } from "../../src/exec/terminal-modes.js";

/** [what the block before did, whether the fast test holds after it] */
const ROWS: [string, string, boolean][] = [
  ["nothing (rootlab's empty prompts)", "PS1=; PS2=", true],
  ["PS1 set", "PS1='$ '", false],
  ["PS2 set", "PS2='> '", false],
  ["PS0 set", "PS0=x", false],
  ["PROMPT_COMMAND set", "PROMPT_COMMAND=date", false],
  ["PROMPT_COMMAND an array (bash 5.1)", "PROMPT_COMMAND=(date)", false],
  ["TMOUT set", "TMOUT=5", false],
  ["alias expansion turned on", "shopt -s expand_aliases", false],
  ["the code that brings them back unset", "unset __rl_back", false],
  ["stderr not the terminal any more", "exec 2>/dev/null", false],
  ["stdin not the terminal any more", "exec 0</dev/null", false],
];

describe("bash's after-block fast test", () => {
  it.each(ROWS)("after %s: %s", (_name, setup, holds) => {
    const dir = mkdtempSync(join(tmpdir(), "rl-fast-"));
    try {
      // On a terminal (script(1) gives bash one), with the session's definitions, as in a session.
      const file = join(dir, "t.sh");
      writeFileSync(file, `${sessionDefinitions()}\nPS1= PS2=\n${setup}\nif ${AFTER_FAST_TEST}; then echo FAST >&3; else echo FULL >&3; fi\n`);
      const out = execFileSync("script", ["-qec", `bash --norc --noprofile ${file} 3>${join(dir, "out")}`, "/dev/null"], { encoding: "utf8" });
      expect(out).not.toMatch(/syntax error/);
      expect(execFileSync("cat", [join(dir, "out")], { encoding: "utf8" }).trim()).toBe(holds ? "FAST" : "FULL");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

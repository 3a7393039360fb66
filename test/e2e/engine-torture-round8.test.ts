// Round 8 of blocks that attack the session protocol (rounds 1-7: engine-torture*.test.ts), in every kind of
// session the labs use (test/helpers/torture-sessions.ts): DEBUG traps that print (on stderr, under extdebug, left
// set for the next blocks), `set -v` with `set -x`, with an eval and left on for the next blocks, a trap on INT and
// `kill -INT $$` with and without it, POSIXLY_CORRECT, the builtins rootlab's checks use disabled (`enable -n :
// true [ test`), a here-document line longer than the terminal's 4096-byte line, and rootlab's own definitions
// removed (the function bash runs after each block and its code). Each row says what a plain `bash script` (or
// `busybox sh script`) does — checked by running the row's text as a script; then `echo next` must run in the
// same session with nothing on stderr. Names: rlt12*.
import { expect, it } from "vitest";
import { describeAsRoot } from "../helpers/root.js";
import { like, rowRunner, same, shellOf, tortureSessions, type Goes, type Row } from "../helpers/torture-sessions.js";

const LINE = 5000;
const VERBOSE = { stdout: "a\n", status: 0, stderr: /^echo a\n\+{1,2} echo a\nset \+xv\n\+{1,2} set \+xv\n$/ };

const SURVIVES: Row[] = [
  // rootlab's own commands between the block's run with stdout and stderr closed: the trap prints before the
  // block's commands only, and under extdebug its failing write does not skip them.
  ["a DEBUG trap that prints on stderr", "trap 'echo x >&2' DEBUG\necho a\ntrap - DEBUG", { stdout: "a\n", status: 0, stderr: "x\nx\n" }, undefined],
  ["a printing DEBUG trap under extdebug", "shopt -s extdebug\ntrap 'echo x' DEBUG\necho a\ntrap - DEBUG", same("x\na\nx\n"), undefined, "shopt -u extdebug"],
  // xtrace inside rootlab's eval shows one `+` more in bash (architecture.md); verbose shows the lines as read.
  ["set -xv", "set -xv\necho a\nset +xv", VERBOSE, VERBOSE],
  // bash echoes what an eval reads too; busybox ash does not.
  ["set -v and an eval", "set -v\neval 'echo e'\nset +v", { stdout: "e\n", status: 0, stderr: "eval 'echo e'\necho e\nset +v\n" }, { stdout: "e\n", status: 0, stderr: "eval 'echo e'\nset +v\n" }],
  // The echo goes before rootlab's `: "$_"`: the next command still sees `$_` and `$?` as in a script.
  ["set -v keeps $_ and $?", 'set -v\ntrue x\necho "$_ $?"\nset +v', { stdout: "x 0\n", status: 0, stderr: 'true x\necho "$_ $?"\nset +v\n' }, undefined],
  ["two commands on a line under set -v (echoed once, as read)", "set -v\necho a; echo b\nset +v", { stdout: "a\nb\n", status: 0, stderr: "echo a; echo b\nset +v\n" }, { stdout: "a\nb\n", status: 0, stderr: "echo a; echo b\nset +v\n" }],
  ["a trap on INT, then kill -INT $$", "trap 'echo int' INT\nkill -INT $$\necho after", same("int\nafter\n"), same("int\nafter\n"), "trap - INT"],
  ["POSIXLY_CORRECT=1 (bash turns on posix mode)", "POSIXLY_CORRECT=1\necho p", same("p\n"), undefined, "unset POSIXLY_CORRECT; set +o posix"],
  // rootlab's checks then run /usr/bin/[ (every bash kind shares the host's /usr); `$?` stays 0 without `:`.
  ["enable -n [ test", "enable -n [ test\necho t", same("t\n"), undefined, "enable [ test"],
  ["enable -n : true", 'enable -n : true\necho a\necho "$?"', same("a\n0\n"), undefined, "enable : true"],
  [`a ${LINE}-byte line in a here-document (the terminal's line is 4096)`, `read -r x <<'EOF'\n${"y".repeat(LINE)}\nEOF\necho \${#x}`, same(`${LINE}\n`), same(`${LINE}\n`)],
  // The function bash runs after each block and the code it falls back on, both gone: the status line says so and
  // rootlab defines them again, so a PROMPT_COMMAND that exits is still put aside between blocks. (Not after the
  // block that removed them: one that also sets `PS1='$(kill -9 $$)'` ends the session at its prompt.)
  ["unset -f __rl_after and unset __rl_after_code", "unset -f __rl_after\nunset __rl_after_code\necho f", same("f\n"), undefined],
  ["then PROMPT_COMMAND=exit", "PROMPT_COMMAND='exit 7'\necho p", same("p\n"), undefined, "unset PROMPT_COMMAND"],
];

/** Blocks run one after the other in one session: what each does depends on what the blocks before it left. */
type Steps = [code: string, want: Goes][];

const SEQUENCES: [string, ("bash" | "ash")[], Steps][] = [
  // A trap left set runs before each command of the next blocks, as in a script (before rootlab's own commands
  // outside the block it prints on the terminal, where nothing is block output).
  ["a DEBUG trap left set for the next blocks", ["bash"], [["trap 'echo x' DEBUG", same("")], ["echo a", same("x\na\n")], ["trap - DEBUG", same("x\n")], ["echo b", same("b\n")]]],
  // Verbose left on: the next block's lines are echoed (and nothing of rootlab's) until `set +v`, read while on.
  [
    "set -v left on for the next blocks",
    ["bash", "ash"],
    [["set -v", same("")], ["echo b\necho c", { stdout: "b\nc\n", status: 0, stderr: "echo b\necho c\n" }], ["set +v", { stdout: "", status: 0, stderr: "set +v\n" }], ["echo d", same("d\n")]],
  ],
];

describeAsRoot("protocol torture, round 8, in every kind of session", () => {
  const { kinds, withSession, skipReason } = tortureSessions("r8");
  const runRows = rowRunner({ withSession, skipReason });

  it.each(kinds)("%s: each block does what a script does with it; the session goes on", runRows(SURVIVES), 240_000);

  for (const [name, shells, steps] of SEQUENCES) {
    it.each(kinds.filter((kind) => shells.includes(shellOf(kind))))(`%s: ${name}`, async (...kind) => {
      const ran = await withSession(kind, async (run) => {
        for (const [code, want] of steps) {
          const r = await run(code, { timeoutMs: 15_000 });
          expect({ code, kind: r.kind, exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr }).toEqual({ code, kind: "ok", exitCode: want.status, stdout: want.stdout, stderr: like(want.stderr ?? "") });
        }
      });
      if (!ran) console.log(`skipped ${kind[0]}: ${skipReason}`);
    }, 60_000);
  }

  // SIGINT to the shell itself, no trap: a script dies of it (status 130). An interactive shell drops the rest of
  // the command line it was running, so rootlab's end of the block never runs: the block must still end, and
  // rootlab must say what happened, never wait for the block's timeout. busybox ash then waits in its line
  // editor's poll(2), not a read(2): the look for a skipped end (block-watchdog.ts, proc-tree.ts) knows both.
  it.each(kinds)("%s: kill -INT $$ without a trap: the block ends at once, said", async (...kind) => {
    const ran = await withSession(kind, async (run) => {
      const started = Date.now();
      const r = await run("echo a\nkill -INT $$\necho never", { timeoutMs: 30_000 });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(r.stdout).toBe("a\n");
      expect(r.stdout + r.stderr).not.toContain("never");
      if (r.kind !== "ok") expect(r.reason).toMatch(/kill -INT|SIGINT|interrupt/i);
      else expect(r.exitCode).not.toBe(0);
    });
    if (!ran) console.log(`skipped ${kind[0]}: ${skipReason}`);
  }, 60_000);
});

import { describe, expect, it } from "vitest";
import { likelyEndingCause } from "../../src/exec/ending-causes.js";
import { LOST_TERMINAL, SKIPPED_END } from "../../src/exec/protocol-breaks.js";

const killed = (signal: NodeJS.Signals) => ({ status: null, signal, errexit: false });
const exited = (status: number, errexit = false) => ({ status, signal: null, errexit });
const brokenBy = (broken: string) => ({ status: null, signal: "SIGKILL" as NodeJS.Signals, errexit: false, broken });

describe("likelyEndingCause: the block's line that ended its session", () => {
  /** [name, block, how the shell ended, expected line offset and words in the reason, or undefined] */
  const CASES: [string, string, ReturnType<typeof killed> | ReturnType<typeof exited> | ReturnType<typeof brokenBy>, [number, RegExp] | undefined][] = [
    ["kill -9 $$ in a subshell", "echo a\n( kill -9 $$ )", killed("SIGKILL"), [1, /own shell/]],
    ["kill ${$}", "kill -TERM ${$}", killed("SIGTERM"), [0, /own shell/]],
    ["ulimit -f 0, then a write", "ulimit -f 0\necho x >f", killed("SIGXFSZ"), [0, /file size limit/]],
    ["ulimit -Sf 0", "ulimit -Sf 0; echo x >f", killed("SIGXFSZ"), [0, /SIGXFSZ/]],
    ["set -o vi crashing bash", "set -o vi", killed("SIGSEGV"), [0, /line editing/]],
    ["set -eo vi crashing bash", "echo a\nset -eo vi", killed("SIGSEGV"), [1, /line editing.*on a line of its own/]],
    ["shopt -so emacs", "shopt -so emacs", exited(0), [0, /line editing/]],
    ["closing fds 10-12", "echo a\nexec 10>&- 11>&- 12>&-", killed("SIGHUP"), [1, /its terminal/]],
    ["a loop closing every fd", "for fd in {0..255}; do exec {fd}>&-; done", killed("SIGHUP"), [0, /its terminal/]],
    ["closing fds 10-12, the shell exits (host bash: a race)", "exec 10>&- 11>&- 12>&-", exited(1), [0, /terminal/]],
    ["closing fds 10-12, rootlab saw it lost", "echo a\nexec 10>&- 11>&- 12>&-", brokenBy(LOST_TERMINAL), [1, /terminal/]],
    ["closing fds 10-12, rootlab saw it skip its line", "exec 10>&- 11>&- 12>&-", brokenBy(SKIPPED_END), [0, /terminal/]],
    ["closing fd 3 is not it", "exec 3>&-\nexit 2", exited(2), [1, /ran `exit`/]],
    ["ulimit -n 9: busybox ash cannot save its terminal's fds and exits", "ulimit -n 9\necho low", exited(1), [0, /open files limit/]],
    ["trap exit DEBUG", "trap 'exit' DEBUG\necho x", exited(0), [0, /trap that runs `exit`/]],
    ["exit in a function called later", "f() { exit 5; }\nf", exited(5), [0, /ran `exit`/]],
    ["exit at top level", "echo a\nexit 4", exited(4), [1, /ran `exit`/]],
    ["exit only in a subshell is not it", "(exit 3)", exited(0), undefined],
    ["return at top level (busybox ash ends)", "echo a\nreturn\necho b", exited(0), [1, /ran `return` outside a function/]],
    ["return in a function's definition is not it", "f() {\nreturn 1\n}", exited(0), undefined],
    ["set -e: said elsewhere", "set -e\nexit 1", exited(1, true), undefined],
    ["a signal nothing in the block explains", "sleep 1", killed("SIGKILL"), undefined],
    ["kill of another pid is not it", "kill -9 1234", killed("SIGKILL"), undefined],
    ["kill -INT $$: the shell dropped the rest of the line", "echo a\nkill -INT $$\necho never", brokenBy(SKIPPED_END), [1, /SIGINT.*drops the rest/]],
    ["kill -s SIGINT ${$}", "kill -s SIGINT ${$}", brokenBy(SKIPPED_END), [0, /SIGINT/]],
    ["kill -2 $$", "kill -2 $$", brokenBy(SKIPPED_END), [0, /SIGINT/]],
    ["kill -INT of a job is not it", "kill -INT $!", brokenBy(SKIPPED_END), undefined],
  ];
  it.each(CASES)("%s", (_name, code, how, expected) => {
    const cause = likelyEndingCause(code, how);
    if (!expected) return expect(cause).toBeUndefined();
    expect(cause?.line).toBe(expected[0]);
    expect(cause?.why).toMatch(expected[1]);
  });

  it("shortens a long command to its first 80 characters", () => {
    const cause = likelyEndingCause(`kill -9 $$ ${"x".repeat(200)}`, killed("SIGKILL"));
    expect(cause?.command.length).toBe(80);
  });
});

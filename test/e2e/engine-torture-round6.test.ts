// Round 6 of blocks that attack the session protocol (rounds 1-5: engine-torture*.test.ts), in every kind of
// session the labs use (test/helpers/torture-sessions.ts): shell state that rootlab's own wrapping meets — an
// EXIT trap and `exit` in a subshell, `umask 777`, `ulimit -f 0`, `set -o noclobber`, `set -f`, `set -o posix`,
// `unset PATH`, a deleted working directory, `stty -opost`; output that looks like the protocol (`__RL_` lines),
// binary output, 5 MB of output, a daemon keeping stdout open; fds 10-255 closed. Each row says what a plain
// `bash script` (or `busybox sh script`) does; then `echo next` must run in the same session with nothing on
// stderr. Names: rlt10*.
import { expect, it } from "vitest";
import { describeAsRoot } from "../helpers/root.js";
import { rowRunner, same, tortureSessions, type Row, type SessionKind } from "../helpers/torture-sessions.js";

const BIG = 5_000_000;

const SURVIVES: Row[] = [
  ["an EXIT trap, then exit in a subshell (subshells do not run it)", "trap 'echo trapped' EXIT\n(exit 3)", same("", 3), same("", 3), "trap - EXIT"],
  ["an EXIT trap left set: the next blocks do not run it", "trap 'echo trapped' EXIT\necho set", same("set\n"), same("set\n"), "trap - EXIT"],
  ["exit in a subshell of a pipeline", "echo a | (read -r x; exit 4)", same("", 4), same("", 4)],
  ["set -f: no globbing", "set -f\necho /*", same("/*\n"), same("/*\n"), "set +f"],
  ["set -o posix", "set -o posix\necho posix", same("posix\n"), undefined, "set +o posix"],
  ["a deleted working directory", "mkdir -p /tmp/rlt10-gone && cd /tmp/rlt10-gone && rmdir /tmp/rlt10-gone\necho in", same("in\n"), same("in\n"), "cd /"],
  ["unset PATH", "RLT10_PATH=$PATH\nunset PATH\necho p", same("p\n"), same("p\n"), 'PATH=$RLT10_PATH'],
  ["PATH empty", "RLT10_PATH=$PATH\nPATH=\necho p", same("p\n"), same("p\n"), 'PATH=$RLT10_PATH'],
  ["stty -opost on the session's terminal", "RLT10_TTY=$(stty -g </dev/tty)\nstty -opost </dev/tty\necho o", same("o\n"), undefined, 'stty "$RLT10_TTY" </dev/tty'],
  ["lines that look like rootlab's status line", "echo '__RL_ 1 0 0 hB 0'\necho '__RL_EOF_1'\nprintf '__RL_'", same("__RL_ 1 0 0 hB 0\n__RL_EOF_1\n__RL_"), same("__RL_ 1 0 0 hB 0\n__RL_EOF_1\n__RL_")],
  ["the status line on stderr", "echo '__RL_ 1 0 0 hB 0' >&2\necho out", { stdout: "out\n", status: 0, stderr: "__RL_ 1 0 0 hB 0\n" }, { stdout: "out\n", status: 0, stderr: "__RL_ 1 0 0 hB 0\n" }],
  ["binary output", "printf 'a\\000b\\377\\376c\\n'", same("a\0b\uFFFD\uFFFDc\n"), same("a\0b\uFFFD\uFFFDc\n")],
  ["5 MB of output in one line", `head -c ${BIG} /dev/zero | tr '\\0' a\necho`, same(`${"a".repeat(BIG)}\n`), same(`${"a".repeat(BIG)}\n`)],
  ["a daemon that keeps stdout and stderr open", "(sleep 30 & echo $! >/tmp/rlt10-daemon)\necho started", same("started\n"), same("started\n"), 'kill "$(cat /tmp/rlt10-daemon)"; rm -f /tmp/rlt10-daemon'],
  ["a setsid daemon holding the session's terminal", "setsid sleep 30 </dev/tty >/dev/tty 2>&1 &\necho $! >/tmp/rlt10-tty\necho bg", same("bg\n"), undefined, 'kill "$(cat /tmp/rlt10-tty)"; rm -f /tmp/rlt10-tty'],
  ["umask 777, then a block that prints", "umask 777\necho u", same("u\n"), same("u\n"), "umask 022"],
  ["set -o noclobber, then a block that prints", "set -o noclobber\necho c", same("c\n"), same("c\n"), "set +o noclobber"],
];

/**
 * `ulimit -Sf 0`: a block's output goes to FIFOs the session's own shell opens (src/exec/block-script.ts), which no
 * file size limit touches. Bash and the test's BusyBox survive it; in the Alpine chroot (Alpine's BusyBox ash) the
 * *next* block ends the session ("session-died"), where a script goes on. Not the protocol: Alpine's ash reads its
 * terminal through its line editor (rootlab keeps it: its fallback without echo takes a read interrupted by SIGCHLD
 * for end of input, src/exec/terminal-modes.ts), and the editor appends every line it reads to the history file it
 * chose at start-up (~/.ash_history, a regular file; setting HISTFILE or HISTSIZE later changes nothing), so the
 * shell gets SIGXFSZ reading the next line. The same happens to a person typing into that shell. The Alpine row
 * asserts the break, so it fails once something changes it.
 */
const FILE_LIMIT: Row = ["ulimit -Sf 0, then a block that prints", "ulimit -Sf 0\necho f", same("f\n"), same("f\n"), "ulimit -Sf unlimited"];
const FILE_LIMIT_BROKEN = (kind: SessionKind) => kind[0].includes("Alpine");


describeAsRoot("protocol torture, round 6, in every kind of session", () => {
  const { kinds, withSession, skipReason } = tortureSessions("r6");

  const runRows = rowRunner({ withSession, skipReason });

  it.each(kinds)("%s: each block does what a script does with it; the session goes on", runRows(SURVIVES), 240_000);
  it.each(kinds.filter((kind) => !FILE_LIMIT_BROKEN(kind)))(`%s: ${FILE_LIMIT[0]}; the session goes on`, runRows([FILE_LIMIT]), 60_000);
  // The known break, asserted as it is (a skipped Alpine kind must not count as fixed): when this fails,
  // that shell's line editor no longer writes its history file — move the Alpine kind into the test above.
  it.each(kinds.filter(FILE_LIMIT_BROKEN))(`%s: ${FILE_LIMIT[0]}: the next block ends the session (known: ash's history file)`, async (...kind) => {
    const ran = await withSession(kind, async (run) => {
      expect(await run("ulimit -Sf 0\necho f")).toMatchObject({ kind: "ok", stdout: "f\n" });
      const next = await run("echo next");
      expect(next.kind).toBe("session-died");
      // …and rootlab says why, though the block that ended it did not lower the limit.
      expect(next.reason).toMatch(/SIGXFSZ.*ash_history/s);
    });
    if (!ran) console.log(`skipped ${kind[0]}: ${skipReason}`);
  }, 60_000);
});

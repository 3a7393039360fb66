// Round 5 of blocks that attack the session protocol (rounds 1-4: engine-torture*.test.ts), in every kind of
// session the labs use (test/helpers/torture-sessions.ts): the cases round 4 left open (`set -o vi`, `coproc NAME
// { … }`, an array PROMPT_COMMAND, ash's echoed input in a failing block's stderr) and their relatives — traps and
// their options, `set -u`, IFS, history variables, `enable -f`, named fds kept across blocks, a low `ulimit -n`,
// control characters, Unicode, output without a newline, `read -t`, a job holding the terminal, `stty` inside a
// block. Each row says what a plain `bash script` (or `busybox sh script`) does; then `echo next` must run in the
// same session with nothing on stderr. Names: rlt9*.
import { expect, it } from "vitest";
import { describeAsRoot } from "../helpers/root.js";
import { same, tortureSessions, type Row, type SessionKind } from "../helpers/torture-sessions.js";

const CONTROL = "a\x01b\x03c\x04d\x1ae\x15f\x17g\x7f";

const SURVIVES: Row[] = [
  // Round 4's open cases.
  ["set -o vi (a script ignores it; the typed turn gets it)", "set -o vi\necho vi", same("vi\n"), same("vi\n"), "set +o vi"],
  ["set +o emacs", "set +o emacs\necho off", same("off\n"), undefined],
  ["coproc NAME { … }", 'coproc RLT9 { cat; }\necho hi >&"${RLT9[1]}"\nread -r l <&"${RLT9[0]}"\necho "got $l"\nkill "$RLT9_PID"; wait "$RLT9_PID" || :', same("got hi\n"), undefined],
  ["an array PROMPT_COMMAND (a script never runs it)", 'PROMPT_COMMAND=("echo a" "kill -9 $$")\necho set', same("set\n"), undefined],
  ["… comes back whole", "declare -p PROMPT_COMMAND", same(""), undefined],
  ["an array PROMPT_COMMAND whose first element is empty", 'PROMPT_COMMAND=("" "kill -9 $$")\necho set', same("set\n"), undefined, "unset PROMPT_COMMAND"],
  ["read at end of file fails without a word on stderr", "read v", same("", 1), same("", 1)],
  ["a failing command after a silent one", "true\nfalse", same("", 1), same("", 1)],
  // Relatives.
  ["set -u: an unbound variable fails the block", "set -u\necho $RLT9_UNSET\necho never", { stdout: "", status: 1, stderr: /RLT9_UNSET: unbound variable/ }, { stdout: "", status: 2, stderr: /RLT9_UNSET: parameter not set/ }, "set +u"],
  ["a bad substitution fails the block", "echo ${x!!}\necho never", { stdout: "", status: 1, stderr: /bad substitution/ }, { stdout: "", status: 2, stderr: /bad substitution/ }],
  ["errtrace and an ERR trap left set", "set -o errtrace\ntrap 'echo err' ERR\nf() { false; }\nf", same("err\nerr\n", 1), undefined, "trap - ERR; set +o errtrace"],
  ["functrace and a RETURN trap", "set -o functrace\ntrap 'echo ret' RETURN\nf() { :; }\nf\ntrap - RETURN; set +o functrace", same("ret\n"), undefined],
  ["shopt -s extdebug left on", "shopt -s extdebug\necho x", same("x\n"), undefined, "shopt -u extdebug"],
  ["BASH_ENV for the shells a block starts", "printf 'echo FROM_ENV\\n' >/tmp/rlt9-r5env\nBASH_ENV=/tmp/rlt9-r5env bash -c 'echo child'", same("FROM_ENV\nchild\n"), undefined, "rm -f /tmp/rlt9-r5env"],
  ["IFS of a space and %", "IFS=' %'\nx='a%b'; set -- $x; echo $#", same("2\n"), same("2\n"), "unset IFS"],
  ["IFS empty", "IFS=\necho a b", same("a b\n"), same("a b\n"), "unset IFS"],
  ["HISTFILE, HISTCONTROL and HISTSIZE=0", "HISTFILE=/nonexistent/h HISTCONTROL=ignoreboth HISTSIZE=0\necho h", same("h\n"), same("h\n"), "unset HISTFILE HISTCONTROL HISTSIZE"],
  ["enable -f of a missing library", "enable -f /nonexistent/rlt9.so rlt9\necho never", { stdout: "", status: 1, stderr: /cannot open shared object/ }, undefined],
  ["a named fd opened in one block …", "exec {RLT9FD}>/tmp/rlt9-r5fd\necho one >&$RLT9FD", same(""), undefined],
  ["… is still open in the next", 'echo two >&"$RLT9FD"\nexec {RLT9FD}>&-\ncat /tmp/rlt9-r5fd\nrm /tmp/rlt9-r5fd', same("one\ntwo\n"), undefined],
  ["ulimit -Sn 20 (the shell keeps its terminal on fds 10-12)", "ulimit -Sn 20\necho low", same("low\n"), same("low\n"), "ulimit -Sn 1024"],
  ["output without a newline on both streams", "printf err >&2\nprintf out", { stdout: "out", status: 0, stderr: "err" }, { stdout: "out", status: 0, stderr: "err" }],
  ["$'…' with control characters", "echo $'a\\x01b\\x03c\\x04d\\x1ae\\x15f\\x17g\\x7f'", same(`${CONTROL}\n`), same(`${CONTROL}\n`)],
  ["control characters typed in the block", `echo '${CONTROL}'`, same(`${CONTROL}\n`), same(`${CONTROL}\n`)],
  ["Unicode", "echo 'héllo wörld ✓ 日本語 🙂'", same("héllo wörld ✓ 日本語 🙂\n"), same("héllo wörld ✓ 日本語 🙂\n")],
  ["read -t with nothing to read", 'read -t 1 x || echo "rc=$?"', same("rc=1\n"), same("rc=1\n")],
  ["read -t from the session's terminal times out", 'read -t 0.2 x </dev/tty || echo "rc=$?"', same("rc=142\n"), undefined],
  ["wait -n without jobs", "wait -n\necho never", same("", 127), undefined],
  ["a job holding the session's terminal", "sleep 30 </dev/tty >/dev/tty 2>&1 &\necho bg", same("bg\n"), undefined, 'kill "$!"; wait "$!" || :'],
  ["stty on the session's terminal: size, onlcr, isig", "RLT9_TTY=$(stty -g </dev/tty)\nstty cols 20 rows 5 -onlcr isig </dev/tty\necho s", same("s\n"), undefined, 'stty "$RLT9_TTY" </dev/tty'],
  ["stty sane on the session's terminal, then a long line", `stty sane </dev/tty\nx=${"z".repeat(9000)}; echo \${#x}`, same("9000\n"), undefined],
];

/** [name, block, what the reason must say, shells] — the block ends the session, as it would end a script. */
const ENDS: [string, string, RegExp, ("bash" | "ash")[]][] = [
  ["ulimit -n 9 (ash cannot keep its terminal on fds 10 and up)", "ulimit -n 9\necho low", /line 10 \(`ulimit -n 9`\).*open files limit/, ["ash"]],
];

const shellOf = (kind: SessionKind): "bash" | "ash" => (kind[1].includes("ash") ? "ash" : "bash");
const like = (want: string | RegExp) => (typeof want === "string" ? want : expect.stringMatching(want));

describeAsRoot("protocol torture, round 5, in every kind of session", () => {
  const { kinds, withSession, skipReason } = tortureSessions("r5");

  it.each(kinds)("%s: each block does what a script does with it; the session goes on", async (...kind) => {
    const shell = shellOf(kind);
    const ran = await withSession(kind, async (run) => {
      const pid = (await run("echo $$")).stdout.trim();
      for (const [name, code, inBash, inAsh, undo] of SURVIVES) {
        const want = shell === "bash" ? inBash : inAsh;
        if (!want) continue;
        const r = await run(code, { timeoutMs: 10_000 });
        const stdout = name === "… comes back whole" ? `declare -a PROMPT_COMMAND=([0]="echo a" [1]="kill -9 ${pid}")\n` : like(want.stdout);
        expect({ name, kind: r.kind, exitCode: r.exitCode, stdout: r.stdout, reason: r.reason }).toEqual({ name, kind: "ok", exitCode: want.status, stdout, reason: undefined });
        if (want.stderr !== undefined) expect({ name, stderr: r.stderr }).toEqual({ name, stderr: like(want.stderr) });
        const next = await run("echo next\necho two");
        expect({ name, kind: next.kind, stdout: next.stdout, stderr: next.stderr }).toEqual({ name, kind: "ok", stdout: "next\ntwo\n", stderr: "" });
        if (undo) expect({ name, undo: await run(undo) }).toMatchObject({ name, undo: { kind: "ok", exitCode: 0 } });
      }
    });
    if (!ran) console.log(`skipped ${kind[0]}: ${skipReason}`);
  }, 180_000);

  for (const [name, code, reason, shells] of ENDS) {
    it.each(kinds.filter((kind) => shells.includes(shellOf(kind))))(`%s: ${name} ends the session; rootlab names the line`, async (...kind) => {
      const ran = await withSession(kind, async (run, sessions, session) => {
        const r = await run(code, { timeoutMs: 10_000 });
        expect(r.kind, `${r.reason}`).toBe("session-died");
        expect(r.reason).toMatch(reason);
        expect(sessions.alive(session)).toBe(false);
      });
      if (!ran) console.log(`skipped ${kind[0]}: ${skipReason}`);
    }, 60_000);
  }
});

// Round 4 of blocks that attack the session protocol (rounds 1-3: engine-torture.test.ts and
// engine-torture-more.test.ts), in every kind of session the labs use (test/helpers/torture-sessions.ts). Each
// row says what a plain `bash script` (or `busybox sh script`) does with the block; then `echo next` must run in
// the same session. Rows that end the session must say which line did what. Never a hang (each block has a
// timeout below the test's), never a silent pass (stdout, status and, where it matters, stderr are compared),
// never a leak (withSession checks no process of the run is left). Names: rlt9*.
import { expect, it } from "vitest";
import { describeAsRoot } from "../helpers/root.js";
import { tortureSessions, type SessionKind } from "../helpers/torture-sessions.js";

/** What a block does in one shell: its stdout and status (and stderr when given), the session going on. */
interface Goes {
  stdout: string;
  status: number;
  stderr?: string | RegExp;
}
/** [name, block, in bash, in busybox ash (undefined: not run there), a block that puts the session back] */
type Row = [string, string, Goes | undefined, Goes | undefined, string?];

const same = (stdout: string, status = 0): Goes => ({ stdout, status });
const KILLERS = "PS0='$(kill -9 $$)' PS1='$(kill -9 $$)' PS2='$(kill -9 $$)'";

const SURVIVES: Row[] = [
  ["exec 0</dev/null", "exec 0</dev/null\nread x || echo eof", same("eof\n"), same("eof\n")],
  ["exec 1>&- (a write then fails, as in a script)", "exec 1>&-\necho gone", same("", 1), same("", 1)],
  ["a named fd: exec {fd}>&1", "exec {fd}>&1\necho named >&$fd\nexec {fd}>&-", same("named\n"), undefined],
  ["ERR trap with set -E", "set -E\ntrap 'echo err-trap' ERR\nf() { false; }\nf", same("err-trap\nerr-trap\n", 1), undefined, "trap - ERR; set +E"],
  ["RETURN trap with set -T", "set -T\ntrap 'echo ret' RETURN\nf() { :; }\nf", same("ret\n"), undefined, "trap - RETURN; set +T"],
  ["shopt -s lastpipe", "shopt -s lastpipe\necho v | read x\necho \"x=$x\"", same("x=v\n"), undefined, "shopt -u lastpipe"],
  ["bind without line editing", "bind 'set bell-style none'\necho b", { stdout: "b\n", status: 0, stderr: /line editing not enabled/ }, undefined],
  ["PROMPT_COMMAND=exit (a script never runs it)", "PROMPT_COMMAND=exit\necho set", same("set\n"), same("set\n"), "unset PROMPT_COMMAND"],
  ["PS0, PS1 and PS2 that kill the shell", `${KILLERS}\necho set`, same("set\n"), same("set\n")],
  ["they are still set for the next block, as in a script", 'echo "$PS0"\necho two', same("$(kill -9 $$)\ntwo\n"), same("$(kill -9 $$)\ntwo\n"), "PS0= PS1= PS2="],
  ["set -x traces only the block's commands", "set -x\necho traced\nset +x", { stdout: "traced\n", status: 0, stderr: /^\+\+? echo traced\n\+\+? set \+x\n$/ }, { stdout: "traced\n", status: 0, stderr: /^\+\+? echo traced\n\+\+? set \+x\n$/ }],
  ["PS4 with a command substitution", "PS4='+$(echo T) '; set -x\necho traced\nset +x", { stdout: "traced\n", status: 0, stderr: /^\+*T echo traced\n\+*T set \+x\n$/ }, undefined, "PS4='+ '"],
  ["set -x with BASH_XTRACEFD=3", "exec 3>/dev/null; BASH_XTRACEFD=3; set -x\necho traced\nset +x", { stdout: "traced\n", status: 0, stderr: "" }, undefined, "unset BASH_XTRACEFD"],
  ["unset of every variable", 'unset $(compgen -v) 2>/dev/null || :\necho "${PATH-none}"', same("none\n"), undefined, "PATH=/usr/sbin:/usr/bin:/sbin:/bin"],
  ["unset -f of every function", "f() { :; }\nunset -f $(compgen -A function)\necho f", same("f\n"), undefined],
  ["alias if, then, fi (a script expands no aliases)", "alias if='echo HIJ' then=x fi=y\necho a", same("a\n"), same("a\n"), "if true; then :; fi"],
  ["expand_aliases with aliases of printf and read", "shopt -s expand_aliases\nalias printf='echo P' read='echo R'\necho al", same("al\n"), undefined, "unalias printf read"],
  ["declare -r PATH", "declare -r PATH\necho ro", same("ro\n"), undefined],
  ["cd into a directory that is then removed", "mkdir -p /tmp/rlt9-gone4 && cd /tmp/rlt9-gone4 && rmdir /tmp/rlt9-gone4\npwd", same("/tmp/rlt9-gone4\n"), same("/tmp/rlt9-gone4\n"), "cd /"],
  ["disown (the session's close still ends it)", "sleep 1000 &\ndisown\necho d", same("d\n"), undefined],
  ["wait -n", "sleep 0.1 & sleep 0.2 &\nwait -n\necho \"w $?\"\nwait", same("w 0\n"), undefined],
  ["coproc", 'coproc cat\necho hi >&"${COPROC[1]}"\nread -r l <&"${COPROC[0]}"\necho "got $l"\nkill "$COPROC_PID"', same("got hi\n"), undefined],
  ["stty -echo -icanon raw on the session's terminal", "stty -echo -icanon raw </dev/tty\necho raw", same("raw\n"), undefined],
  ["stty on the block's stdin (not a terminal, as in a script)", "stty raw", { stdout: "", status: 1, stderr: /Inappropriate ioctl|Not a tty|not a tty/ }, { stdout: "", status: 1 }],
  ["output without a newline, then a prompt-like string", "printf 'abc$ '", same("abc$ "), same("abc$ ")],
  ["text like the protocol's own", "printf '__RL_ 0 0 e 1\\n__RL_%s 0 0 e 1\\n' x\nprintf '\\033]777;rootlab-check;x\\007\\n'", same("__RL_ 0 0 e 1\n__RL_x 0 0 e 1\n\x1b]777;rootlab-check;x\x07\n"), same("__RL_ 0 0 e 1\n__RL_x 0 0 e 1\n\x1b]777;rootlab-check;x\x07\n")],
  ["a fake status line on the terminal", "printf '__RL_x 0 0 h 1\\n' >/dev/tty\necho faked", same("faked\n"), undefined],
  ["NUL in a here-document (dropped, as bash does)", "cat <<'EOF'\na\0b\nEOF", same("ab\n"), same("ab\n")],
  ["read from stdin gets end of file, not the next block", 'read line\necho "got [$line]"', same("", 1), same("", 1)],
  ["cat with no arguments", "cat\necho after-cat", same("after-cat\n"), same("after-cat\n")],
  ["ulimit -f 0 in a subshell (SIGXFSZ ends the subshell)", "( ulimit -f 0; echo x >/tmp/rlt9-f0 )", same("", 153), same("", 153), "rm -f /tmp/rlt9-f0"],
  ["ulimit -u 1 in a subshell (root is not limited)", "( ulimit -u 1; /bin/true && echo forked )", same("forked\n"), undefined],
  ["history -c", "history -c\necho h", same("h\n"), undefined],
  ["set -o ignoreeof", "set -o ignoreeof\necho i", same("i\n"), undefined, "set +o ignoreeof"],
  ["suspend (no job control, as in a script)", "suspend", { stdout: "", status: 1, stderr: /no job control/ }, undefined],
  ["logout (not a login shell)", "logout", { stdout: "", status: 1, stderr: /not login shell/ }, undefined],
  ["trap … DEBUG in ash (no such trap)", "trap 'exit' DEBUG", undefined, { stdout: "", status: 1, stderr: /DEBUG/ }],
  ["set -o vi in ash", "set -o vi\necho vi", undefined, same("vi\n"), "set +o vi"],
  ["nothing of rootlab's in the environment of a block's command (sessions export everything)", "env | grep -c '^__rl_' || :", same("0\n"), undefined],
  ["enable -n read (blocks read an empty file, not with rootlab's read)", "enable -n read\necho r", same("r\n"), undefined, "enable read"],
];

/**
 * [name, block, what the reason must say, shells, what ash as PID 1 of a PID namespace does instead] — the block
 * ends the session, as it would end a script.
 */
const ENDS: [string, string, RegExp, ("bash" | "ash")[], { status: number }?][] = [
  ["exec bash", "echo a\nexec bash", /exec bash.*line 11/, ["bash"]],
  ["exec sh", "exec sh", /exec sh/, ["bash", "ash"]],
  ["exec -a name bash", "exec -a renamed bash", /exec.*bash/, ["bash"]],
  // PID 1 of a PID namespace ignores SIGXFSZ: ash's write fails and it goes on; bash crashes (SIGSEGV).
  ["ulimit -f 0, then the shell writes a file", "ulimit -f 0\necho x >/tmp/rlt9-f0", /(SIGXFSZ|SIGSEGV).*line 10 \(`ulimit -f 0`\).*file size limit/, ["bash", "ash"], { status: 1 }],
  ["trap 'exit' DEBUG", "trap 'exit' DEBUG\necho x", /line 10 \(`trap 'exit' DEBUG`\).*trap that runs `exit`/, ["bash"]],
  // `set -o vi` alone on its line is kept for the typed turn (round 5); other spellings still crash bash in eval.
  ["set -eo vi", "set -eo vi\necho vi", /line 10 \(`set -eo vi`\).*line editing/, ["bash"]],
];

const shellOf = (kind: SessionKind): "bash" | "ash" => (kind[1].includes("ash") ? "ash" : "bash");

describeAsRoot("protocol torture, round 4, in every kind of session", () => {
  const { kinds, withSession, skipReason } = tortureSessions("r4");

  it.each(kinds)("%s: each block does what a script does with it; the session goes on", async (...kind) => {
    const shell = shellOf(kind);
    const ran = await withSession(kind, async (run) => {
      for (const [name, code, inBash, inAsh, undo] of SURVIVES) {
        const want = shell === "bash" ? inBash : inAsh;
        if (!want) continue;
        const r = await run(code, { timeoutMs: 10_000 });
        expect({ name, kind: r.kind, exitCode: r.exitCode, stdout: r.stdout, reason: r.reason }).toEqual({ name, kind: "ok", exitCode: want.status, stdout: want.stdout, reason: undefined });
        if (want.stderr !== undefined) expect({ name, stderr: r.stderr }).toEqual({ name, stderr: typeof want.stderr === "string" ? want.stderr : expect.stringMatching(want.stderr) });
        const next = await run("echo next\necho two");
        expect({ name, kind: next.kind, stdout: next.stdout, stderr: next.stderr }).toEqual({ name, kind: "ok", stdout: "next\ntwo\n", stderr: "" });
        if (undo) expect({ name, undo: await run(undo) }).toMatchObject({ name, undo: { kind: "ok", exitCode: 0 } });
      }
      // One very long line without a newline (ash reads through a line editor that echoes: a tenth of it).
      const long = shell === "bash" ? 3_000_000 : 300_000;
      const line = await run(`head -c ${long} /dev/zero | tr '\\0' y`, { timeoutMs: 60_000 });
      expect([line.kind, line.stdout.length, line.stdout.endsWith("y")]).toEqual(["ok", long, true]);
      // kill -9 $$ from a subshell ends the shell, as in a script, unless the shell is PID 1 of a PID namespace
      // (unshare --pid, nspawn), which its own namespace cannot kill: it goes on.
      const pid1 = (await run("echo $$")).stdout === "1\n";
      const killed = await run("echo a\n( kill -9 $$ )\necho after");
      if (pid1) expect(killed).toMatchObject({ kind: "ok", stdout: "a\nafter\n" });
      else {
        expect(killed).toMatchObject({ kind: "session-died", stdout: "a\n" });
        expect(killed.reason).toMatch(/SIGKILL.*line 11 \(`\( kill -9 \$\$ \)`\).*own shell/);
      }
    });
    if (!ran) console.log(`skipped ${kind[0]}: ${skipReason}`);
  }, 180_000);

  for (const [name, code, reason, shells, ashAsPid1] of ENDS) {
    it.each(kinds.filter((kind) => shells.includes(shellOf(kind))))(`%s: ${name} ends the session; rootlab names the line`, async (...kind) => {
      const ran = await withSession(kind, async (run, sessions, session) => {
        if (ashAsPid1 && shellOf(kind) === "ash" && (await run("echo $$")).stdout === "1\n") {
          expect(await run(code, { timeoutMs: 10_000 })).toMatchObject({ kind: "ok", exitCode: ashAsPid1.status });
          expect(await run("echo next")).toMatchObject({ kind: "ok", stdout: "next\n" });
          return;
        }
        const r = await run(code, { timeoutMs: 10_000 });
        expect(r.kind, `${r.reason}`).toBe("session-died");
        expect(r.reason).toMatch(reason);
        expect(sessions.alive(session)).toBe(false);
        expect(await run("echo later")).toMatchObject({ kind: "session-died" });
      });
      if (!ran) console.log(`skipped ${kind[0]}: ${skipReason}`);
    }, 60_000);
  }
});

// More blocks that attack the session protocol (see engine-torture.test.ts for the first set), in every kind of
// session the labs use, busybox ash in the Alpine fixture included. Each row is what a plain `bash script` (or
// `busybox sh script`) does; then `echo next` must run in the same session. Rows that end the session must say
// why. Names: rlt9*.
import { expect, it } from "vitest";
import { describeAsRoot } from "../helpers/root.js";
import { tortureSessions, type SessionKind, type Shell } from "../helpers/torture-sessions.js";

/** [name, code, stdout, status, which shells] — the session goes on. */
const SURVIVES: [string, string, string, number, Shell[]][] = [
  ["read and cat get end of file", "read x || echo \"eof $?\"\ncat\necho done", "eof 1\ndone\n", 0, ["bash", "ash"]],
  ["exec 0</dev/null", "exec 0</dev/null\necho z", "z\n", 0, ["bash", "ash"]],
  ["output without a trailing newline", "printf noeol", "noeol", 0, ["bash", "ash"]],
  ["NUL, invalid UTF-8 and CR", "printf 'a\\000b\\r\\n'", "a\0b\r\n", 0, ["bash", "ash"]],
  ["ANSI and OSC sequences", "printf '\\033[2J\\033]0;t\\007x\\n'", "\x1b[2J\x1b]0;t\x07x\n", 0, ["bash", "ash"]],
  ["trap '' PIPE TERM HUP", "trap '' PIPE TERM HUP\necho t", "t\n", 0, ["bash", "ash"]],
  ["wait on nothing", "wait\necho \"w $?\"", "w 0\n", 0, ["bash", "ash"]],
  ["$? after a successful command", "true\necho \"$?\"", "0\n", 0, ["bash", "ash"]],
  ["a job holding the block's stdout", "sleep 1000 &\necho bg", "bg\n", 0, ["bash", "ash"]],
  ["200 background sleeps", "i=0; while [ $i -lt 200 ]; do sleep 1000 & i=$((i+1)); done\necho burst", "burst\n", 0, ["bash", "ash"]],
  ["exit inside a function not called", "f() { exit 5; }\necho defined", "defined\n", 0, ["bash", "ash"]],
  ["CRLF line endings", "echo crlf\r\necho two\r", "crlf\r\ntwo\r\n", 0, ["bash", "ash"]],
  ["last line a comment", "echo a\n# the end", "a\n", 0, ["bash", "ash"]],
  ["last line a backslash continuation", "echo a \\", "a\n", 0, ["bash", "ash"]],
  ["umask 777", "umask 777\necho u", "u\n", 0, ["bash", "ash"]],
  ["set -f", "set -f\necho /*", "/*\n", 0, ["bash", "ash"]],
  ["PATH empty", "OLD=$PATH; PATH=\necho p", "p\n", 0, ["bash", "ash"]],
  ["PATH back", "PATH=$OLD; unset OLD\nset +f; umask 022\necho back", "back\n", 0, ["bash", "ash"]],
  ["the protocol's variable names made readonly", "readonly __rl_rc __rl_ev __rl_L __rl_x __rl_B\necho ro", "ro\n", 0, ["bash", "ash"]],
  ["nohup, setsid and a double fork", "nohup sleep 1000 >/dev/null 2>&1 &\nsetsid sleep 1000 &\n( ( sleep 1000 & ) & )\necho spawned", "spawned\n", 0, ["bash"]],
  ["$? and $_ from the command before", "echo a >/dev/null\necho \"$? $_\"", "0 a\n", 0, ["bash"]],
  ["exec {x}>&-", "exec {x}>/dev/null\nexec {x}>&-\necho x", "x\n", 0, ["bash"]],
  ["enable -n printf", "enable -n printf\necho e", "e\n", 0, ["bash"]],
  ["hash -p /bin/false printf", "enable printf\nhash -p /bin/false printf\necho h", "h\n", 0, ["bash"]],
  ["unset -f command", "unset -f command\necho u", "u\n", 0, ["bash"]],
  ["set -o posix, noclobber, pipefail; shopt", "set -o posix -o noclobber -o pipefail\nshopt -s expand_aliases; shopt -u extglob\necho o", "o\n", 0, ["bash"]],
  ["options back", "set +o posix +o noclobber +o pipefail\necho b", "b\n", 0, ["bash"]],
  ["caller and times at top level", "caller || echo \"caller $?\"\ntimes >/dev/null\necho t", "caller 1\nt\n", 0, ["bash"]],
  ["HISTFILE and exec -a", "HISTFILE=/nonexistent/h\n(exec -a renamed sh -c 'echo $0')", "renamed\n", 0, ["bash"]],
  ["kill -TSTP $$ (an interactive shell ignores it)", "kill -TSTP $$\necho after", "after\n", 0, ["bash"]],
  // Blocks read an empty file as their stdin: rootlab needs no `read` of the shell's.
  ["enable -n read", "enable -n read\necho r", "r\n", 0, ["bash"]],
  ["read back", "enable read\nread x || echo eof", "eof\n", 0, ["bash"]],
];

/** [name, code, what the reason must say, shells] — the block legitimately ends the session; rootlab says why. */
const ENDS: [string, string, RegExp, Shell[]][] = [
  ["exit in a function", "f() { exit 5; }\nf", /exited with status 5/, ["bash", "ash"]],
  ["enable -n eval", "enable -n eval", /enable -n eval/, ["bash"]],
  ["a function named command", "command() { echo hijacked; }", /function named `command`/, ["bash"]],
  ["enable -n command", "enable -n command", /enable -n command/, ["bash"]],
  ["enable -n printf, and printf on PATH is false", "enable -n printf\nhash -p /bin/false printf", /enable -n printf/, ["bash"]],
  ["a DEBUG trap that skips every command", "shopt -s extdebug\ntrap false DEBUG", /DEBUG trap/, ["bash"]],
  ["closing the fds the shell keeps its terminal on", "exec 10>&- 11>&- 12>&-", /closed the file descriptors where the shell keeps its terminal/, ["ash"]],
  // Alone on its terminal, the shell that closed every fd on it gets SIGHUP (rootlab's end sees no open slave).
];

describeAsRoot("more blocks that attack the protocol, in every kind of session", () => {
  const { kinds, withSession, skipReason } = tortureSessions("mns");

  it.each(kinds)("%s: each block does what the shell does with it; the session goes on", async (...kind) => {
    const tags = kind[1];
    const ran = await withSession(kind, async (run) => {
      for (const [name, code, stdout, status, shells] of SURVIVES) {
        if (!shells.some((s) => tags.includes(s))) continue;
        const r = await run(code);
        expect({ name, kind: r.kind, exitCode: r.exitCode, stdout: r.stdout, reason: r.reason }).toEqual({ name, kind: "ok", exitCode: status, stdout, reason: undefined });
        const next = await run("echo next");
        expect({ name, kind: next.kind, stdout: next.stdout, stderr: next.stderr }).toEqual({ name, kind: "ok", stdout: "next\n", stderr: "" });
      }
      // TMOUT ends an interactive shell that waits that long for a command; a script is not affected.
      expect(await run("TMOUT=1")).toMatchObject({ kind: "ok", exitCode: 0 });
      await new Promise((resolve) => setTimeout(resolve, 1600)); // the idle time TMOUT is about, not a synchronisation
      expect(await run("echo \"still here ${TMOUT}\"\nunset TMOUT")).toMatchObject({ kind: "ok", stdout: "still here 1\n" });
      // A 100 MB block output, whole.
      if (tags.includes("bash")) {
        const big = await run("head -c 100000000 /dev/zero | tr '\\0' a");
        expect([big.kind, big.stdout.length]).toEqual(["ok", 100_000_000]);
      }
      // One very long line (ash reads it through its line editor, which echoes it: 1 MB takes it ~13 s, so 100 KB).
      const long = tags.includes("bash") ? 1_000_000 : 100_000;
      const line = await run(`echo ${"x".repeat(long)}`, { timeoutMs: 60_000 });
      expect([line.kind, line.stdout.length]).toEqual(["ok", long + 1]);
      // The timeout: a block that ignores SIGTERM and SIGINT is killed all the same, with the reason; the session goes on.
      const stuck = await run("trap '' TERM INT\nsh -c \"trap '' TERM INT; while :; do sleep 1; done\"", { timeoutMs: 1000 });
      expect(stuck.kind).toBe("timeout");
      expect(stuck.reason).toMatch(/timed out after 1s; its processes were killed, session "\w+" is still usable/);
      expect(await run("trap - TERM INT\necho next")).toMatchObject({ kind: "ok", stdout: "next\n" });
      // A shell that stops itself waits for a SIGCONT nobody sends, as in a script; the timeout continues it. PID 1
      // of a PID namespace (unshare --pid, nspawn) cannot be stopped from inside: it goes on at once.
      const pid1 = (await run("echo $$")).stdout === "1\n";
      const stopped = await run("kill -STOP $$\necho continued", { timeoutMs: 1000 });
      expect([stopped.kind, stopped.stdout]).toEqual([pid1 ? "ok" : "timeout", "continued\n"]);
      expect(await run("echo next")).toMatchObject({ kind: "ok", stdout: "next\n" });
    });
    if (!ran) console.log(`skipped ${kind[0]}: ${skipReason}`);
  }, 120_000);

  // Once a block closed every fd bash had on its terminal, whether it gets the terminal back (/dev/tty; below
  // unshare or nsenter usually so) or rootlab sees the terminal hang up or the shell wait without the protocol's
  // line first is a race (seen both ways in CI). Either way: no hang, and a reason when it ended.
  const bashKinds = kinds.filter(([, tags]) => tags.includes("host") || tags.includes("entered"));
  const closing = bashKinds.flatMap((kind) => [[kind[0], 0, kind], [kind[0], 3, kind]] as [string, number, SessionKind][]);
  it.each(closing)("%s: closing every fd from %i to 255: the session goes on or says it ended", async (_name, from, kind) => {
    await withSession(kind, async (run) => {
      const r = await run(`for fd in {${from}..255}; do exec {fd}>&-; done`);
      // Ended during the block: the reason names its line and what it closed.
      if (r.kind !== "ok") expect(r.reason).toMatch(/line 10 \(`for fd in .*`\).*file descriptors the shell keeps its terminal on/);
      const next = r.kind === "ok" ? await run("echo next") : r;
      if (next.kind === "ok") expect(next.stdout).toBe("next\n");
      else expect(next).toMatchObject({ kind: "session-died", reason: expect.stringMatching(/\S/) });
    });
  });

  for (const [name, code, reason, shells] of ENDS) {
    it.each(kinds.filter(([, tags]) => shells.some((s) => tags.includes(s))))(`%s: ${name.replace(/%/g, "%%")} ends the session, and rootlab says why`, async (...kind) => {
      const enter = kind[2];
      await withSession(kind, async (run, s) => {
        const first = await run(code);
        const r = first.kind === "ok" ? await run("echo next") : first;
        expect(r.kind, `${r.reason}`).toBe("session-died");
        expect(r.reason).toMatch(reason);
        expect(s.alive(enter ? "s" : "host")).toBe(false);
        const later = await run("echo later");
        expect(later).toMatchObject({ kind: "session-died" });
      });
    }, 60_000);
  }
});

// Round 7 of blocks that attack the session protocol (rounds 1-6: engine-torture*.test.ts), in every kind of
// session the labs use (test/helpers/torture-sessions.ts): a printing DEBUG trap, `set -T` and `set -v` (fixed in
// round 8; a DEBUG trap that counts is a known break, see KNOWN), `set -m`, `set -k`, shell options the protocol's text meets (`failglob`, `xpg_echo`,
// an IFS of the protocol's own characters), an invalid locale, `readonly PS1` and the session's own variables
// made readonly or unset, stdin closed, screen-control sequences, a megabyte without a newline, a 100 KB line in
// the block's own text, signals ignored past the timeout, a tmpfs mounted over the channel's folder, and blocks
// that end the session with a job still running. Each row says what a plain `bash script` (or `busybox sh
// script`) does — checked by running the row's text as a script; then `echo next` must run in the same session
// with nothing on stderr. Names: rlt11*.
import { expect, it } from "vitest";
import { describeAsRoot } from "../helpers/root.js";
import { rowRunner, same, shellOf, tortureSessions, type Row } from "../helpers/torture-sessions.js";

const MB = 1_000_000;
const LONG_TEXT = 100_000;

const SURVIVES: Row[] = [
  // A script with job control prints neither `[1] pid` nor `[1]+  Done  sleep 0.1` (bash's interactive shell does).
  ["set -m and a job", "set -m\nsleep 0.1 &\nwait\nset +m", same(""), undefined],
  ["set -k: name=value arguments go to the environment", "set -k\necho k x=1", same("k\n"), undefined, "set +k"],
  ["shopt -s failglob nullglob", "shopt -s failglob nullglob\necho g", same("g\n"), undefined, "shopt -u failglob nullglob"],
  ["shopt -s xpg_echo", "shopt -s xpg_echo\necho 'a\\tb'", same("a\tb\n"), undefined, "shopt -u xpg_echo"],
  ["an IFS of the protocol's own characters", "IFS='_rRlL{}$=;\"'\"'\"\necho a b", same("a b\n"), same("a b\n"), "unset IFS"],
  ["an invalid locale", "LC_ALL=xx_YY.bogus\necho l", { stdout: "l\n", status: 0, stderr: /setlocale: LC_ALL: cannot change locale \(xx_YY\.bogus\)/ }, same("l\n"), "LC_ALL=C.UTF-8"],
  ["complete", "complete -W 'a b' rlt11c\ncomplete -p rlt11c", same("complete -W 'a b' rlt11c\n"), undefined, "complete -r rlt11c"],
  ["umask 0", "umask 0\numask", same("0000\n"), same("0000\n"), "umask 022"],
  ["stdin closed: cat fails as in a script", "exec 0<&-\ncat", { stdout: "", status: 1, stderr: /^cat: -: Bad file descriptor\n/ }, { stdout: "", status: 1, stderr: /Bad file descriptor/ }],
  ["trap '' on TERM, INT and HUP", "trap '' TERM INT HUP\necho t", same("t\n"), same("t\n"), "trap - TERM INT HUP"],
  [
    "clear screen, alternate screen, reset and bell in the output",
    "printf '\\033[2J\\033[H\\033[?1049hA\\033[?1049l\\033cB\\a\\n'",
    same("\x1b[2J\x1b[H\x1b[?1049hA\x1b[?1049l\x1bcB\x07\n"),
    same("\x1b[2J\x1b[H\x1b[?1049hA\x1b[?1049l\x1bcB\x07\n"),
  ],
  ["1 MB in one line without a newline", `head -c ${MB} /dev/zero | tr '\\0' b`, same("b".repeat(MB)), same("b".repeat(MB))],
  ["a 100 KB line in the block's own text", `echo ${"w".repeat(LONG_TEXT)}`, same(`${"w".repeat(LONG_TEXT)}\n`), same(`${"w".repeat(LONG_TEXT)}\n`)],
  ["process substitution", "cat <(echo p)\ndiff <(echo a) <(echo a) && echo same", same("p\nsame\n"), undefined],
  ["sleep infinity in the background", "sleep infinity &\necho $! >/tmp/rlt11-inf\necho bg", same("bg\n"), same("bg\n"), 'kill "$(cat /tmp/rlt11-inf)"; rm -f /tmp/rlt11-inf'],
  ["readonly PS1 (rootlab cannot put it aside; a script never expands it)", "readonly PS1\necho r", same("r\n"), same("r\n")],
  // Known breaks until round 8 (block-script.ts): rootlab's own commands between the block's run with stdout and
  // stderr closed, so a printing DEBUG trap prints only before the block's commands.
  ["a DEBUG trap that prints", "trap 'echo x' DEBUG\necho a\ntrap - DEBUG", same("x\na\nx\n"), undefined],
  // With functrace the function's own commands get it too: before f, before f's body and echo, before trap -.
  ["set -T and a printing DEBUG trap in a function", "rlt11f() { echo in; }\nset -T\ntrap 'echo d' DEBUG\nrlt11f\ntrap - DEBUG", same("d\nd\nd\nin\nd\n"), undefined, "set +T; unset -f rlt11f"],
  // set -v echoes each line the shell reads after it, on stderr: the block's two later lines, nothing of rootlab's
  // (the body is read whole with verbose off, and each line printed before its command while `$-` has v).
  ["set -v", "set -v\necho a\nset +v", { stdout: "a\n", status: 0, stderr: "echo a\nset +v\n" }, { stdout: "a\n", status: 0, stderr: "echo a\nset +v\n" }],
  // A script has none of rootlab's variables: `unset` of them succeeds silently. They are plain variables now; the
  // status line says they are gone and rootlab defines them again before the next block (sessions.ts).
  ["the session's own variables unset", "unset __rl_away __rl_back __rl_loop __rl_aside __rl_mode\necho u", same("u\n"), same("u\n")],
  // …and what they put aside is put aside again: a PROMPT_COMMAND that exits would end the session between blocks.
  ["the session's own variables unset again", "unset __rl_away __rl_back __rl_loop\necho u", same("u\n"), same("u\n")],
  ["then PROMPT_COMMAND=exit", "PROMPT_COMMAND='exit 7'\necho p", same("p\n"), same("p\n"), "unset PROMPT_COMMAND"],
];

/**
 * Known breaks, asserted as a script behaves and marked `it.fails` (each says what rootlab does instead); the fix
 * belongs in src/exec/block-script.ts: when one of these tests starts to fail, the break is fixed — move its row
 * into SURVIVES.
 * - A DEBUG trap still runs before each of rootlab's own commands between the block's commands (three per
 *   command); only their output is hidden (stdout and stderr closed). bash runs the trap before every simple
 *   command, and nothing can test the last command's `$?` without one (`if`, `case`, `[[` and `((` all run it;
 *   a function call is one too), save a subshell, which would cost a process per command; the trap cannot be put
 *   aside either (`trap - DEBUG` is itself a simple command it runs before). So a trap that counts commands or
 *   writes to a file sees rootlab's: `n=0; trap 'n=$((n+1))' DEBUG; echo a; trap - DEBUG; echo $n` prints 8
 *   where a script prints 2.
 */
const KNOWN: [Row, ("bash" | "ash")[]][] = [
  [["a DEBUG trap that counts commands", "n=0\ntrap 'n=$((n+1))' DEBUG\necho a\ntrap - DEBUG\necho $n", same("a\n2\n"), undefined, "unset n"], ["bash"]],
];

/** A row that leaves something no block can undo (readonly): each kind runs it in a session of its own. */
const LASTING: Row[] = [
  // PS1 set: after the block rootlab puts it aside, with a loop over `__rl_v` (block-script.ts, ASIDE_LOOP).
  ["the session's own variables made readonly, then PS1 set", "readonly __rl_v __rl_aside __rl_a_PS1 __rl_a_PS2 __rl_a_TMOUT __rl_mode\nPS1='rlt11> '\necho ro", same("ro\n"), same("ro\n")],
];


describeAsRoot("protocol torture, round 7, in every kind of session", () => {
  const { kinds, withSession, skipReason } = tortureSessions("r7");

  const runRows = rowRunner({ withSession, skipReason });

  it.each(kinds)("%s: each block does what a script does with it; the session goes on", runRows(SURVIVES), 240_000);
  for (const [row, shells] of KNOWN) {
    // A kind skipped here (no Alpine fixture) would pass as if it were fixed: only the kinds that run.
    it.fails.each(kinds.filter((kind) => shells.includes(shellOf(kind)) && !(skipReason && kind[0].includes("Alpine"))))(`%s: ${row[0]} (known break, block-script.ts)`, runRows([row]), 60_000);
  }
  for (const row of LASTING) it.each(kinds)(`%s: ${row[0]}; the session goes on`, runRows([row]), 60_000);

  // A block that ignores every signal a terminal sends still ends at its timeout: rootlab kills its processes.
  it.each(kinds)("%s: signals ignored, then a block past its timeout: it times out, the session goes on", async (...kind) => {
    const ran = await withSession(kind, async (run) => {
      expect(await run("trap '' TERM INT HUP QUIT\necho ignoring")).toMatchObject({ kind: "ok", stdout: "ignoring\n" });
      const started = Date.now();
      const r = await run("sleep 30\necho never", { timeoutMs: 1500 });
      expect({ kind: r.kind, stdout: r.stdout }).toEqual({ kind: "timeout", stdout: "" });
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(await run("echo next")).toMatchObject({ kind: "ok", stdout: "next\n", stderr: "" });
    });
    if (!ran) console.log(`skipped ${kind[0]}: ${skipReason}`);
  }, 60_000);

  // A block ending the session while its job runs: the job is not left behind (withSession checks the processes).
  it.each(kinds)("%s: exit with a job still running ends the session; nothing is left", async (...kind) => {
    const ran = await withSession(kind, async (run, sessions, session) => {
      const r = await run("sleep 1000 &\necho going\nexit 3");
      expect({ kind: r.kind, stdout: r.stdout }).toEqual({ kind: "session-died", stdout: "going\n" });
      expect(r.reason).toMatch(/status 3|ended/);
      expect(sessions.alive(session)).toBe(false);
    });
    if (!ran) console.log(`skipped ${kind[0]}: ${skipReason}`);
  }, 60_000);

  // exec env -i bash replaces the shell with one that reads the block's empty stdin and exits: as a script ends.
  it.each(kinds.filter((kind) => shellOf(kind) === "bash"))("%s: exec env -i bash ends the session; rootlab names the line", async (...kind) => {
    await withSession(kind, async (run, sessions, session) => {
      const r = await run("echo a\nexec env -i bash", { timeoutMs: 10_000 });
      expect({ kind: r.kind, stdout: r.stdout }).toEqual({ kind: "session-died", stdout: "a\n" });
      expect(r.reason).toMatch(/line 11/);
      expect(sessions.alive(session)).toBe(false);
    });
  }, 60_000);

  // Sessions with a mount namespace of their own (unshare, ip netns exec): a tmpfs over /run/rootlab, where the
  // channel's FIFOs live, hides them from the shell. A script's output does not go through a path: it goes on.
  // So does the session: the next block cannot open its files and does not run; rootlab then makes the folder
  // again through /proc/PID/root (in the session's mount namespace, on the tmpfs) and sends that block again.
  const ownMounts = kinds.filter(([name]) => name.startsWith("unshare") || name.startsWith("ip netns"));
  it.each(ownMounts)("%s: a tmpfs mounted over the channel's folder; the session goes on", async (...kind) => {
    await withSession(kind, async (run) => {
      expect(await run("mount -t tmpfs rlt11 /run/rootlab\necho m")).toMatchObject({ kind: "ok", stdout: "m\n" });
      const next = await run("echo next");
      expect({ kind: next.kind, stdout: next.stdout, stderr: next.stderr }).toEqual({ kind: "ok", stdout: "next\n", stderr: "" });
    });
  }, 60_000);
});

// Round 9 of blocks that attack the session protocol (rounds 1-8: engine-torture*.test.ts), in every kind of
// session the labs use (test/helpers/torture-sessions.ts): fds 10 and up (where the shell keeps its terminal while
// a block runs) opened, named and closed; `return` at top level, `exit` inside `$(…)`, `select` at end of file;
// aliases and functions over the commands a block and rootlab use (`echo`, `cat`, `builtin`, `eval`, `unset`,
// `exec`, `[`), the builtins rootlab's own code uses disabled; glob and match options; `set -H` before a block
// with `!`; `set -n` and its other spellings (`set -nv`, `set -euon` …); `bind -x`; `ulimit -v`; an unterminated here-document and here-documents ended by the words
// of rootlab's own code; OSC 52 and title sequences; 50 MB of NUL bytes; jobs that write forever after their block
// (to its stdout, to the terminal, from a `setsid` daemon); `kill -9 $$`; a fork bomb held by `ulimit -u`. Each row
// says what a plain `bash script` (or `busybox sh script`) does — checked by running the row's text as a script;
// then `echo next` must run in the same session with nothing on stderr, and no process of the run may be left
// (withSession). Names: rlt13*.
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { afterAll, expect, it } from "vitest";
import { describeAsRoot } from "../helpers/root.js";
import { like, rowRunner, same, shellOf, tortureSessions, type Goes, type Row } from "../helpers/torture-sessions.js";

const BIG = 50_000_000;
/**
 * The uids the fork bombs run as (no account: nothing else on the machine counts against their `ulimit -u`): each
 * bomb gets one no process has when it starts, zombies included (bombUid). A killed bomb's zombies still count
 * until PID 1 reaps them, which this machine's PID 1 does late: a bomb under the same uid right after — the next
 * kind of session, or the same kind in the run just before this one (a helper's run, then CI's) — could not fork
 * at all, and bash retries a failed fork for 15 s (1 + 2 + 4 + 8) before giving up: longer than the block's timeout.
 */
const BOMB_UIDS = { first: 59_913, count: 512 };

/** The uids of BOMB_UIDS' range that processes have now, zombies too. */
function bombUidsInUse(): Set<number> {
  const used = new Set<number>();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const uid = Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${d}/status`, "utf8"))?.[1]);
      if (uid >= BOMB_UIDS.first && uid < BOMB_UIDS.first + BOMB_UIDS.count) used.add(uid);
    } catch {
      // gone meanwhile
    }
  }
  return used;
}

const bombUidsTaken = new Set<number>();

/** A uid of the range that no process has now and no bomb of this run had. */
function bombUid(): number {
  const used = bombUidsInUse();
  for (let uid = BOMB_UIDS.first; uid < BOMB_UIDS.first + BOMB_UIDS.count; uid++) {
    if (used.has(uid) || bombUidsTaken.has(uid)) continue;
    bombUidsTaken.add(uid);
    return uid;
  }
  throw new Error(`every uid from ${BOMB_UIDS.first} to ${BOMB_UIDS.first + BOMB_UIDS.count - 1} has processes (earlier fork bombs' zombies?)`);
}

const SURVIVES: Row[] = [
  ["named fds (10 and up) left open for the next blocks", "exec {rlt13a}>/dev/null {rlt13b}>/dev/null\necho $(( rlt13a >= 10 && rlt13b > rlt13a ))", same("1\n"), undefined],
  ["… and closed by a later block", 'echo x >&"$rlt13a"\nexec {rlt13a}>&- {rlt13b}>&-\necho closed', same("closed\n"), undefined],
  // A failing command ends the block (rootlab's rule for every block): `return` fails, as typed at a prompt.
  ["return at top level (a complaint, as at a prompt)", "echo a\nreturn\necho b", { stdout: "a\n", status: 2, stderr: /return: can only `return' from a function or sourced script/ }, undefined],
  ["exit inside $(…)", 'x=$(echo in; exit 3) || echo "$? $x"', same("3 in\n"), same("3 in\n")],
  ["exit inside $(…) as the last command", "x=$(exit 4)", same("", 4), same("", 4)],
  ["select at end of file", 'select x in a b; do echo "$x"; done || echo "s $?"', { stdout: "\ns 1\n", status: 0, stderr: "1) a\n2) b\n#? " }, undefined],
  ["alias echo=false (a script expands no aliases)", "alias echo=false cat=false\necho a", same("a\n"), undefined, "unalias echo cat"],
  [
    "functions named cat, builtin, eval, unset, exec, shopt, alias, type and [",
    "cat() { echo HIJ; }\nbuiltin() { return 1; }\neval() { return 1; }\nunset() { return 1; }\nexec() { return 1; }\nshopt() { return 1; }\nalias() { return 1; }\ntype() { return 1; }\n[() { return 1; }\necho set",
    same("set\n"),
    undefined,
    "command unset -f cat builtin eval unset exec shopt alias type [",
  ],
  // busybox ash refuses functions named after its special builtins (eval, exec, unset).
  ["functions named cat, alias, kill and mkdir", "cat() { echo HIJ; }\nalias() { return 1; }\nkill() { return 1; }\nmkdir() { return 1; }\necho set", undefined, same("set\n"), "unset -f cat alias kill mkdir"],
  ["enable -n unset shopt alias exec (rootlab's own code uses them)", "enable -n unset shopt alias exec\necho e", same("e\n"), undefined, "enable unset shopt alias exec"],
  ["shopt -s nocasematch extglob globstar dotglob nocaseglob", "shopt -s nocasematch extglob globstar dotglob nocaseglob\ncase A in a) echo m;; esac", same("m\n"), undefined, "shopt -u nocasematch extglob globstar dotglob nocaseglob"],
  ["bind -x without line editing", "bind -x '\"\\C-a\": echo hi'\necho b", { stdout: "b\n", status: 0, stderr: /line editing not enabled/ }, undefined],
  ["ulimit -Sv 200000 (200 MB of address space)", "ulimit -Sv 200000\necho v", same("v\n"), same("v\n"), "ulimit -Sv unlimited"],
  ["ulimit -v in a subshell too low for a program", '( ulimit -v 1000; /bin/echo never ) 2>/dev/null || echo "rc $?"', same("rc 127\n"), undefined],
  // Its body ends where the block ends, as a script's ends at the end of the file (bash's warning about it is not given).
  ["an unterminated here-document", "cat <<EOF\nabc", same("abc\n"), same("abc\n")],
  ["an unterminated quoted here-document, two open", "cat <<'A' <<B\n$x", same(""), same("")],
  ["here-documents ended by the words of rootlab's code", "cat <<fi\nelse\nfi\ncat <<'}'\n__RL_ 0 0 hB 1 d\n}\necho after", same("else\n__RL_ 0 0 hB 1 d\nafter\n"), same("else\n__RL_ 0 0 hB 1 d\nafter\n")],
  ["OSC 52, a window title and a CR in the output", "printf '\\033]52;c;aGk=\\007\\033]0;rlt13\\033\\\\ab\\rX\\n'", same("\x1b]52;c;aGk=\x07\x1b]0;rlt13\x1b\\ab\rX\n"), same("\x1b]52;c;aGk=\x07\x1b]0;rlt13\x1b\\ab\rX\n")],
  [`${BIG / 1e6} MB of NUL bytes without a newline`, `head -c ${BIG} /dev/zero`, same("\0".repeat(BIG)), same("\0".repeat(BIG))],
  // What a job writes while its block runs is the block's output; what it writes after is dropped.
  ["a job writing forever to its block's stdout", "(while :; do echo spam; done) &\necho $! >/tmp/rlt13-spam\necho started", { stdout: /^(spam\n)*started\n(spam\n)*$/, status: 0 }, { stdout: /^(spam\n)*started\n(spam\n)*$/, status: 0 }, 'kill "$(cat /tmp/rlt13-spam)"; rm -f /tmp/rlt13-spam'],
  ["a job writing forever to the session's terminal", "(while :; do echo '__RL_ 0 0 hB 1 d'; done) >/dev/tty 2>&1 &\necho $! >/tmp/rlt13-tty\necho started", same("started\n"), undefined, 'kill "$(cat /tmp/rlt13-tty)"; rm -f /tmp/rlt13-tty'],
  // No undo: closing the session must end it (withSession checks that no process of the run is left).
  ["a setsid daemon writing forever", "setsid sh -c 'while :; do echo d; echo e >&2; sleep 0.01; done' &\necho spawned", { stdout: /^(d\n)*spawned\n(d\n)*$/, status: 0, stderr: /^(e\n)*$/ }, undefined],
  ["a disowned job writing forever", "(while :; do echo d; sleep 0.01; done) &\ndisown\necho disowned", { stdout: /^(d\n)*disowned\n(d\n)*$/, status: 0 }, undefined],
];

/** Blocks run one after the other in one session: what each does depends on what the blocks before it left. */
type Steps = [code: string, want: Goes][];

const SEQUENCES: [string, ("bash" | "ash")[], Steps][] = [
  // An interactive bash expands `!` in each line it reads; a script does not (its history is off).
  ["set -H, then blocks with ! in them", ["bash"], [["set -H", same("")], ['echo "a!b" !! !$', same("a!b !! !$\n")], ["echo 'c!'", same("c!\n")], ["set +H", same("")]]],
  // An interactive bash ignores noexec (`set -n` typed at a prompt does nothing); rootlab makes ash do the same
  // (ash would run nothing more, not even `set +n`: block-script.ts).
  ["set -n", ["bash", "ash"], [["set -n\necho a", same("a\n")], ["echo b", same("b\n")], ["set -o noexec\necho c", same("c\n")], ["set +n", same("")]]],
  // Other spellings (set-options.ts): the rest of what they say is done (verbose echoes the next lines, as in a script).
  [
    "set -nv, set -vn, set -o noexec -o verbose, set -euon",
    ["bash", "ash"],
    [
      ["set -nv\necho a", { stdout: "a\n", status: 0, stderr: "echo a\n" }],
      ["set +v\necho b", { stdout: "b\n", status: 0, stderr: "set +v\n" }],
      ["set -vn\necho c", { stdout: "c\n", status: 0, stderr: "echo c\n" }],
      ["set +v -o noexec -o verbose\necho d", { stdout: "d\n", status: 0, stderr: "set +v -o noexec -o verbose\necho d\n" }],
      ["set +v\necho e", { stdout: "e\n", status: 0, stderr: "set +v\n" }],
      // `-o` without a name lists the options (stdout), as in a script; -e and -u stay on.
      ["set -euon\necho f; echo $-", { stdout: /\nf\n[a-zA-Z]*e[a-zA-Z]*\n$/, status: 0 }],
      ["set +eu\necho g", same("g\n")],
    ],
  ],
  // busybox ash expands aliases in a script too: `echo` stays `false` until it is unaliased.
  ["alias echo=false in ash", ["ash"], [["alias echo=false\necho a", same("", 1)], ["echo b", same("", 1)], ["unalias echo\necho c", same("c\n")]]],
];

/**
 * Known breaks, asserted as a script behaves and marked `it.fails` (the reason says what rootlab does instead); when
 * one of these tests starts to fail, the break is fixed: move its row into SURVIVES.
 */
const KNOWN: [Row, ("bash" | "ash")[], string][] = [
  [
    ["a file opened on fd 10 and written", "exec 10>/tmp/rlt13-10\necho ten >&10\ncat /tmp/rlt13-10", same("ten\n"), same("ten\n"), "exec 10>&-; rm -f /tmp/rlt13-10"],
    ["bash", "ash"],
    // bash's manual: "Redirections using file descriptors greater than 9 should be used with care, as they may
    // conflict with file descriptors the shell uses internally". While the block's eval runs, the shell keeps its
    // terminal on fds 10-12: bash leaves fd 10 on the terminal (the write goes there and is dropped), busybox ash
    // takes the file as its terminal and ends the session at the next block, or when fd 10 is closed.
    "the shell keeps its terminal on fds 10-12 while a block runs",
  ],
];

/** [name, block, what the reason must say, shells] — the block ends the session (PID 1 of a PID namespace goes on). */
const ENDS: [string, string, RegExp, ("bash" | "ash")[], { pid1GoesOn: boolean }][] = [
  ["kill -9 $$", "echo a\nkill -9 $$\necho never", /SIGKILL.*line 11 \(`kill -9 \$\$`\)/, ["bash", "ash"], { pid1GoesOn: true }],
  // busybox ash ends at a top-level `return`, as a script does (bash complains and goes on: SURVIVES).
  ["return at top level in ash", "echo a\nreturn\necho never", /line 11 \(`return`\) ran `return` outside a function/, ["ash"], { pid1GoesOn: false }],
];

/** Processes of the fork bomb's uid: only this file runs as it. */
function bombPids(): number[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        // Zombies are not running: this machine's PID 1 reaps the orphans it is given late.
        const status = readFileSync(`/proc/${d}/status`, "utf8");
        const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
        return uid >= BOMB_UIDS.first && uid < BOMB_UIDS.first + BOMB_UIDS.count && !/^State:\s+Z/m.test(status);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describeAsRoot("protocol torture, round 9, in every kind of session", () => {
  const { kinds, withSession, skipReason } = tortureSessions("r9");
  afterAll(() => {
    // The known break's row fails before its undo in the kinds that share the host's /tmp.
    rmSync("/tmp/rlt13-10", { force: true });
    // Only if the test failed and left the bomb: the check below would have said so.
    for (let i = 0; i < 50 && bombPids().length; i++) for (const pid of bombPids()) try { process.kill(pid, "SIGKILL"); } catch { /* gone */ }
  });

  // Every row is looked at (expect.soft): one broken row does not hide the others.
  it.each(kinds)("%s: each block does what a script does with it; the session goes on", async (...kind) => {
    const shell = shellOf(kind);
    const ran = await withSession(kind, async (run) => {
      for (const [name, code, inBash, inAsh, undo] of SURVIVES) {
        const want = shell === "bash" ? inBash : inAsh;
        if (!want) continue;
        const r = await run(code, { timeoutMs: 15_000 });
        const shown = (s: string) => (s.length > 1000 ? `${s.length} chars, ${JSON.stringify(s.slice(0, 20))}…` : s);
        const exact = typeof want.stdout === "string";
        expect.soft({ name, kind: r.kind, exitCode: r.exitCode, stdout: exact ? shown(r.stdout) : r.stdout, reason: r.reason }).toEqual({ name, kind: "ok", exitCode: want.status, stdout: typeof want.stdout === "string" ? shown(want.stdout) : like(want.stdout), reason: undefined });
        if (want.stderr !== undefined) expect.soft({ name, stderr: r.stderr }).toEqual({ name, stderr: like(want.stderr) });
        const next = await run("echo next\necho two");
        expect.soft({ name, kind: next.kind, stdout: next.stdout, stderr: next.stderr }).toEqual({ name, kind: "ok", stdout: "next\ntwo\n", stderr: "" });
        if (undo) expect.soft({ name, undo: await run(undo) }).toMatchObject({ name, undo: { kind: "ok", exitCode: 0 } });
      }
    });
    if (!ran) console.log(`skipped ${kind[0]}: ${skipReason}`);
  }, 400_000);

  for (const [name, shells, steps] of SEQUENCES) {
    it.each(kinds.filter((kind) => shells.includes(shellOf(kind))))(`%s: ${name}`, async (...kind) => {
      const ran = await withSession(kind, async (run) => {
        for (const [code, want] of steps) {
          const r = await run(code, { timeoutMs: 15_000 });
          expect({ code, kind: r.kind, exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr }).toEqual({ code, kind: "ok", exitCode: want.status, stdout: like(want.stdout), stderr: like(want.stderr ?? "") });
        }
      });
      if (!ran) console.log(`skipped ${kind[0]}: ${skipReason}`);
    }, 60_000);
  }

  for (const [name, code, reason, shells, { pid1GoesOn }] of ENDS) {
    it.each(kinds.filter((kind) => shells.includes(shellOf(kind))))(`%s: ${name} ends the session; rootlab names the line`, async (...kind) => {
      const ran = await withSession(kind, async (run, sessions, session) => {
        const pid1 = pid1GoesOn && (await run("echo $$")).stdout === "1\n";
        const r = await run(code, { timeoutMs: 10_000 });
        if (pid1) {
          // PID 1 of a PID namespace (unshare --pid, nspawn) cannot be killed from inside: it goes on.
          expect({ kind: r.kind, stdout: r.stdout }).toEqual({ kind: "ok", stdout: "a\nnever\n" });
          return;
        }
        expect({ kind: r.kind, stdout: r.stdout }).toEqual({ kind: "session-died", stdout: "a\n" });
        expect(r.reason).toMatch(reason);
        expect(sessions.alive(session)).toBe(false);
        expect(await run("echo later")).toMatchObject({ kind: "session-died" });
      });
      if (!ran) console.log(`skipped ${kind[0]}: ${skipReason}`);
    }, 60_000);
  }

  // A fork bomb as an unprivileged user held by its `ulimit -u` (root is not limited by it): the block returns at
  // once, the bomb goes on in the background at its limit, the next block runs, and closing the session ends every
  // process of it (withSession checks), though they keep forking while they are killed. The bomb starts as one job
  // (`b &`): with a bare `b`, bash forks both ends of `b | b` from the block's own `bash -c`, and on a loaded machine
  // the first end's children can reach the limit before the second fork, which bash then retries for 15 s.
  it.each(kinds.filter((kind) => shellOf(kind) === "bash"))("%s: a fork bomb held by ulimit -u; the session goes on, nothing is left", async (...kind) => {
    const uid = bombUid();
    await withSession(kind, async (run) => {
      const bomb = `setpriv --reuid=${uid} --regid=${uid} --clear-groups -- bash -c 'ulimit -u 20; b() { b | b & }; b &' 2>/dev/null\necho bombed`;
      expect(await run(bomb, { timeoutMs: 10_000 })).toMatchObject({ kind: "ok", exitCode: 0, stdout: "bombed\n" });
      const next = await run("echo next", { timeoutMs: 15_000 });
      expect({ kind: next.kind, stdout: next.stdout }).toEqual({ kind: "ok", stdout: "next\n" });
    });
    // A killed process can still be on its way out (no longer carrying its environment, not yet a zombie) when the
    // session's close returns on a loaded machine: each must be gone soon after. One the sweep missed would go on
    // forking and never be.
    const deadline = Date.now() + 15_000;
    while (bombPids().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(bombPids()).toEqual([]);
  }, 60_000);

  // `ulimit -n 4`: the block itself runs (its files are open already). bash then cannot open the next block's files:
  // each later block fails without running, with the shell's complaint and rootlab's explanation (architecture.md),
  // and the session stays (nothing can raise the limit from inside it). busybox ash cannot keep its terminal on
  // fds 10 and up and exits at once: rootlab names the line.
  it.each(kinds)("%s: ulimit -n 4: later blocks fail, each saying why, or the session ends, said", async (...kind) => {
    const ran = await withSession(kind, async (run, sessions, session) => {
      const r = await run("ulimit -n 4\necho low", { timeoutMs: 10_000 });
      if (shellOf(kind) === "ash") {
        expect({ kind: r.kind, reason: r.reason }).toEqual({ kind: "session-died", reason: expect.stringMatching(/line 10 \(`ulimit -n 4`\).*open files limit/) });
        expect(sessions.alive(session)).toBe(false);
        return;
      }
      expect({ kind: r.kind, stdout: r.stdout }).toEqual({ kind: "ok", stdout: "low\n" });
      for (const code of ["echo next", "ulimit -n 1024"]) {
        const next = await run(code, { timeoutMs: 10_000 });
        expect({ code, kind: next.kind, exitCode: next.exitCode, stdout: next.stdout }).toEqual({ code, kind: "ok", exitCode: 1, stdout: "" });
        expect(next.stderr).toMatch(/Too many open files\n.*could not open this block's output files, so the block did not run \(did an earlier block lower `ulimit -n`/);
      }
      expect(sessions.alive(session)).toBe(true);
    });
    if (!ran) console.log(`skipped ${kind[0]}: ${skipReason}`);
  }, 60_000);

  for (const [row, shells, why] of KNOWN) {
    // A kind skipped here (no Alpine fixture) would pass as if it were fixed: only the kinds that run.
    it.fails.each(kinds.filter((kind) => shells.includes(shellOf(kind)) && !(skipReason && kind[0].includes("Alpine"))))(`%s: ${row[0]} (known break: ${why})`, rowRunner({ withSession, skipReason })([row]), 60_000);
  }
});

import { describe, expect, it } from "vitest";
import { exitCodeInWords, exitStatusInWords, formatElapsed, statusProgram } from "../../src/term/words.js";

describe("exitCodeInWords", () => {
  it.each([
    [0, undefined, "success"],
    [1, undefined, "general failure"],
    [2, undefined, "the command's own meaning: see its man page"],
    [3, undefined, "exited with status 3"],
    [42, undefined, "exited with status 42"],
    [126, undefined, "could not execute it"],
    [127, undefined, "command or program not found"],
    [128, undefined, "exited with status 128"],
    [129, undefined, "killed by SIGHUP (its terminal went away)"],
    [130, undefined, "killed by SIGINT (Ctrl-C)"],
    [134, undefined, "killed by SIGABRT (aborted)"],
    [137, undefined, "killed by SIGKILL (often the OOM killer or a timeout)"],
    [139, undefined, "killed by SIGSEGV (segmentation fault)"],
    [141, undefined, "killed by SIGPIPE (its reader went away)"],
    [143, undefined, "killed by SIGTERM (asked to stop)"],
    [138, undefined, "killed by SIGUSR1"],
    [128 + 40, undefined, "killed by signal 40"],
    [255, undefined, "exited with status 255"],
    [-1, undefined, "exited with status -1"],
    [null, "SIGKILL", "killed by SIGKILL (often the OOM killer or a timeout)"],
    [null, "SIGUSR2", "killed by SIGUSR2"],
    [null, undefined, "no exit status"],
  ] as const)("%s %s", (code, signal, words) => {
    expect(exitCodeInWords(code, signal)).toBe(words);
  });
});

// Status 2 is "misuse" only for the shell: a new-user trial saw ping's and ls's 2 glossed "misuse (bad usage / syntax)".
describe("exitStatusInWords: status 2 by who returned it", () => {
  const NEUTRAL = "the command's own meaning: see its man page";
  it.each([
    [2, "ping -c 1 -W 1 10.231.3.2", undefined, "ping: an error other than no reply, e.g. network unreachable or unknown host"],
    [2, "ip netns exec rlv-ns1 ping -c1 10.0.0.1", undefined, "ping: an error other than no reply, e.g. network unreachable or unknown host"],
    [2, "chroot merged /bin/ls /x", undefined, "ls: serious trouble, e.g. a path it was given cannot be accessed"],
    [2, "ls /nonexistent", undefined, "ls: serious trouble, e.g. a path it was given cannot be accessed"],
    [2, "/bin/ls -l /x 2>/dev/null", undefined, "ls: serious trouble, e.g. a path it was given cannot be accessed"],
    [2, "ip link add rlv-h1 type veth peer name lo", undefined, "ip: the kernel refused the request (its RTNETLINK answers line says why)"],
    [2, "dmesg | grep -q x /missing", undefined, "grep: an error, e.g. a file it cannot read (no match would be 1)"],
    [2, "LC_ALL=C time grep x /missing", undefined, "grep: an error, e.g. a file it cannot read (no match would be 1)"],
    [2, "cd -x", undefined, "misuse of a shell builtin (cd: a bad option or expression)"],
    [2, '[ "$a" -eq ]', undefined, "misuse of a shell builtin ([: a bad option or expression)"],
    [2, "mount -t overlay overlay merged", undefined, "mount's own meaning: see man mount"],
    [2, "ls /x   # a comment | with a pipe", undefined, "ls: serious trouble, e.g. a path it was given cannot be accessed"],
    // a block's status is its failing command's: the one on the failing line (0-based within the code)
    [2, "mkdir -p d\nls d/missing", 1, "ls: serious trouble, e.g. a path it was given cannot be accessed"],
    [2, "mkdir -p d\nls d/missing", undefined, NEUTRAL],
    [2, "ls d/missing\nmkdir -p d", 0, "ls: serious trouble, e.g. a path it was given cannot be accessed"],
    [2, "ip link add a type veth \\\n  peer name lo", 0, "ip: the kernel refused the request (its RTNETLINK answers line says why)"],
    // who returned it is not plain: neutral
    [2, "ls a; ping -c1 x", 0, NEUTRAL],
    [2, "ls x && ping -c1 y", undefined, NEUTRAL],
    [2, "out=$(ls x)", undefined, NEUTRAL],
    [2, "if ls x; then echo y; fi", undefined, NEUTRAL],
    [2, "nsenter -t 42 -n ping -c1 x", undefined, NEUTRAL],
    [2, "sudo -u nobody ls x", undefined, NEUTRAL],
    [2, "env -i ls x", undefined, NEUTRAL],
    [2, "ls d\nmkdir -p d", 5, NEUTRAL],
    [2, undefined, undefined, NEUTRAL],
    [2, "", undefined, NEUTRAL],
    // other statuses are the same as exitCodeInWords
    [1, "ping -c 1 10.0.0.1", undefined, "general failure"],
    [127, "lss", undefined, "command or program not found"],
  ] as const)("%s from %j (line %s) → %s", (code, command, line, words) => {
    expect(exitStatusInWords(code, command, line)).toBe(words);
  });

  it.each([
    ["ls", "ls"],
    ["  /usr/bin/ping -c1 x ", "ping"],
    ["FOO=1 BAR=2 mount -a", "mount"],
    ["ip -n rlv-ns1 link set lo up", "ip"],
    ["cp -r a b", "cp"],
    ["! grep -q x f", "grep"],
    ["a | b | c", "c"],
    ["grep 'a|b' f", undefined],
    ["{ ls; }", undefined],
    ["while true", undefined],
    ["# only a comment", undefined],
  ] as const)("statusProgram(%j) → %s", (line, program) => {
    expect(statusProgram(line)).toBe(program);
  });
});

describe("formatElapsed", () => {
  it.each([
    [0, "0 ms"],
    [12, "12 ms"],
    [12.4, "12 ms"],
    [999, "999 ms"],
    [999.6, "1.0 s"],
    [1000, "1.0 s"],
    [1449, "1.4 s"],
    [1450, "1.5 s"],
    [59_940, "59.9 s"],
    [59_960, "1 m 00 s"],
    [123_000, "2 m 03 s"],
    [3_599_000, "59 m 59 s"],
    [3_600_000, "1 h 00 m"],
    [3_900_000, "1 h 05 m"],
    [-5, "0 ms"],
    [Number.NaN, "0 ms"],
  ])("%s ms → %s", (ms, text) => {
    expect(formatElapsed(ms)).toBe(text);
  });
});

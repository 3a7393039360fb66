// Round 7 of attempts to get a harmful command past the safety gate (test/fixtures/lint/bypasses/round7.md), by an
// attacker who had read rounds 1–6 and the gate: brace expansion that makes one word into a whole command
// (`{ip,link,set,eth0,down}`), the host's namespace again through PID 1, a chroot or a path out of /run/netns, the
// uplink renamed or enslaved, addresses and routes wider than a lab needs (a /8, the cloud metadata address), PID 1's
// files and the kernel's tables outside /proc/sys, mounts over /run/netns and /var/lib, disks by other names
// (/dev/dm-0, /dev/root, /dev/block/8:0) and other writers (cp, tee, sort -o, hdparm, blockdev, fsfreeze), a loop
// device by number, `crontab -r`, `systemctl switch-root`; programs with a way out to the shell (sed's s///e, dc's
// and ed's `!`, m4's syscmd, sqlite3's .system, tmux and screen); and reading the machine, which stays clean.
import { describe, expect, test } from "vitest";
import { consoleScripts } from "../../src/lint/console-scripts.js";
import { ownable, parseSubnet } from "../../src/lint/addresses.js";
import { describeBypassRound } from "./bypass-fixture.js";

describeBypassRound(7, { refused: 101, clean: 29 });

describe("the shell commands of programs with a way out to the shell", () => {
  const none = () => undefined;
  test.each([
    [["dc", "-e", "1 2 +p"], []],
    [["dc", "-e", "!true"], ["true"]],
    [["sed", "s/a/b/g"], []],
    [["sed", "s|a|true|e"], ["true"]],
    [["m4", "-D", "x=y"], []],
    [["sqlite3", ":memory:", ".tables"], []],
    [["tmux", "-L", "x", "new-session", "-d", "-s", "y", "true"], ["true"]],
    [["tmux", "send-keys", "-t", "y", "true", "C-m"], ["true"]],
    [["tmux", "list-sessions"], []],
    [["screen", "-dmS", "x", "true", "1"], ["true 1"]],
    [["screen", "-ls"], []],
  ] as [string[], string[]][])("%j runs %j", (words, codes) => {
    const found = consoleScripts(words[0] as string, words, none);
    expect(found.map((f) => ("code" in f ? f.code : f.unknown))).toEqual(codes);
  });
  test("ed reads its commands from standard input", () => {
    expect(consoleScripts("ed", ["ed"], () => ({ code: "1p\nw !true\nq", via: "stdin" }))).toEqual([{ code: "true", via: "ed !" }]);
  });
});

describe("the subnets a lab may number its interfaces with", () => {
  test.each([
    ["10.231.7.0/24", true],
    ["10.231.0.0/16", true],
    ["10.0.0.0/15", false],
    ["10.0.0.0/8", false],
    ["192.168.7.0/24", true],
    ["169.254.7.0/24", true],
    ["169.254.0.0/16", false],
    ["169.254.169.254/32", false],
    ["fd00:7::/64", true],
    ["fd00::/16", false],
    ["8.8.8.0/24", false],
  ])("%s: %s", (text, expected) => {
    expect(ownable(parseSubnet(text)!)).toBe(expected);
  });
});

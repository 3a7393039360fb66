// Round 9 of attempts to get a harmful command past the safety gate (test/fixtures/lint/bypasses/round9.md), by an
// attacker who had read rounds 1–8 and the gate: the uplink's name made by the run (`eth$?`, `eth$(:)0`, arrays,
// namerefs, getopts), the host's namespaces again through the PID rootlab gives every session
// (`nsenter -t "$ROOTLAB_SESSION_HOST_PID"`, or a session that is only a chroot), wrappers the gate did not know
// (faketime, dtach, firejail), an alias made through `BASH_ALIASES`, `ss -K`, the host's stack-wide ip tables
// (mptcp, fou, sr, ioam, tcp_metrics), dcb, the firmware's boot variables, and rootlab itself killed mid-run
// (`kill $PPID`, `pkill node`) so that no cleanup runs; commands nested deeper than the gate read (four evals, five
// functions in a chain, `sh <<A` four deep) and values that blew the gate up (`v2=$v1$v1` … forty times, `x+=$x`).
// Rows marked (new) in the fixture got through before.
import { describe, expect, test } from "vitest";
import { collectCallables } from "../../src/lint/calls.js";
import { HOST, isolation, nsenterIsolation, type Isolation } from "../../src/lint/isolation.js";
import { canonicalIpWords, ipArgs } from "../../src/lint/ip-args.js";
import { fullLongOption, NSENTER_LONG, nsenterWords } from "../../src/lint/wrapper-options.js";
import { fullLongOptions } from "../../src/lint/long-options.js";
import { simpleCommands } from "../../src/shell/commands.js";
import { describeBypassRound } from "./bypass-fixture.js";

describeBypassRound(9, { refused: 136, clean: 34 });

describe("nsenter into a session by the PID variable rootlab sets: what that session shares with the host", () => {
  const chroot = isolation(false, false, true, false, false, false);
  const netns = isolation(true, true, false, false, false, false);
  const sessions = new Map<string, Isolation>([["HOST", HOST], ["C9", chroot], ["U9", netns], ["MY_BOX", netns]]);
  const ctx = { ownNetns: new Set<string>(), sessions };
  test.each([
    [["nsenter", "-t", "$ROOTLAB_SESSION_HOST_PID", "-n"], false],
    [["nsenter", "-t", "${ROOTLAB_SESSION_HOST_PID}", "-n"], false],
    [["nsenter", "--net=/proc/$ROOTLAB_SESSION_HOST_PID/ns/net"], false],
    [["nsenter", "-t", "$ROOTLAB_SESSION_C9_PID", "-n"], false],
    [["nsenter", "--net=/proc/${ROOTLAB_SESSION_C9_PID}/ns/net"], false],
    [["nsenter", "-t", "$ROOTLAB_SESSION_U9_PID", "-n"], true],
    [["nsenter", "-t", "$ROOTLAB_SESSION_MY_BOX_PID", "-n"], true],
    // A session the lab never enters, or a PID of its own: the lab's (other rules judge what it names).
    [["nsenter", "-t", "$ROOTLAB_SESSION_NOPE_PID", "-n"], true],
    [["nsenter", "-t", "$pid", "-n"], true],
  ])("%j enters an isolated network: %s", (words, net) => {
    const literal = words.map((w) => !w.includes("$"));
    expect(nsenterIsolation(words, literal, 1, HOST, ctx).iso.net).toBe(net);
  });

  test("without the session map (a script read alone), the host session's PID is still the host's", () => {
    const words = ["nsenter", "-t", "$ROOTLAB_SESSION_HOST_PID", "-n"];
    expect(nsenterIsolation(words, [true, true, false, true], 1, HOST).iso.net).toBe(false);
  });

  test("inside a PID namespace with its own /proc, a host PID names none of the host's processes", () => {
    const box = isolation(true, true, false, true, false, true);
    expect(nsenterIsolation(["nsenter", "-t", "$ROOTLAB_SESSION_C9_PID", "-n"], [true, true, false, true], 1, box, ctx).iso.net).toBe(true);
  });
});

describe("BASH_ALIASES written directly defines aliases, as `alias` does", () => {
  test.each([
    ["BASH_ALIASES[i9]=ip", "i9", ["ip"]],
    ["BASH_ALIASES['i9']='ip link'", "i9", ["ip link"]],
    ["BASH_ALIASES+=([j9]=ip [k9]=\"ip -n x\")", "k9", ["ip -n x"]],
    ["declare -A BASH_ALIASES=([x]=tc)", "x", ["tc"]],
    ["echo BASH_ALIASES", "BASH_ALIASES", undefined],
  ])("%s", (code, name, texts) => {
    const { aliases } = collectCallables([{ commands: simpleCommands(code), block: { code } }]);
    expect(aliases.get(name)).toEqual(texts);
  });
});

describe("ip's global options by every prefix ip accepts, in its own order of matching", () => {
  test.each([
    [["ip", "-net", "X", "link"], ["ip", "-n", "X", "link"]],
    [["ip", "-ne", "X", "-ba", "F"], ["ip", "-n", "X", "-b", "F"]],
    [["ip", "--netns", "X", "link"], ["ip", "-n", "X", "link"]],
    [["ip", "-fam", "inet", "route"], ["ip", "-f", "inet", "route"]],
    [["ip", "-rcv", "9", "link"], ["ip", "-rc", "9", "link"]],
    [["ip", "-lo", "3", "addr"], ["ip", "-l", "3", "addr"]],
    // Not value options: -resolve, -force, -brief, -Numeric, -oneline stay as written.
    [["ip", "-r", "-fo", "-br", "-N", "-o", "link"], ["ip", "-r", "-fo", "-br", "-N", "-o", "link"]],
    // Only the leading options: an argument after the object is the object's.
    [["ip", "link", "set", "-net"], ["ip", "link", "set", "-net"]],
  ])("%j → %j", (words, canonical) => {
    expect(canonicalIpWords(words)).toEqual(canonical);
  });
  test("ipArgs skips an abbreviated option's value", () => {
    expect(ipArgs(["ip", "-fam", "inet", "route", "del", "default"])).toEqual(["route", "del", "default"]);
  });
});

describe("long options by the prefixes getopt_long accepts; nsenter's bundled short options", () => {
  test.each([
    ["--tar", "--target"],
    ["--ne", "--net"],
    ["--n", "--n"], // --net or --no-fork: ambiguous, getopt refuses it
    ["--t=1", "--t=1"], // --target or --time
    ["--targ=1", "--target=1"],
    ["--net", "--net"],
    ["-n", "-n"],
  ])("nsenter %s → %s", (word, full) => {
    expect(fullLongOption(word, NSENTER_LONG)).toBe(full);
  });
  test.each([
    [["nsenter", "-nt", "1", "ip"], ["nsenter", "-n", "-t", "1", "ip"]],
    [["nsenter", "-t1", "-n", "ip"], ["nsenter", "-t", "1", "-n", "ip"]],
    [["nsenter", "-t", "1", "-nm", "ip"], ["nsenter", "-t", "1", "-nm", "ip"]],
    [["nsenter", "--tar", "1", "--ne", "ip", "-nt"], ["nsenter", "--target", "1", "--net", "ip", "-nt"]],
  ])("%j → %j", (words, out) => {
    const read = nsenterWords(words, words.map(() => true), 1);
    expect(read.words).toEqual(out);
    expect(read.literal).toHaveLength(out.length);
  });
});

describe("rm, mount, losetup, nspawn: long options written out before the rules read them", () => {
  test.each([
    ["rm", ["rm", "--rec", "--for", "/etc"], ["rm", "--recursive", "--force", "/etc"]],
    ["losetup", ["losetup", "--detach-a"], ["losetup", "--detach-all"]],
    ["mount", ["mount", "--mo", "/run", "x"], ["mount", "--move", "/run", "x"]],
    // Ambiguous to the program itself (it refuses to run): left as written.
    ["systemd-nspawn", ["systemd-nspawn", "--bi=/:/host"], ["systemd-nspawn", "--bi=/:/host"]],
    // The command nspawn runs keeps its own words.
    ["systemd-nspawn", ["systemd-nspawn", "-D", "d", "/bin/sh", "--dir"], ["systemd-nspawn", "-D", "d", "/bin/sh", "--dir"]],
    ["systemd-nspawn", ["systemd-nspawn", "--direc=/", "ip"], ["systemd-nspawn", "--directory=/", "ip"]],
  ])("%s %j", (name, words, out) => {
    expect(fullLongOptions(name, words)).toEqual(out);
  });
});

// Round 6 of attempts to get a harmful command past the safety gate (test/fixtures/lint/bypasses/round6.md), by an
// attacker who had read rounds 1–5 and the gate: addresses whose prefix route is a default route or covers outside
// space, 0/0 in other spellings and `ip route prepend`/`restore`, ip's objects by prefix (`ip x p a`), bridge/tc
// batches, ethtool's self-tests, bpftool, bonding through sysfs, /proc/sys through globs, `~`, links, bind mounts,
// CDPATH, `cd -` and other writers (sort -o, sed w, socat FILE:), programs that run programs (bwrap, setarch,
// start-stop-daemon, gdb, expect, make, pagers in the environment, exported functions, mapfile -C, history),
// D-Bus calls to the machine's daemons; the host's files by /proc/1/root, `..`, globs and folder copies, archives
// unpacked over /, firewall matches on interfaces that are not the lab's; PID 2's namespace, ssh to 0, `sudo -s`,
// `runuser -c`, vim's `silent !`, man's pager, programs that decode or build their command; /etc and root's home
// by a link or bind mount, pushd; and the lab idioms that must stay clean.
import { describeBypassRound } from "./bypass-fixture.js";

describeBypassRound(6, { refused: 240, clean: 42 });

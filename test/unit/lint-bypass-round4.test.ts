// Round 4 of attempts to get a harmful command past the safety gate (test/fixtures/lint/bypasses/round4.md): globs
// over /sys/class/net, ip/tc batch forms and global options, ethtool/nmcli/resolvectl, /proc/sys written by dd,
// cp or after `cd`, iptables-restore --noflush files, interpreters' sockets and backticks, `$0` of `sh -c`,
// /dev/stdin forms, units and udev rules, addresses in every spelling, tunnels and forwards, `mount --move`,
// nsenter into a process found by name, another lab's objects — and the lab idioms that must stay clean.
import { describeBypassRound } from "./bypass-fixture.js";

describeBypassRound(4, { refused: 150, clean: 30 });

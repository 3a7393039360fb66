// Round 8 of attempts to get a harmful command past the safety gate (test/fixtures/lint/bypasses/round8.md), by an
// attacker who had read rounds 1–7 and the gate: parameter expansions that cut a lab-looking value down to the
// uplink (`${d#rl8-x}`, `${d:4}`, `${d@E}`), indirection, `$((cmd) )` and `((cmd) )` that are subshells and not
// arithmetic, a function that shifts its arguments, an alias ending in a space, bash under other names
// (`/proc/self/exe`, the dynamic loader), wrappers (perf, valgrind, `ip vrf exec`, nspawn joined to PID 1's
// namespace, `systemctl -M .host`), programs with a way out to the shell (git aliases, split --filter, zip -TT,
// strace -o '|…', emacs --eval), the uplink through the lab's own objects (tc mirred, an nft netdev hook, arping,
// tcpreplay, mii-tool), and the machine's files through the lab's own links, its watchdog, its packages.
import { describe, expect, test } from "vitest";
import { simpleCommands } from "../../src/shell/commands.js";
import { describeBypassRound } from "./bypass-fixture.js";

describeBypassRound(8, { refused: 208, clean: 31 });

describe("`$((` and `((` are arithmetic only when they close with `))`", () => {
  test.each([
    ["x=$((echo a) )", ["echo"]],
    ["((echo a) )", ["echo"]],
    ["x=$(( (1 + 2) * 3 ))", []],
    ["(( (1) + (2) ))", []],
    ["echo $(( $(echo a) + 1 ))", ["echo", "echo"]],
  ])("%s runs %j", (code, names) => {
    expect(simpleCommands(code).map((c) => c.words[0]).filter((w) => w !== undefined && !w.includes("="))).toEqual(names);
  });
});

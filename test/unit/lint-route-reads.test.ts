// `ip route show|list|get …` and `ip addr show …` read the kernel's tables: a prefix in them is a filter, not
// traffic and not an address the lab takes. Routes the lab adds or deletes on the host stay refused when they are
// wider than a lab may use or cover rootlab's guard for 10.231.0.0/16 (src/host/net-guard.ts). Each row is a lab
// of its own that numbers one veth 10.231.7.1/24 on the host.
import { describe, expect, test } from "vitest";
import { lintLab } from "../../src/lint/lint.js";
import { parseLab } from "../../src/format/parse.js";

const lab = (code: string) =>
  `---\nid: t\nformat: 1\n---\n# T\n\n## Step\n\nText.\n\n\`\`\`sh\nip link add rl7-v0 type veth peer name rl7-v1\nip addr add 10.231.7.1/24 dev rl7-v0\n${code}\n\`\`\`\n\n\`\`\`sh verify\n# ok\ntrue\n\`\`\`\n`;

function safetyOf(code: string): string[] {
  const source = lab(code);
  const parsed = parseLab(source, "t.md");
  const all = parsed.ok ? [...parsed.warnings, ...lintLab(parsed.lab, source)] : parsed.diagnostics;
  return [...new Set(all.map((d) => d.code))].filter((c) => c.startsWith("safety/")).sort();
}

describe("reading routes and addresses with a prefix is clean", () => {
  test.each([
    "ip route show exact 10.231.0.0/16",
    "ip route show match 10.0.0.0/8",
    "ip route list root 10.0.0.0/8",
    "ip r s exact 10.231.0.0/16",
    "ip -4 route lst 10.231.0.0/16",
    "ip route showdump exact 10.231.0.0/16",
    "ip route get 10.231.13.130",
    "ip route get 8.8.8.8",
    "ip r g 10.231.13.130",
    "ip route show table main 10.231.0.0/16 proto 231",
    "ip neigh show to 10.231.0.0/16",
    "ip addr show to 10.231.0.0/16",
    "ip -o addr show to 10.0.0.0/8",
    "ip -n rl7-a route show exact 10.231.0.0/16",
  ])("%s", (code) => {
    expect(safetyOf(code)).toEqual([]);
  });
});

describe("changing the host's routes for 10.231.0.0/16 or wider is refused", () => {
  test.each([
    ["ip route add 10.231.0.0/16 dev rl7-v0", "safety/address"],
    ["ip route replace 10.231.0.0/16 via 10.231.7.2", "safety/address"],
    ["ip route del 10.231.0.0/16", "safety/address"],
    ["ip route delete unreachable 10.231.0.0/16 proto 231", "safety/address"],
    ["ip r d 10.231.0.0/16", "safety/address"],
    ["ip route change 10.231.0.0/15 dev rl7-v0", "safety/address"],
    ["ip route append 10.0.0.0/8 dev rl7-v0", "safety/address"],
    ["ip route prepend 10.231.0.0/16 dev rl7-v0", "safety/address"],
    ["ip route add prohibit 10.0.0.0/8", "safety/address"],
    ["ip route add to 10.231.0.0/16 dev rl7-v0", "safety/address"],
    // The lab's own /16 lets a route to it past the address rule; the guard's route is still rootlab's.
    ["ip addr add 10.231.8.1/16 dev rl7-v0\nip route replace 10.231.0.0/16 dev rl7-v0", "safety/address"],
    ["ip addr add 10.231.8.1/16 dev rl7-v0\nip route del 10.231.0.0/16 proto 231", "safety/address"],
  ])("%s → %s", (code, rule) => {
    expect(safetyOf(code)).toEqual([rule]);
  });

  test.each([
    "ip route add 10.231.7.128/25 via 10.231.7.2",
    "ip route add prohibit 10.231.7.128/25",
    "ip route del 10.231.7.128/25",
    "ip netns add rl7-a\nip -n rl7-a addr add 10.231.8.1/16 dev rl7-v1\nip -n rl7-a route replace 10.231.0.0/16 dev rl7-v1",
  ])("%s is the lab's own route: clean", (code) => {
    expect(safetyOf(code)).toEqual([]);
  });
});

// An address on the host gives its interface the connected route for its whole subnet: a /16 (or wider) in the
// labs' range sits beside rootlab's guard route and takes the range from it. Narrower ones, and any inside the
// lab's own namespace, stay the lab's.
describe("host addresses whose subnet covers 10.231.0.0/16 are refused", () => {
  test.each([
    "ip addr add 10.231.7.5/16 dev rl7-v0",
    "ip a a 10.231.7.5/16 dev rl7-v0",
    "ip -4 address add 10.231.7.5/16 dev rl7-v0",
    "ip addr replace 10.231.7.5/16 dev rl7-v0",
    "ip address change 10.231.0.1/16 dev rl7-v0",
    "ip addr add 10.231.7.5/12 dev rl7-v0",
    "ip addr add 10.9.9.9/8 dev rl7-v0",
    "ip addr add dev rl7-v0 local 10.231.7.5/16",
    "ip addr add 10.231.9.1/24 peer 10.231.0.0/16 dev rl7-v0",
    "ifconfig rl7-v0 10.231.7.5 netmask 255.255.0.0",
    "nsenter -t 1 -n ip addr add 10.231.7.5/16 dev rl7-v0",
    "ip netns add rl7-a\nip netns exec rl7-a nsenter -t 1 -n ip addr add 10.231.7.5/16 dev rl7-v0",
    "A=10.231.7.5/16\nip addr add $A dev rl7-v0",
  ])("%s", (code) => {
    expect(safetyOf(code)).toEqual(["safety/address"]);
  });

  test.each([
    "ip addr add 10.231.7.5/24 dev rl7-v0",
    "ip a a 10.231.9.1/17 dev rl7-v0",
    "ip addr replace 10.231.7.5/24 dev rl7-v0",
    "ip netns add rl7-a\nip netns exec rl7-a ip addr add 10.231.7.5/16 dev lo",
    "ip netns add rl7-a\nip -n rl7-a addr add 10.231.7.5/16 dev lo",
    "ip netns add rl7-a\nip netns exec rl7-a ip -4 address add 10.0.0.1/8 dev lo",
    "unshare --net sh -c 'ip addr add 10.231.7.5/16 dev lo'",
  ])("%s: clean", (code) => {
    expect(safetyOf(code)).toEqual([]);
  });
});

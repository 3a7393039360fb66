// Which labs make explain read firewall rules (each read costs a process per network namespace).
import { describe, expect, it } from "vitest";
import { usesFirewall } from "../../src/exec/lab-resources.js";

describe("usesFirewall", () => {
  it.each([
    ["nft add table inet rltest", true],
    ["iptables -t nat -A POSTROUTING -o rl-br0 -j MASQUERADE", true],
    ["ip6tables -S", true],
    ["ip netns exec rl-a nft list ruleset", true],
    ["ip link add rl-v0 type veth peer name rl-v1", false],
    ["ip netns add nftables-free", false],
    ["echo iptablesque", false],
  ])("%s → %s", (source, expected) => {
    expect(usesFirewall(source)).toBe(expected);
  });
});

// The lab network's guard (src/host/net-guard.ts): which routes are rootlab's, what a run does with the routes it
// finds for 10.231.0.0/16, and that the explainer never shows the guard as a lab's change.
import { describe, expect, test } from "vitest";
import { GUARD_PREFIX, guardStatusLine, isGuardRoute, planGuard, prefixInProcRoute, REMOVE_GUARD_COMMAND, routeWords, type IpRoute } from "../../src/host/net-guard.js";
import { parseNetnsOutput } from "../../src/explain/netns-read.js";

const guard: IpRoute = { type: "unreachable", dst: "10.231.0.0/16", protocol: "231" };

describe("which route is rootlab's guard", () => {
  test.each<[string, IpRoute, boolean]>([
    ["unreachable 10.231.0.0/16 proto 231", guard, true],
    ["the same prefix, another proto (someone's own unreachable)", { ...guard, protocol: "static" }, false],
    ["the same prefix, no proto", { type: "unreachable", dst: "10.231.0.0/16" }, false],
    ["a blackhole, not unreachable", { ...guard, type: "blackhole" }, false],
    ["a delivering route for the prefix", { dst: "10.231.0.0/16", dev: "rl-br0", protocol: "231" }, false],
    ["a lab's /24", { ...guard, dst: "10.231.3.0/24" }, false],
  ])("%s", (_name, route, expected) => {
    expect(isGuardRoute(route)).toBe(expected);
  });
});

describe("what a run does with the routes it finds for exactly 10.231.0.0/16", () => {
  test.each<[string, IpRoute[], ReturnType<typeof planGuard>]>([
    ["none: adds the guard", [], { kind: "add" }],
    ["rootlab's own, left by a killed run: takes it over", [guard], { kind: "take-over" }],
    ["the owner's route: leaves it, no guard beside it", [{ dst: "10.231.0.0/16", gateway: "192.0.2.9", dev: "eth1", metric: 100 }], { kind: "occupied", route: "10.231.0.0/16 via 192.0.2.9 dev eth1 metric 100" }],
    ["the owner's and a stale guard: the owner's wins", [guard, { type: "blackhole", dst: "10.231.0.0/16", protocol: "static" }], { kind: "occupied", route: "blackhole 10.231.0.0/16 proto static" }],
  ])("%s", (_name, routes, expected) => {
    expect(planGuard(routes)).toEqual(expected);
  });
});

describe("/proc/net/route: is there a route for exactly 10.231.0.0/16 (then ip is asked whose)", () => {
  const head = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n";
  const line = (dst: string, mask: string, iface = "*") => `${iface}\t${dst}\t00000000\t0201\t0\t0\t0\t${mask}\t0\t0\t0\n`;
  test.each<[string, string, boolean, boolean]>([
    ["the guard (unreachable, little-endian)", line("0000E70A", "0000FFFF"), true, true],
    ["a lab's /24 only", line("00E7E70A", "00FFFFFF", "rlt31-h"), true, false],
    ["10.231.0.0 with another mask", line("0000E70A", "00FFFFFF"), true, false],
    ["the default route and eth0's subnet", line("00000000", "00000000", "eth0") + line("000200C0", "00FFFFFF", "eth0"), true, false],
    ["big-endian spelling on a big-endian host", line("0AE70000", "FFFF0000"), false, true],
    ["big-endian spelling read as little-endian", line("0AE70000", "FFFF0000"), true, false],
  ])("%s", (_name, body, littleEndian, expected) => {
    expect(prefixInProcRoute(head + body, littleEndian)).toBe(expected);
  });
});

describe("in words", () => {
  test("a route as ip prints it", () => {
    expect(routeWords(guard)).toBe("unreachable 10.231.0.0/16 proto 231");
    expect(routeWords({ type: "unicast", dst: "10.231.0.0/16", dev: "rl-br0" })).toBe("10.231.0.0/16 dev rl-br0");
  });
  test("the hand-made removal deletes only rootlab's route (type and proto given)", () => {
    expect(REMOVE_GUARD_COMMAND).toBe("ip route del unreachable 10.231.0.0/16 proto 231");
  });
  test.each([
    [{ state: "on" as const }, /10\.231\.0\.0\/16 is unreachable from the host while the lab runs/],
    [{ state: "taken-over" as const }, /took over the route a killed run left.*removed at the end/],
    [{ state: "off" as const, reason: "adding a route is not permitted here (needs root with CAP_NET_ADMIN)" }, /^network guard off: adding a route is not permitted here .* is not kept on the machine$/],
  ])("status %o", (status, expected) => {
    expect(guardStatusLine(status)).toMatch(expected);
  });
});

describe("the explainer's view of a namespace's routes", () => {
  const read = (routes: unknown[]) => parseNetnsOutput(`[]\n@@rootlab-explain@@\n${JSON.stringify(routes)}\n@@rootlab-explain@@\n`)?.routes;
  test("the guard is not shown; a lab's own unreachable route is, with its type", () => {
    expect(read([{ ...guard, flags: [] }, { dst: "10.231.4.0/24", dev: "rlb-br0", protocol: "kernel", scope: "link" }])).toEqual(["10.231.4.0/24 dev rlb-br0 scope link"]);
    expect(read([{ type: "unreachable", dst: "10.231.9.0/24", flags: [] }])).toEqual(["unreachable 10.231.9.0/24"]);
    expect(read([{ type: "unreachable", dst: GUARD_PREFIX, protocol: "boot" }])).toEqual(["unreachable 10.231.0.0/16"]);
  });
});

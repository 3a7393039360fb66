// Which address `room serve` shows first (the default route's interface, not a docker0 or virbr0 bridge only
// this machine's VMs reach) and which ports it refuses (those browsers and Node's fetch never connect to).
import { describe, expect, it } from "vitest";
import { BLOCKED_PORTS, defaultRouteInterfaces, rankAddresses } from "../../src/room/addresses.js";

const ROUTE_HEAD = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT";
const route = (iface: string, dest: string, mask: string) => `${iface}\t${dest}\t0101A8C0\t0003\t0\t0\t0\t${mask}\t0\t0\t0`;

describe("defaultRouteInterfaces", () => {
  it.each([
    { name: "Wi-Fi with the default route, docker0 without", text: [ROUTE_HEAD, route("docker0", "000011AC", "0000FFFF"), route("wlp2s0", "00000000", "00000000"), route("wlp2s0", "0001A8C0", "00FFFFFF")], want: ["wlp2s0"] },
    { name: "two default routes (cable and Wi-Fi)", text: [ROUTE_HEAD, route("enp0s31f6", "00000000", "00000000"), route("wlp2s0", "00000000", "00000000")], want: ["enp0s31f6", "wlp2s0"] },
    { name: "no default route (an offline room on its own switch)", text: [ROUTE_HEAD, route("enp0s31f6", "0001A8C0", "00FFFFFF")], want: [] },
    { name: "a 0.0.0.0 destination with a mask is not a default route", text: [ROUTE_HEAD, route("tun0", "00000000", "00000080")], want: [] },
    { name: "empty (not Linux)", text: [""], want: [] },
  ])("$name", ({ text, want }) => {
    expect([...defaultRouteInterfaces(text.join("\n"))]).toEqual(want);
  });
});

describe("rankAddresses", () => {
  const addrs = [
    { iface: "docker0", address: "172.17.0.1" },
    { iface: "virbr0", address: "192.168.122.1" },
    { iface: "wlp2s0", address: "192.168.1.10" },
  ];
  it.each([
    { name: "the default route's interface first, the others in the system's order", defaults: ["wlp2s0"], want: ["192.168.1.10", "172.17.0.1", "192.168.122.1"] },
    { name: "no default route: the system's order", defaults: [], want: ["172.17.0.1", "192.168.122.1", "192.168.1.10"] },
  ])("$name", ({ defaults, want }) => {
    expect(rankAddresses(addrs, new Set(defaults))).toEqual(want);
  });
});

describe("BLOCKED_PORTS", () => {
  it("are the ports this Node's fetch refuses, and their neighbours are not (a runner could never reach a room there)", async () => {
    // A refused port fails before any connection; a neighbour is tried on loopback and answered or refused.
    const candidates = [...new Set([...BLOCKED_PORTS].flatMap((p) => [p - 1, p, p + 1]))].filter((p) => p > 0);
    const refused: number[] = [];
    for (const port of candidates) {
      const err = await fetch(`http://127.0.0.1:${port}/`, { method: "HEAD", signal: AbortSignal.timeout(500) }).then(
        () => undefined,
        (e: unknown) => e as { cause?: { message?: string } },
      );
      if (err?.cause?.message === "bad port") refused.push(port);
    }
    expect(refused).toEqual([...BLOCKED_PORTS].sort((a, b) => a - b));
  });

  it("keeps the usual room ports", () => {
    for (const port of [80, 8000, 8080, 8443, 3000, 5000]) expect(BLOCKED_PORTS.has(port)).toBe(false);
  });
});

// Which probe netns names a killed probe left behind (src/host/probe-netns.ts): pure, table-driven.
import { describe, expect, it } from "vitest";
import { probeNetnsName, staleProbeNames } from "../../src/host/probe-netns.js";

const alive = new Set([1, 4242]);

describe("staleProbeNames", () => {
  it.each([
    { names: ["rl-probe-999999-ab12"], stale: ["rl-probe-999999-ab12"], why: "its prober is gone" },
    { names: ["rl-probe-4242-ab12"], stale: [], why: "its prober still runs (its own add/del will remove it)" },
    { names: [probeNetnsName], stale: [], why: "this process's own name" },
    { names: ["rlv-ns1", "rl-probe-x-ab12", "rl-probe-12-abcd-ns", "rl-probeb5d9-ns", "rl-probe-12-ABCD"], stale: [], why: "not a probe name of this version: never touched" },
    { names: ["a", "rl-probe-7-0000", "rl-probe-4242-ffff", "rl-probe-8-1234"], stale: ["rl-probe-7-0000", "rl-probe-8-1234"], why: "only the dead ones, in order" },
  ])("$why", ({ names, stale }) => {
    expect(staleProbeNames(names, (pid) => alive.has(pid))).toEqual(stale);
  });

  it("this process's name carries its PID", () => {
    expect(probeNetnsName).toMatch(new RegExp(`^rl-probe-${process.pid}-[0-9a-f]{4}$`));
  });
});

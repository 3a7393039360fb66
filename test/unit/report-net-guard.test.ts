// The host's guard route for the labs' range (`unreachable 10.231.0.0/16 proto 231`, src/host/net-guard.ts) in
// the machine-readable reports, as the console shows it: JSON `labs[].netGuard`, a JUnit property pair per test
// suite, a TAP comment in the lab's subtest (docs/report-json.md, "Network guard in JUnit and TAP").
import { describe, expect, it } from "vitest";
import { Parser } from "tap-parser";
import { RunCollector, type RunReport } from "../../src/report/collect.js";
import { renderJson } from "../../src/report/json.js";
import { renderJunit } from "../../src/report/junit.js";
import { renderTap } from "../../src/report/tap.js";
import type { RunEvent } from "../../src/exec/types.js";
import { EVENTS, STARTED_AT } from "./report-events.js";

const OFF = "RTNETLINK answers: Operation not permitted";

/** The fixture run with the guard on for veth-pair and off for expect-demo (told after each lab's preflight). */
function withGuard(): RunReport {
  const events: RunEvent[] = [];
  for (const e of EVENTS) {
    events.push(e);
    if (e.type === "preflight" && e.labId === "veth-pair") events.push({ type: "net-guard", labId: e.labId, guard: { state: "on" } });
    if (e.type === "preflight" && e.labId === "expect-demo") events.push({ type: "net-guard", labId: e.labId, guard: { state: "off", reason: OFF } });
  }
  const c = new RunCollector(() => STARTED_AT);
  for (const e of events) c.onEvent(e);
  return c.report();
}

describe("the network guard in the reports", () => {
  it("JSON: labs[].netGuard with the state, the route and why it was off; null where the lab never raised it", () => {
    const labs = (JSON.parse(renderJson(withGuard())) as { labs: { id: string; netGuard: unknown }[] }).labs;
    const by = Object.fromEntries(labs.map((l) => [l.id, l.netGuard]));
    expect(by["veth-pair"]).toEqual({ state: "on", route: "unreachable 10.231.0.0/16 proto 231" });
    expect(by["expect-demo"]).toEqual({ state: "off", route: "unreachable 10.231.0.0/16 proto 231", reason: OFF });
    expect(by["machinectl-intro"]).toBeNull();
  });

  it("JUnit: a net-guard property and its line, per test suite", () => {
    const xml = renderJunit(withGuard());
    const suite = (id: string) => new RegExp(`<testsuite name="${id}"[^]*?</properties>`).exec(xml)?.[0] ?? "";
    expect(suite("veth-pair")).toContain('<property name="net-guard" value="on"/>');
    expect(suite("veth-pair")).toMatch(/<property name="net-guard-detail" value="network guard: 10\.231\.0\.0\/16 is unreachable from the host while the lab runs \(route proto 231\)"\/>/);
    expect(suite("expect-demo")).toContain('<property name="net-guard" value="off"/>');
    expect(suite("expect-demo")).toContain(`network guard off: ${OFF}`);
    expect(suite("machinectl-intro")).not.toContain("net-guard");
  });

  it("TAP: a comment in the lab's subtest, read by tap-parser as a comment (no stray line)", () => {
    const tap = renderTap(withGuard());
    expect(tap).toContain("    # network guard: 10.231.0.0/16 is unreachable from the host while the lab runs (route proto 231)\n");
    expect(tap).toContain(`    # network guard off: ${OFF} — a lab address typed outside its namespace is not kept on the machine\n`);
    const comments: string[] = [];
    const extra: string[] = [];
    const parser = new Parser({ strict: true });
    parser.on("child", (child: Parser) => {
      child.on("comment", (c: string) => comments.push(c.trim()));
      child.on("extra", (l: string) => extra.push(l));
    });
    parser.end(tap);
    expect(extra).toEqual([]);
    expect(comments.filter((c) => c.startsWith("# network guard"))).toHaveLength(2);
  });
});

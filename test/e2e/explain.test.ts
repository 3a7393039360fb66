// explain on real labs, as root: what each step changed, read from the machine itself.
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { explained, texts, type ExplainedLab } from "../helpers/explain-report.js";
import { describeAsRoot } from "../helpers/root.js";
import { renderTranscript, Screen } from "./guided-driver.js";

describeAsRoot("verify --explain on real labs", () => {
  it("netns-veth: the veth step names both ends and the namespace of each; after cleanup nothing differs", async () => {
    const lab = await explained("netns-veth");
    const veth = lab.steps.find((s) => s.slug.startsWith("a-veth-pair"));
    expect(texts(veth?.changes)).toContain("+ veth rlv-h1 (host) ⇄ eth0 (netns rlv-ns1)");
    expect(texts(lab.steps[0]?.changes)).toContain("+ netns rlv-ns1");
    expect(texts(lab.steps[2]?.changes)).toContain("+ 10.231.3.1/24 on rlv-h1 (host)");
    expect(lab.changesAfterCleanup).toEqual([]);
    for (const c of lab.steps.flatMap((s) => s.changes ?? [])) expect(Object.keys(c).sort()).toEqual(["action", "kind", "subject", "text"]);
  });

  it("unshare-pivot-root: the box's new root and its /proc mount", async () => {
    const lab = await explained("unshare-pivot-root");
    const all = lab.steps.flatMap((s) => texts(s.changes));
    expect(all.some((t) => /^box: root is now .*busybox-rootfs.* \(was \/\)$/.test(t))).toBe(true);
    expect(all).toContain("box: /proc mounted (proc)");
    expect(all.some((t) => /^box: its shell is PID 1 inside = PID \d+ on the host$/.test(t))).toBe(true);
    expect(lab.changesAfterCleanup).toEqual([]);
  });

  it("cgroups: the limit the student writes appears", async () => {
    const lab = await explained("cgroups");
    const pids = lab.steps.find((s) => s.slug.startsWith("limit-the-number"));
    expect(pids?.changes?.some((c) => c.kind === "limit" && /pids\.max = \d+$/.test(c.text))).toBe(true);
    const mem = lab.steps.find((s) => s.slug.startsWith("limit-memory"));
    expect(mem?.changes?.some((c) => c.kind === "limit" && /memory\.(max|limit_in_bytes) = \d+$/.test(c.text))).toBe(true);
    expect(lab.changesAfterCleanup).toEqual([]);
  });

  it("without --explain the report has no changes", async () => {
    const r = await runCli(["verify", "netns-veth", "--report", "json", "--disposable"]);
    const report = JSON.parse(r.stdout) as { labs: ExplainedLab[] };
    expect(report.labs[0]?.steps.every((s) => s.changes === undefined)).toBe(true);
  });
});

describe("rootlab explain", () => {
  it("rejects an unknown --diagram with exit 2 and the choices", async () => {
    const r = await runCli(["explain", "netns-veth", "--diagram", "dot"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--diagram must be one of text, mermaid, none");
  });
});

describeAsRoot("rootlab explain on a real lab", () => {
  it("writes the lab's words beside the machine's, with the wiring as Mermaid", async () => {
    const r = await runCli(["explain", "netns-veth", "--diagram", "mermaid", "--disposable"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("## 2. A veth pair, one end moved into the namespace");
    expect(r.stdout).toContain("**The lab says:**");
    expect(r.stdout).toContain("- \\+ veth rlv-h1 (host) ⇄ eth0 (netns rlv-ns1)");
    expect(r.stdout).toMatch(/```mermaid\nflowchart LR\n[^`]*host_rlv_h1 --- netns_rlv_ns1_eth0/);
    expect(r.stdout).toContain("The machine is as it was before the lab.");
  });
});

describeAsRoot("rootlab explain on an 80-column terminal", () => {
  it("shows the document as text wrapped to the terminal, not as Markdown", async () => {
    const s = new Screen(["explain", "netns-veth", "--disposable"], { PAGER: "cat" }, 80, undefined, 30);
    expect((await s.exited).exitCode).toBe(0);
    const lines = renderTranscript(s.output, 80).split("\n");
    expect(lines.some((l) => l.includes("A veth pair, one end moved into the namespace"))).toBe(true);
    expect(lines.filter((l) => /^#{1,3} |\*\*The lab says:\*\*/.test(l))).toEqual([]);
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(80);
    // An added item's "+" is a mark, not a second bullet ("• • netns rlv-ns1" before).
    expect(lines.filter((l) => l.includes("• •"))).toEqual([]);
    expect(lines.some((l) => /• \+ netns rlv-ns1/.test(l))).toBe(true);
  });
});

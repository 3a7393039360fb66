import { afterEach, describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RunCollector } from "../../src/report/collect.js";
import { renderJson, rootlabVersion } from "../../src/report/json.js";
import { createReporters } from "../../src/report/index.js";
import { EVENTS, STARTED_AT } from "./report-events.js";
import type { RunEvent } from "../../src/exec/types.js";

function jsonOf(events: RunEvent[]) {
  const c = new RunCollector(() => STARTED_AT);
  for (const e of events) c.onEvent(e);
  return renderJson(c.report());
}

/** A stream stand-in with what createReporters uses (write with a callback, isTTY). */
class Sink {
  text = "";
  isTTY = false;
  write(chunk: string, cb?: (err?: Error | null) => void): boolean {
    this.text += chunk;
    cb?.();
    return true;
  }
}
const asStream = (s: Sink) => s as unknown as NodeJS.WriteStream;

describe("JSON report", () => {
  const text = jsonOf(EVENTS);
  const doc = JSON.parse(text);

  it("matches the snapshot (version masked)", async () => {
    await expect(text.replace(`"rootlab": "${rootlabVersion()}"`, '"rootlab": "<version>"')).toMatchFileSnapshot("./__snapshots__/report-json.json");
  });

  it("has the documented top level", () => {
    expect(Object.keys(doc)).toEqual(["rootlab", "format", "startedAt", "durationMs", "strict", "summary", "labs"]);
    expect(doc).toMatchObject({ format: 1, startedAt: "2025-03-01T10:00:00.000Z", durationMs: 2973, strict: true, summary: { passed: 1, failed: 2, skipped: 1 } });
    expect(doc.rootlab).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("keeps per-step blocks and checks with their outcome, exit code, tails and expect report", () => {
    const demo = doc.labs[1];
    expect(demo).toMatchObject({ id: "expect-demo", run: 1, leakCheck: "clean", leaks: [] });
    const block = demo.steps[1].blocks[0];
    expect(block).toMatchObject({
      kind: "block", role: "command", file: "labs/expect-demo.md", line: 20, session: "host", result: "ok", exitCode: 0,
      exitCodeWords: "success", expectedExitCode: 0, durationMs: 29, stdoutTail: "PID COMMAND\n4242 bash\n4243 ps", stdoutLines: 3,
      stderrTail: "warning: odd byte", expect: { firstDifference: 2 },
    });
    expect(block.outcome).toEqual({ status: "fail", reason: "output does not match the expect block at labs/expect-demo.md:24" });
    expect(demo.steps[2]).toMatchObject({ number: 3, outcome: { status: "skipped" }, blocks: [] });
    const veth = doc.labs[0];
    expect(veth.steps[0].blocks.map((b: { kind: string; phase?: string }) => `${b.kind}:${b.phase ?? ""}`)).toEqual(["check:before", "block:", "check:after"]);
    expect(veth.steps[0].blocks[2]).toMatchObject({ name: "both namespaces exist", attempts: 2 });
    expect(veth.fixtures).toEqual([{ name: "busybox-rootfs", path: "/var/cache/rootlab/busybox-rootfs", status: "cached" }]);
    expect(veth.cleanup).toHaveLength(1);
    expect(doc.labs[2]).toMatchObject({ outcome: { status: "skipped" }, leakCheck: "not-run", preflight: [{ need: "root", met: true }, { need: "systemd as PID 1", met: false }] });
    expect(doc.labs[3]).toMatchObject({ leakCheck: "leaked", leaks: [{ kind: "netns", name: "rl-red" }, { kind: "link", name: "veth-host" }] });
    expect(doc.labs[3].cleanup[0]).toMatchObject({ kind: "cleanup", exitCode: 1, failedLine: 31, stderrTail: 'Cannot find device "veth-host"' });
  });

  it("keeps only the last 50 lines of long output", () => {
    const events = structuredClone(EVENTS);
    const end = events.find((e) => e.type === "block-end" && e.block.line === 10)!;
    if (end.type !== "block-end") throw new Error("fixture");
    end.result.stdout = Array.from({ length: 80 }, (_, k) => `l${k + 1}`).join("\n");
    const b = JSON.parse(jsonOf(events)).labs[1].steps[0].blocks[0];
    expect(b.stdoutLines).toBe(80);
    expect(b.stdoutTail.split("\n")).toHaveLength(50);
    expect(b.stdoutTail.startsWith("l31\n")).toBe(true);
  });

  it("accounts for an interrupted run: unfinished and unstarted labs", () => {
    const cut = EVENTS.findIndex((e) => e.type === "lab-start" && e.lab.meta.id === "expect-demo") + 4;
    const events: RunEvent[] = [...EVENTS.slice(0, cut), { type: "interrupted", signal: "SIGINT" }];
    const d = JSON.parse(jsonOf(events));
    expect(d.interrupted).toBe("SIGINT");
    expect(d.labs.map((l: { outcome: { status: string } }) => l.outcome.status)).toEqual(["pass", "error", "skipped", "skipped"]);
    expect(d.labs[1].outcome.reason).toBe("the run ended before this lab finished (interrupted by SIGINT)");
    expect(d.labs[1].steps.map((s: { outcome: { status: string } }) => s.outcome.status)).toEqual(["error", "skipped", "skipped"]);
    expect(d.summary).toEqual({ passed: 1, failed: 1, skipped: 2 });
  });

  it("keeps repeated runs apart (verify --repeat)", () => {
    const d = JSON.parse(jsonOf([...EVENTS, ...EVENTS]));
    expect(d.labs).toHaveLength(8);
    expect(d.labs.map((l: { run: number }) => l.run)).toEqual([1, 1, 1, 1, 2, 2, 2, 2]);
    expect(d.labs[4].steps[0].blocks).toHaveLength(3);
    expect(d.durationMs).toBe(2973 * 2);
  });
});

describe("docs/report-json.md", () => {
  const docs = readFileSync(new URL("../../docs/report-json.md", import.meta.url), "utf8");
  const documented = new Set([...docs.matchAll(/^\| `([A-Za-z]+)` \|/gm)].map((m) => m[1]!));

  /** Every key of every object in the report, except inside values documented as free-form (outcome, preflight…). */
  function keys(value: unknown, out = new Set<string>()): Set<string> {
    if (Array.isArray(value)) value.forEach((v) => keys(v, out));
    else if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) {
        out.add(k);
        if (!["outcome", "preflight", "fixtures", "leaks", "summary", "expect"].includes(k)) keys(v, out);
      }
    }
    return out;
  }

  it("documents every field the report has", () => {
    const all = keys(JSON.parse(jsonOf([...EVENTS, { type: "interrupted", signal: "SIGTERM" }])));
    expect([...all].filter((k) => !documented.has(k))).toEqual([]);
  });

  it("its example is valid JSON in the current format", () => {
    const example = /```json\n([\s\S]*?)```/.exec(docs)![1]!;
    expect(JSON.parse(example)).toMatchObject({ format: 1, labs: [{ id: "expect-demo" }, { id: "machinectl-intro" }] });
  });
});

describe("createReporters", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  async function run(report: "console" | "json" | "junit" | "tap", out?: string) {
    const stdout = new Sink();
    const stderr = new Sink();
    const reporters = createReporters({ report, stdout: asStream(stdout), stderr: asStream(stderr), env: { NO_COLOR: "1" }, now: () => STARTED_AT, ...(out ? { out } : {}) });
    for (const e of EVENTS) for (const r of reporters) r.onEvent(e);
    await Promise.all(reporters.map((r) => r.close()));
    return { stdout: stdout.text, stderr: stderr.text, count: reporters.length };
  }

  it("console only: on stdout", async () => {
    const r = await run("console");
    expect(r.count).toBe(1);
    expect(r.stdout).toContain("4 labs: 1 passed, 2 failed, 1 skipped");
    expect(r.stderr).toBe("");
  });

  it.each(["json", "junit", "tap"] as const)("%s without --out: the report on stdout, the console on stderr", async (kind) => {
    const r = await run(kind);
    expect(r.count).toBe(2);
    expect(r.stderr).toContain("4 labs: 1 passed, 2 failed, 1 skipped");
    expect(r.stdout).not.toContain("4 labs:");
    const first = { json: "{", junit: "<?xml", tap: "TAP version 14" }[kind];
    expect(r.stdout.startsWith(first)).toBe(true);
  });

  it("with --out: the report in the file (atomically, parent folders made), the console on stdout", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rlt-report-"));
    dirs.push(dir);
    const file = join(dir, "reports", "nested", "run.json");
    const r = await run("json", file);
    expect(r.stdout).toContain("4 labs:");
    expect(JSON.parse(readFileSync(file, "utf8")).summary).toEqual({ passed: 1, failed: 2, skipped: 1 });
    expect(readdirSync(join(dir, "reports", "nested"))).toEqual(["run.json"]);
  });

  it("says where the report could not be written", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rlt-report-"));
    dirs.push(dir);
    await expect(run("junit", dir)).rejects.toThrow(`could not write the report to ${dir}`);
    expect(readdirSync(dir)).toEqual([]);
  });
});

// A recorded run, built by hand, for the reporter tests: a passing lab, a lab whose block fails with an
// expect mismatch, a lab skipped by preflight, and a lab whose strict check, cleanup and leak check fail.
import type { Block, Lab, Step } from "../../src/format/types.js";
import type { BlockRef, BlockResult, LabSummary, Outcome, RunEvent, StepSummary } from "../../src/exec/types.js";
import { matchExpect } from "../../src/check/expect.js";

type BlockSpec = Partial<Block> & { line: number; code?: string };

function block(spec: BlockSpec): Block {
  return {
    role: "command", lang: "sh", code: "true", codeLine: spec.line + 1, session: "host", exit: 0,
    timeoutMs: 60_000, background: false, ...spec,
  };
}

function lab(id: string, title: string, steps: { title: string; blocks: BlockSpec[]; hints?: string[] }[], cleanup: BlockSpec[] = []): Lab {
  const file = `labs/${id}.md`;
  return {
    file,
    title,
    intro: "",
    meta: {
      format: 1, id, title, summary: "", level: "beginner", duration: "10m", durationSeconds: 600, uses: [],
      requires: { root: true, commands: [], kernel: [], systemd: false, network: false },
    },
    steps: steps.map((s, index): Step => {
      const blocks = s.blocks.map(block);
      return {
        index, title: s.title, slug: s.title.toLowerCase().replace(/\W+/g, "-"), line: blocks[0]!.line - 2, intro: "", explanation: "",
        hints: (s.hints ?? []).map((markdown, k) => ({ markdown, line: blocks[0]!.line + 10 + k })), parts: [], blocks, wrongAttempts: [],
      };
    }),
    cleanup: cleanup.map((c) => block({ role: "cleanup", ...c })),
  };
}

const ok = (durationMs: number, stdout = "", extra: Partial<BlockResult> = {}): BlockResult => ({ kind: "ok", exitCode: 0, stdout, stderr: "", durationMs, ...extra });
const PASS: Outcome = { status: "pass" };

function ref(l: Lab, stepIndex: number, b: Block): BlockRef {
  return { labId: l.meta.id, file: l.file, stepIndex, role: b.role, line: b.line, session: b.session, ...(b.name ? { name: b.name } : {}) };
}

export const VETH = lab("veth-pair", "Connect two network namespaces with a veth pair", [
  { title: "Create two namespaces", blocks: [{ line: 12, code: "ip netns add rl-red\nip netns add rl-blue" }, { line: 18, role: "verify", name: "both namespaces exist", code: "# both namespaces exist\nip netns list | grep rl-red" }] },
  { title: "Connect them", blocks: [{ line: 30, code: "ip link add veth-red type veth peer name veth-blue" }] },
], [{ line: 50, code: "ip netns del rl-red" }]);

export const EXPECT = lab("expect-demo", "Processes & <PIDs>", [
  { title: "Look around", blocks: [{ line: 10, code: "echo hi" }] },
  {
    title: "Count the processes",
    blocks: [{ line: 20, code: "ps -o pid,comm", expect: { line: 24, lines: ["PID COMMAND", "1 sh (re)", "..."] } }],
    hints: ["Inside a new PID namespace the shell is **PID 1**: run `ps` *inside* it. See [man](https://man7.org/linux/man-pages/man7/pid_namespaces.7.html)."],
  },
  { title: "Kill # the init", blocks: [{ line: 40, code: "kill 1" }] },
]);

export const MACHINE = lab("machinectl-intro", "Machines with machinectl", [{ title: "List machines", blocks: [{ line: 9, code: "machinectl list" }] }]);

export const LEAKY = lab("leaky", "A lab that leaves things behind", [
  { title: "Make a namespace", blocks: [{ line: 8, code: "ip netns add rl-red" }, { line: 12, role: "verify", name: "namespace exists", code: "# namespace exists\ntrue" }] },
], [{ line: 30, code: "ip link del veth-host" }]);

const step = (l: Lab, index: number, outcome: Outcome, durationMs: number): StepSummary => ({ index, title: l.steps[index]!.title, slug: l.steps[index]!.slug, outcome, durationMs });

function summary(l: Lab, outcome: Outcome, durationMs: number, steps: StepSummary[], leaks: LabSummary["leaks"] = []): LabSummary {
  return { id: l.meta.id, title: l.title, file: l.file, outcome, durationMs, steps, leaks };
}

const PS_OUTPUT = "PID COMMAND\n4242 bash\n4243 ps\n";
const MISMATCH = matchExpect(["PID COMMAND", "1 sh (re)", "..."], PS_OUTPUT);
if (MISMATCH.ok) throw new Error("fixture: the expect block should not match");

const vethSteps = [step(VETH, 0, PASS, 240), step(VETH, 1, PASS, 35)];
const expectFail: Outcome = { status: "fail", reason: "output does not match the expect block at labs/expect-demo.md:24" };
const expectSteps = [
  step(EXPECT, 0, PASS, 5),
  step(EXPECT, 1, expectFail, 31),
  step(EXPECT, 2, { status: "skipped", reason: 'not run: step 2 "Count the processes" did not pass' }, 0),
];
const strictFail: Outcome = { status: "fail", reason: "this check already passes before its step ran, so it proves nothing about the step (--strict)" };
const machineSkip: Outcome = { status: "skipped", reason: "cannot run here: systemd as PID 1 (boot the lab VM: rootlab vm up)" };
const LEAKS: LabSummary["leaks"] = [{ kind: "netns", name: "rl-red" }, { kind: "link", name: "veth-host" }];

export const SUMMARIES: LabSummary[] = [
  summary(VETH, PASS, 1_450, vethSteps),
  summary(EXPECT, { status: "fail", reason: `step 2 "Count the processes": ${expectFail.reason}` }, 620, expectSteps),
  summary(MACHINE, machineSkip, 3, [step(MACHINE, 0, { status: "skipped", reason: machineSkip.reason }, 0)]),
  summary(LEAKY, { status: "fail", reason: `step 1 "Make a namespace": ${strictFail.reason}` }, 900, [step(LEAKY, 0, strictFail, 12)], LEAKS),
];

const v = VETH.steps;
const e = EXPECT.steps;
const k = LEAKY.steps;

export const EVENTS: RunEvent[] = [
  { type: "run-start", labs: [VETH, EXPECT, MACHINE, LEAKY].map((l) => ({ id: l.meta.id, file: l.file })), strict: true },

  { type: "lab-start", lab: VETH },
  { type: "preflight", labId: "veth-pair", items: [{ need: "root", met: true }, { need: "command ip", met: true }] },
  { type: "fixture", labId: "veth-pair", name: "busybox-rootfs", path: "/var/cache/rootlab/busybox-rootfs", status: "cached" },
  { type: "step-start", labId: "veth-pair", step: v[0]! },
  { type: "check", block: ref(VETH, 0, v[0]!.blocks[1]!), phase: "before", outcome: PASS, result: ok(8, "", { exitCode: 1 }), attempts: 1 },
  { type: "block-start", block: ref(VETH, 0, v[0]!.blocks[0]!) },
  { type: "output", block: ref(VETH, 0, v[0]!.blocks[0]!), stream: "stdout", chunk: "created\n" },
  { type: "block-end", block: ref(VETH, 0, v[0]!.blocks[0]!), result: ok(12, "created\n"), outcome: PASS },
  { type: "check", block: ref(VETH, 0, v[0]!.blocks[1]!), phase: "after", outcome: PASS, result: ok(210), attempts: 2 },
  { type: "step-end", labId: "veth-pair", summary: vethSteps[0]! },
  { type: "step-start", labId: "veth-pair", step: v[1]! },
  { type: "block-start", block: ref(VETH, 1, v[1]!.blocks[0]!) },
  { type: "block-end", block: ref(VETH, 1, v[1]!.blocks[0]!), result: ok(30), outcome: PASS },
  { type: "step-end", labId: "veth-pair", summary: vethSteps[1]! },
  { type: "cleanup-start", labId: "veth-pair", count: 1 },
  { type: "cleanup-block", block: ref(VETH, -1, VETH.cleanup[0]!), result: ok(4), outcome: PASS },
  { type: "leak-check", labId: "veth-pair", leaks: [], left: [] },
  { type: "lab-end", summary: SUMMARIES[0]! },

  { type: "lab-start", lab: EXPECT },
  { type: "preflight", labId: "expect-demo", items: [{ need: "root", met: true }] },
  { type: "step-start", labId: "expect-demo", step: e[0]! },
  { type: "block-start", block: ref(EXPECT, 0, e[0]!.blocks[0]!) },
  { type: "block-end", block: ref(EXPECT, 0, e[0]!.blocks[0]!), result: ok(3, "hi\n"), outcome: PASS },
  { type: "step-end", labId: "expect-demo", summary: expectSteps[0]! },
  { type: "step-start", labId: "expect-demo", step: e[1]! },
  { type: "block-start", block: ref(EXPECT, 1, e[1]!.blocks[0]!) },
  { type: "output", block: ref(EXPECT, 1, e[1]!.blocks[0]!), stream: "stdout", chunk: "PID COMMAND\n4242 ba" },
  { type: "output", block: ref(EXPECT, 1, e[1]!.blocks[0]!), stream: "stderr", chunk: "\x1b[33mwarning\x1b[0m: odd \x00byte\n" },
  { type: "output", block: ref(EXPECT, 1, e[1]!.blocks[0]!), stream: "stdout", chunk: "sh\n4243 ps\n" },
  {
    type: "block-end", block: ref(EXPECT, 1, e[1]!.blocks[0]!), result: ok(29, PS_OUTPUT, { stderr: "\x1b[33mwarning\x1b[0m: odd \x00byte\n" }),
    outcome: expectFail, expect: MISMATCH.mismatch,
  },
  { type: "step-end", labId: "expect-demo", summary: expectSteps[1]! },
  { type: "step-end", labId: "expect-demo", summary: expectSteps[2]! },
  { type: "cleanup-start", labId: "expect-demo", count: 0 },
  { type: "leak-check", labId: "expect-demo", leaks: [], left: [] },
  { type: "lab-end", summary: SUMMARIES[1]! },

  { type: "lab-start", lab: MACHINE },
  { type: "preflight", labId: "machinectl-intro", items: [{ need: "root", met: true }, { need: "systemd as PID 1", met: false, fix: "boot the lab VM: rootlab vm up" }] },
  { type: "lab-end", summary: SUMMARIES[2]! },

  { type: "lab-start", lab: LEAKY },
  { type: "preflight", labId: "leaky", items: [{ need: "root", met: true }] },
  { type: "step-start", labId: "leaky", step: k[0]! },
  { type: "check", block: ref(LEAKY, 0, k[0]!.blocks[1]!), phase: "before", outcome: strictFail, result: ok(6), attempts: 1 },
  { type: "step-end", labId: "leaky", summary: SUMMARIES[3]!.steps[0]! },
  { type: "cleanup-start", labId: "leaky", count: 1 },
  {
    type: "cleanup-block", block: ref(LEAKY, -1, LEAKY.cleanup[0]!),
    result: { kind: "ok", exitCode: 1, stdout: "", stderr: "Cannot find device \"veth-host\"\n", durationMs: 7, failedLine: 31 },
    outcome: { status: "fail", reason: "exited with status 1 at line 31 (general failure)" },
  },
  { type: "leak-check", labId: "leaky", leaks: LEAKS, left: LEAKS.slice(1), others: [{ kind: "netns", name: "someone-elses" }] },
  { type: "lab-end", summary: SUMMARIES[3]! },

  { type: "run-end", labs: SUMMARIES, durationMs: 2_973 },
];

export const STARTED_AT = new Date("2025-03-01T10:00:00.000Z");

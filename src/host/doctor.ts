// The data behind `rootlab doctor`: machine facts, the commands labs use, the fixtures, and for every lab
// whether it can run here (and if not, each unmet need with its fix). Rendering is src/cli/commands/doctor.ts.
import type { Diagnostic, FixtureName, Lab } from "../format/types.js";
import { loadAllLabs } from "../format/load.js";
import { probeMachine, type MachineFacts } from "./facts.js";
import { assessRequires, type Need } from "./preflight.js";
import { findCommand, installFix } from "./commands.js";
import { disposableState, type DisposableState } from "./guard.js";
import { fixtureNeed } from "./fixtures/needs.js";
import { guardOnMachine, type GuardOnMachine } from "./net-guard.js";
import { liveRunLockHolder } from "./lock.js";

/** Commands the cookbook's topics rely on; shown even when no lab lists them. */
const BASE_COMMANDS = ["ip", "unshare", "nsenter", "mount", "chroot", "systemd-nspawn", "busybox", "nft", "iptables", "tar"];

export type LabVerdict = "can-run" | "needs-root" | "cannot-run";

export interface LabAssessment {
  file: string;
  id: string;
  title: string;
  verdict: LabVerdict;
  /** Needs that are not met (or could not be checked without root), with fixes. */
  unmet: Need[];
}

export interface DoctorReport {
  machine: MachineFacts;
  disposable: DisposableState;
  /** rootlab's `unreachable 10.231.0.0/16` route: none, a running lab's, or one a killed run left. */
  netGuard: GuardOnMachine;
  commands: Need[];
  fixtures: Need[];
  labsDir: string;
  labs: LabAssessment[];
  invalid: { file: string; diagnostics: Diagnostic[] }[];
}

function commandNeed(name: string): Need {
  const found = findCommand(name);
  if (!found) return { need: `command ${name}`, state: "unmet", fix: installFix(name) };
  return { need: `command ${name}`, state: "met", detail: found.shim ? `${found.path}, through rootlab's shim` : found.path };
}

function verdictOf(unmet: Need[]): LabVerdict {
  if (unmet.some((n) => n.state === "unmet" && n.need !== "root")) return "cannot-run";
  return unmet.length > 0 ? "needs-root" : "can-run";
}

async function assessLab(lab: Lab, fixtures: Map<FixtureName, Need>): Promise<LabAssessment> {
  const needs = [...(await assessRequires(lab.meta.requires)), ...[...new Set(lab.meta.uses)].map((u) => fixtures.get(u)).filter((n): n is Need => !!n)];
  const unmet = needs.filter((n) => n.state !== "met");
  return { file: lab.file, id: lab.meta.id, title: lab.title, verdict: verdictOf(unmet), unmet };
}

export async function collectDoctorReport(labsDir: string, disposableFlag = false): Promise<DoctorReport> {
  const [machine, loaded, netGuard] = await Promise.all([probeMachine(), loadAllLabs(labsDir), guardOnMachine(() => liveRunLockHolder())]);
  const labs: Lab[] = [];
  const invalid: DoctorReport["invalid"] = [];
  for (const { file, result } of loaded) {
    if (result.ok) labs.push(result.lab);
    else invalid.push({ file, diagnostics: result.diagnostics.filter((d) => d.severity === "error") });
  }
  const used = new Set<FixtureName>(["busybox-rootfs", "alpine-rootfs", "systemd-image"]);
  const fixtures = new Map<FixtureName, Need>();
  for (const f of used) fixtures.set(f, await fixtureNeed(f));
  const commandNames = [...new Set([...BASE_COMMANDS, ...labs.flatMap((l) => l.meta.requires.commands)])];
  return {
    machine,
    disposable: disposableState(disposableFlag),
    netGuard,
    commands: commandNames.map(commandNeed),
    fixtures: [...fixtures.values()],
    labsDir,
    labs: await Promise.all(labs.map((l) => assessLab(l, fixtures))),
    invalid,
  };
}

/**
 * "need: fix", read once: a fix that starts by restating its need ("needs systemd as PID 1 (machinectl…): …")
 * is shown on its own, so the line does not say the need twice.
 */
export function needWithFix(n: Pick<Need, "need" | "fix" | "detail">): string {
  const why = n.fix ?? n.detail;
  if (!why) return n.need;
  if (why.startsWith(`needs ${n.need}`)) return why.slice("needs ".length);
  return `${n.need}: ${why}`;
}

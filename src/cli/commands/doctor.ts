// rootlab doctor: what this machine can do (facts, kernel features, commands, fixtures) and which labs can run
// here — for each one that cannot, every unmet need with its fix. Needs no root; says which probes need it.
import type { Command } from "../command.js";
import { labsDir } from "../../format/load.js";
import { collectDoctorReport, needWithFix, type DoctorReport, type LabAssessment } from "../../host/doctor.js";
import type { Need } from "../../host/preflight.js";
import type { MachineFacts } from "../../host/facts.js";
import { notDisposableMessage } from "../../host/guard.js";
import { GUARD_PREFIX, REMOVE_GUARD_COMMAND } from "../../host/net-guard.js";
import { createStyle, type Style } from "../../term/style.js";
import { fitReport } from "../../term/help-wrap.js";
import { outputColumns } from "../../term/columns.js";
import { writePaged } from "../paged-output.js";

/** A mark padded to the widest one, so rows line up in ASCII too ("ok", "FAIL", "?"). */
function mark(s: Style, state: "met" | "unmet" | "unknown"): string {
  const width = Math.max(s.sym.pass.length, s.sym.fail.length);
  if (state === "met") return s.chalk.green(s.sym.pass.padEnd(width));
  if (state === "unmet") return s.chalk.red(s.sym.fail.padEnd(width));
  return s.chalk.yellow("?".padEnd(width));
}

function row(label: string, value: string, width = 16): string {
  return `  ${label.padEnd(width)} ${value}`;
}

function machineLines(m: MachineFacts, r: DoctorReport): string[] {
  const cg = { v1: "cgroup v1", hybrid: "hybrid (cgroup v1 controllers, a controller-less cgroup2 at /sys/fs/cgroup/unified)", v2: "cgroup v2 (unified)", none: "none mounted" }[m.cgroupMode];
  const disposable = r.disposable.disposable
    ? `yes (${{ marker: "/etc/rootlab/disposable", env: "ROOTLAB_DISPOSABLE=1", flag: "--disposable" }[r.disposable.via]})`
    : "no — labs will refuse to run here (see below)";
  return [
    row("PID 1", m.systemdBooted ? `${m.pid1} (systemd is PID 1)` : `${m.pid1} — systemd is not PID 1: machinectl/systemctl labs cannot run; systemd-nspawn works through rootlab's shim`),
    row("kernel", m.kernelRelease),
    row("/run", m.runFsType === "tmpfs" ? "tmpfs" : `${m.runFsType} (not tmpfs: the shim gives nspawn a private tmpfs)`),
    row("/ propagation", m.rootPropagation),
    row("cgroups", cg),
    row("running as", m.root ? "root" : `uid ${process.getuid?.() ?? "?"} (not root)`),
    row("disposable", disposable),
    row("network guard", guardText(r.netGuard)),
  ];
}

function guardText(g: DoctorReport["netGuard"]): string {
  const range = `${GUARD_PREFIX} unreachable from the host while a lab runs`;
  if (g.state === "none") return `none now (rootlab makes ${range})`;
  if (g.state === "running") return `on: ${range} (rootlab run PID ${g.pid})`;
  if (g.state === "stale") return `left by a rootlab run that was killed: the next lab run removes it, or \`sudo ${REMOVE_GUARD_COMMAND}\``;
  return `? cannot read the routes (${g.reason})`;
}

function needLine(s: Style, n: Need, label: string, width: number, version?: string | null): string {
  const detail = n.state === "met" ? (n.detail ?? "") : (n.fix ?? n.detail ?? "");
  const extra = version && n.state === "met" ? `  ${s.chalk.dim(version)}` : "";
  return `  ${mark(s, n.state)} ${label.padEnd(width)} ${detail}${extra}`;
}

function labLines(s: Style, lab: LabAssessment, idWidth: number): string[] {
  const head = `${lab.id.padEnd(idWidth)}  ${s.chalk.dim(lab.title)}`;
  if (lab.verdict === "can-run") return [`  ${mark(s, "met")} ${head} — can run here`];
  if (lab.verdict === "needs-root") return [`  ${s.chalk.yellow(s.sym.warn)} ${head} — needs root: run it with sudo`];
  // Root and the probes that need it are said once at the top; list what root would not fix.
  const lines = [`  ${mark(s, "unmet")} ${head} — cannot run here:`];
  for (const n of lab.unmet) if (n.state === "unmet" && n.need !== "root") lines.push(`      ${mark(s, n.state)} ${needWithFix(n)}`);
  return lines;
}

export function renderDoctor(r: DoctorReport, s: Style): string {
  const m = r.machine;
  const out: string[] = [s.chalk.bold("rootlab doctor — what this machine can do"), ""];
  if (!m.root) out.push(s.chalk.yellow("Not running as root: probes marked ? need root. Run `sudo rootlab doctor` for the full picture."), "");
  out.push(s.chalk.bold("Machine"), ...machineLines(m, r), "");
  out.push(s.chalk.bold("Kernel features"));
  for (const [name, p] of Object.entries(m.features)) {
    const state = p.state === "yes" ? "met" : p.state === "no" ? "unmet" : "unknown";
    out.push(`  ${mark(s, state)} ${name.padEnd(9)} ${p.detail ?? ""}`.trimEnd());
  }
  out.push("", s.chalk.bold("Commands the labs use"));
  // One column wider than the longest label: a label followed by one blank only ("systemd as PID 1 no (…)") is not
  // a row to fitReport, and its wrapped text went back to the margin instead of under the column.
  const width = Math.max("systemd as PID 1".length, ...r.commands.map((c) => c.need.length - "command ".length)) + 1;
  for (const c of r.commands) {
    const name = c.need.replace(/^command /, "");
    out.push(needLine(s, c, name, width, m.tools[name]).trimEnd());
  }
  out.push(`  ${mark(s, m.systemdBooted ? "met" : "unmet")} ${"systemd as PID 1".padEnd(width)} ${m.systemdBooted ? "yes" : `no (PID 1 is ${m.pid1}): labs that need machinectl/systemctl run in the rootlab VM (rootlab vm up)`}`);
  out.push("", s.chalk.bold("Fixtures"));
  for (const f of r.fixtures) out.push(needLine(s, f, f.need.replace(/^fixture /, ""), width));
  if (!r.disposable.disposable) out.push("", s.chalk.bold("Disposable machine"), ...notDisposableMessage().split("\n").map((l) => `  ${l}`));
  out.push("", s.chalk.bold(`Labs in ${r.labsDir}`));
  if (r.labs.length === 0 && r.invalid.length === 0) out.push("  (no labs found)");
  const idWidth = Math.max(0, ...r.labs.map((l) => l.id.length));
  for (const lab of r.labs) out.push(...labLines(s, lab, idWidth));
  for (const bad of r.invalid) {
    out.push(`  ${mark(s, "unmet")} ${bad.file} — invalid lab (run \`rootlab lint ${bad.file}\`):`);
    for (const d of bad.diagnostics.slice(0, 3)) out.push(`      ${d.file}:${d.line}:${d.column} ${d.message}`);
  }
  const ready = r.labs.filter((l) => l.verdict === "can-run").length;
  const withRoot = r.labs.filter((l) => l.verdict === "needs-root").length;
  const total = r.labs.length + r.invalid.length;
  const notYet = r.disposable.disposable ? "" : " once this machine is marked disposable (see above)";
  out.push("", `${ready} of ${total} labs can run here${notYet}${withRoot > 0 ? `; ${withRoot} more need root (sudo rootlab …)` : ""}.`);
  return out.join("\n");
}

export const command: Command = {
  name: "doctor",
  summary: "Show what this machine can do and which labs can run here",
  help: `Usage: rootlab doctor [--json] [--labs-dir <dir>]

Shows the machine's facts (PID 1, /run, cgroups, mount propagation), each kernel feature labs can require
(namespaces, veth, bridge, overlayfs, aufs, cgroup v1/v2, nftables, iptables), the commands the labs use, the
fixtures, and whether this machine is marked disposable — then each lab: "can run here", or every unmet need
with the way to fix it. Changes nothing on the machine (the probes create and delete a throw-away netns and
links inside a private network namespace). Needs no root, but some probes do: run \`sudo rootlab doctor\` to see all.

Options:
  --json            Machine-readable output
  --labs-dir <dir>  The labs folder (default: $ROOTLAB_LABS, else ./labs if it has labs, else rootlab's)
  -h, --help        Show this help

Examples:
  rootlab doctor
  sudo rootlab doctor --json | jq '.labs[] | select(.verdict != "can-run")'`,
  allowPositionals: false,
  options: { json: { type: "boolean" }, "labs-dir": { type: "string" } },
  async run({ values }) {
    const dir = values["labs-dir"] ? String(values["labs-dir"]) : labsDir();
    const report = await collectDoctorReport(dir);
    if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else {
      const text = renderDoctor(report, createStyle(process.stdout));
      // About 130 lines: on a terminal, paged (less -FRX), so the first screen does not scroll away. Into a pipe
      // (`doctor | less`), laid out for COLUMNS, else 80, like `list`: a terminal showing it does not cut words.
      await writePaged(fitReport(text, outputColumns(process.stdout)));
    }
    return 0;
  },
};

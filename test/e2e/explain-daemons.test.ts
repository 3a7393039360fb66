// explain on daemons reparented under an old subreaper (one that called setsid and kept its environment, one that
// did not and cleared it): before, they were not the lab's and explain said nothing about them. Namespaces kept by
// a bind mount or a descriptor are covered by test/unit/explain-pins.test.ts.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, collectOutput, ROOT } from "../helpers/cli.js";
import { stepTexts, type ExplainedLab } from "../helpers/explain-report.js";
import { isRoot, ROOT_REASON } from "../helpers/root.js";

const DAEMONS = join(ROOT, "test/fixtures/labs/e2e/daemons.md");
const PYTHON = "/usr/bin/python3";
const skipReason = !isRoot ? ROOT_REASON : undefined;

function suite(name: string, fn: () => void, reason = skipReason): void {
  if (reason) describe.skip(`${name} [skipped: ${reason}]`, fn);
  else describe(name, fn);
}

/** `rootlab verify --explain` under PYTHON as a child subreaper that started before the lab (systemd --user, an init). */
async function underOldSubreaper(lab: string): Promise<ExplainedLab> {
  const script = [
    "import ctypes, os, sys",
    "ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER",
    "child = os.fork()",
    "if child == 0:",
    "    os.execv(sys.argv[1], sys.argv[1:])",
    "while True:",
    "    pid, status = os.wait()  # the CLI, and the orphans reparented here",
    "    if pid == child:",
    "        sys.exit(os.waitstatus_to_exitcode(status))",
  ].join("\n");
  const args = [process.execPath, BIN, "verify", lab, "--explain", "--report", "json", "--disposable"];
  const child = spawn(PYTHON, ["-c", script, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: "1", ROOTLAB_DISPOSABLE: "1", npm_command: "" }, stdio: ["ignore", "pipe", "pipe"] });
  const r = await collectOutput(child);
  expect(r.code, r.stderr).toBe(0);
  const out = (JSON.parse(r.stdout) as { labs: ExplainedLab[] }).labs[0];
  if (!out) throw new Error(`no lab in the report:\n${r.stdout}`);
  return out;
}

suite(
  "explain: daemons reparented under an old subreaper",
  () => {
    it("finds the one with the run's environment and the one in the lab's terminal session; says when they end", async () => {
      const lab = await underOldSubreaper(DAEMONS);
      expect(lab.outcome.status, lab.outcome.reason).toBe("pass");
      const started = stepTexts(lab, "start-two-daemons");
      const net = started.map((t) => /^\+ PID (\d+) \((sh|sleep)\): a new net namespace$/.exec(t)).find(Boolean);
      const uts = started.map((t) => /^\+ PID (\d+) \((sh|sleep)\): a new uts namespace$/.exec(t)).find(Boolean);
      expect(net, started.join("\n")).toBeTruthy();
      expect(uts, started.join("\n")).toBeTruthy();
      const stopped = stepTexts(lab, "stop-them");
      // Named as it ran in the step before: sh until it had exec'd sleep.
      for (const found of [net, uts]) expect(stopped.some((t) => new RegExp(`^- PID ${found?.[1]} \\((sh|sleep)\\) ended: its namespace is gone$`).test(t)), stopped.join("\n")).toBe(true);
      expect(lab.changesAfterCleanup).toEqual([]);
    });
  },
  skipReason ?? (existsSync(PYTHON) ? undefined : `needs ${PYTHON} to act as the subreaper`),
);

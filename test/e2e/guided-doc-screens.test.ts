// docs/guided-mode.md shows guided mode's screens from a real run of the chroot lab (80×30, no colour). This runs
// `scripts/guided-screens.js --check`, which does that run again — the built CLI in a pseudo-terminal, a
// student's keys, the screen read off a terminal emulator — and fails with a diff when the doc is out of date.
import { expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describeAsRoot } from "../helpers/root.js";
import { ROOT } from "../helpers/cli.js";
import { loadLab } from "../../src/format/load.js";
import { checkRequires } from "../../src/host/preflight.js";

const SCRIPT = join(ROOT, "scripts/guided-screens.js");

/** What the chroot lab needs and this machine lacks (the lab's own `requires:`, as rootlab checks it). */
async function unmetRequirements(): Promise<string[]> {
  const parsed = await loadLab(join(ROOT, "labs/01-chroot.md"));
  if (!parsed.ok) return ["labs/01-chroot.md to parse (run `rootlab lint labs/01-chroot.md`)"];
  return (await checkRequires(parsed.lab.meta.requires, parsed.lab.meta.uses)).filter((i) => !i.met).map((i) => i.need);
}

/**
 * The doc's menu says which labs cannot run on the machine its screens come from (CI's: no systemd as PID 1).
 * On a machine where that differs (the lab VM, booted with systemd) the menu differs for that reason alone:
 * the labs the doc says cannot run, and those that cannot run here, when they differ.
 */
async function machineDiffers(): Promise<string | undefined> {
  const doc = readFileSync(join(ROOT, "docs/guided-mode.md"), "utf8");
  const inDoc = [...new Set([...doc.matchAll(/^(\S+) cannot run here: /gm)].map((m) => m[1]!))].sort();
  const here: string[] = [];
  for (const file of readdirSync(join(ROOT, "labs")).filter((f) => f.endsWith(".md"))) {
    const parsed = await loadLab(join(ROOT, "labs", file));
    if (parsed.ok && (await checkRequires(parsed.lab.meta.requires, parsed.lab.meta.uses)).some((i) => !i.met)) here.push(parsed.lab.meta.id);
  }
  here.sort();
  const list = (ids: string[]) => (ids.length > 0 ? ids.join(", ") : "none");
  return inDoc.join() === here.join() ? undefined : `the doc's menu comes from a machine where ${list(inDoc)} cannot run; here ${list(here)}`;
}

const unmet = await unmetRequirements();
const skip = unmet.length > 0 ? `the chroot lab needs ${unmet.join(", ")}` : await machineDiffers();

describeAsRoot("docs/guided-mode.md's screens", () => {
  const title = "are what a real run of the chroot lab shows today";
  it.skipIf(skip !== undefined)(skip !== undefined ? `${title} [skipped: ${skip}]` : title, () => {
    const run = spawnSync(process.execPath, [SCRIPT, "--check"], { cwd: ROOT, encoding: "utf8", timeout: 240_000 });
    expect(run.error, "scripts/guided-screens.js ran").toBeUndefined();
    // The script's own words: the diff and the command that regenerates the screens, or why it could not run.
    expect(run.status, `scripts/guided-screens.js --check:\n${run.stdout}${run.stderr}`).toBe(0);
  }, 300_000);
});

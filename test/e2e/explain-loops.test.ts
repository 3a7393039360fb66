// What a step changed includes loop devices attached on the lab's files (capabilities step 1's `losetup`): the
// machine's view reads them from /sys/block/loop*/loop/backing_file, and a loop device on another file is not
// the lab's. Before, "no change to namespaces, links, mounts or cgroups" followed a step that attached one.
import { afterAll, beforeAll, expect, it } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { observeMachine } from "../../src/explain/observe.js";
import { diffViews } from "../../src/explain/diff.js";
import type { MachineView } from "../../src/explain/types.js";
import { describeAsRoot } from "../helpers/root.js";

let labDir = "";
let device = "";

describeAsRoot("the machine's view: loop devices", () => {
  let before: MachineView;

  beforeAll(async () => {
    labDir = mkdtempSync("/var/tmp/rlt22-loops-");
    writeFileSync(join(labDir, "disk.img"), Buffer.alloc(1024 * 1024));
    before = await observeMachine({ sessions: [], labDir });
    device = execFileSync("losetup", ["--find", "--show", join(labDir, "disk.img")], { encoding: "utf8" }).trim();
  });

  afterAll(() => {
    if (device) spawnSync("losetup", ["-d", device], { stdio: "ignore" });
    if (labDir) rmSync(labDir, { recursive: true, force: true });
  });

  it("a loop device on a file outside the lab's folder is not the lab's", async () => {
    // Asked while the device is attached (before the test below detaches it).
    const view = await observeMachine({ sessions: [], labDir: join(labDir, "elsewhere") });
    expect(view.loops).toEqual([]);
  });

  it("a loop device attached on the lab's disk image is a change, and detaching it another", async () => {
    const attached = await observeMachine({ sessions: [], labDir });
    const entry = `${device} (${join(labDir, "disk.img")})`;
    expect(attached.loops).toEqual([entry]);
    expect(diffViews(before, attached).filter((c) => c.kind === "loop").map((c) => c.text)).toEqual([`+ loop device ${entry}`]);
    execFileSync("losetup", ["-d", device]);
    device = "";
    const detached = await observeMachine({ sessions: [], labDir });
    expect(diffViews(attached, detached).filter((c) => c.kind === "loop").map((c) => c.text)).toEqual([`- loop device ${entry} detached`]);
  });
});

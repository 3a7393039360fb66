// explain shows a new cgroup only when the lab's text names it: others appear all the time on a real machine (a
// container agent's group per command, systemd's per login and service). Real cgroups, made and removed here.
import { existsSync, mkdirSync, rmdirSync } from "node:fs";
import { afterAll, expect, it } from "vitest";
import { listCgroups, readCgroupLimits } from "../../src/explain/cgroups-read.js";
import { describeAsRoot } from "../helpers/root.js";

// cgroup v2: the root itself; v1 (hybrid): the pids controller's tree.
const PARENT = existsSync("/sys/fs/cgroup/cgroup.controllers") ? "/sys/fs/cgroup" : "/sys/fs/cgroup/pids";
const NAMED = `${PARENT}/rlt-cgn-${process.pid}`;
const OTHER = `${PARENT}/rlt-cgo-${process.pid}`;

describeAsRoot("explain's cgroups: the lab's are the ones it names", () => {
  afterAll(() => {
    for (const dir of [NAMED, OTHER]) if (existsSync(dir)) rmdirSync(dir);
  });

  it("reads a new cgroup the lab names, not one another program made meanwhile", () => {
    const baseline = new Set(listCgroups());
    mkdirSync(NAMED);
    mkdirSync(OTHER);
    const lab = `mkdir ${PARENT}/rlt-cgn-${process.pid}\necho $$ > ${PARENT}/rlt-cgn-${process.pid}/cgroup.procs`;
    expect(readCgroupLimits(baseline, lab).map((c) => c.path)).toEqual([NAMED]);
    // Without the lab's text (views recorded before), every new cgroup is read.
    expect(readCgroupLimits(baseline).map((c) => c.path).sort()).toEqual([NAMED, OTHER].sort());
  });
});
